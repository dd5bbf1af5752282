from django.db import migrations, models


class Migration(migrations.Migration):
    """The database's backstop of the plan-number check: one plan in force per unit and number
    (compared by its key), numbers left empty aside."""

    dependencies = [
        ('plans', '0005_plan_number_key_filled'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='plan',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active'), models.Q(('number_key', ''), _negated=True)), fields=('unit', 'number_key'), name='plans_plan_number_unique_in_force'),
        ),
    ]
