"""Background work of the library, through the Django tasks API."""

from django_tasks import task

from .models import Asset


@task()
def asset_process(asset_id: int) -> None:
    """Make an uploaded asset's renditions; its page shows "processing" until they are ready."""
    from .services import asset_process as process

    asset = Asset.objects.filter(pk=asset_id, deleted_at__isnull=True).first()
    if asset is not None and asset.file:
        process(asset)
