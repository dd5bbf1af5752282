from django.db import migrations


def copy_notifications(apps, schema_editor):
    """The notices move to orgs (below every app that notifies); none is lost."""
    old = apps.get_model("reports", "Notification")
    new = apps.get_model("orgs", "Notification")
    new.objects.bulk_create(
        new(
            user_id=n.user_id,
            kind="other",
            text=n.text,
            url=n.url,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in old.objects.all().iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_saved_dashboards"),
        ("orgs", "0002_notifications_and_email_preference"),
    ]

    operations = [
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
