"""Background work of plans, through the Django tasks API."""

from django_tasks import task

from .choices import ImportStatus
from .models import PlanImport


@task()
def read_scanned_plan(import_id: int) -> None:
    """OCR a scanned plan upload; the review page shows the pages read so far."""
    from .services import plan_upload_read_scan

    staged = PlanImport.objects.filter(pk=import_id, status=ImportStatus.READING).first()
    if staged is not None:
        plan_upload_read_scan(staged=staged)
