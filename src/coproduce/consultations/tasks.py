"""Background work of forms: filing the anonymous forms sent whole (services)."""

from django_tasks import task


@task()
def file_sendings() -> int:
    """File every anonymous form sent and waiting, as its response and ledger record."""
    from .services import sendings_file

    return sendings_file()
