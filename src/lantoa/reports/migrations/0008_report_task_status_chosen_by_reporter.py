from django.db import migrations, models


def typed_statuses_from_the_log(apps, schema_editor):
    """A row whose status a person changed (an audit entry of the change) keeps it: only the
    statuses never touched follow the evidence from now on."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    SubmissionTask = apps.get_model("reports", "SubmissionTask")
    content_type = ContentType.objects.filter(app_label="reports", model="submissiontask").first()
    if content_type is None:
        return
    typed = set()
    for pk, changes in LogEntry.objects.filter(
        content_type=content_type, action=1
    ).values_list("object_id", "changes"):
        if isinstance(changes, dict) and "status" in changes and pk is not None:
            typed.add(pk)
    SubmissionTask.objects.filter(pk__in=typed).update(status_typed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_verbose_names"),
        ("auditlog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissiontask",
            name="status_typed",
            field=models.BooleanField(default=False, verbose_name="status chosen by the reporter"),
        ),
        migrations.RunPython(typed_statuses_from_the_log, migrations.RunPython.noop),
    ]
