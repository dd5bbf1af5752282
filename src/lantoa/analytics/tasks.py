"""Background work of analytics: the scheduled national roll-up."""

from django_tasks import task


@task()
def rollup_refresh() -> int:
    """Roll up the current spans and refresh stale runs; the number of runs written."""
    from .rollup import rollup_scheduled

    return len(rollup_scheduled())
