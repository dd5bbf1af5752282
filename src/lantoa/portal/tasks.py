"""Background work of the portal: the scheduled publishing run."""

from django_tasks import task


@task()
def publish_due() -> list[int]:
    """Publish the scheduled items whose time came, expire those past expiry: [published,
    expired]."""
    from .publishing import publish_due as run

    return list(run())
