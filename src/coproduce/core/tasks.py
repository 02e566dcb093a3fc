"""Background work of the platform itself: enforcing the retention periods."""

from django_tasks import task


@task()
def apply_retention_periods() -> dict[str, int]:
    """Delete or anonymise what has been kept for its full period (core.retention)."""
    from .retention import apply_retention

    return apply_retention()
