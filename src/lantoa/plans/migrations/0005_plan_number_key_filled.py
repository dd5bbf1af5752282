from django.conf import settings
from django.db import migrations, models


def fill_number_keys(apps, schema_editor):
    """Each plan's key from its number. A plan in force whose key another plan in force of its
    unit already holds (two spellings of one number, which the old check let through) keeps an
    empty key, so the constraint can be made; the unit's staff see both plans as before."""
    from lantoa.plans.models import plan_number_key

    Plan = apps.get_model("plans", "Plan")
    held = set()
    for plan in Plan.objects.order_by("pk").only("pk", "unit_id", "number", "status"):
        key = plan_number_key(plan.number)[:64]
        if plan.status == "active" and key:
            if (plan.unit_id, key) in held:
                key = ""
            held.add((plan.unit_id, key))
        Plan.objects.filter(pk=plan.pk).update(number_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0005_verbose_names'),
        ('plans', '0004_verbose_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='number_key',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill_number_keys, migrations.RunPython.noop),
    ]
