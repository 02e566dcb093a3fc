"""System checks: misconfiguration reported with an id, before anyone is served."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.database, deploy=True)
def production_database(app_configs: Any, **kwargs: Any) -> list[Warning | Error]:
    engine = str(settings.DATABASES["default"]["ENGINE"])
    if "sqlite" in engine:
        return [
            Error(
                "The production shape needs PostgreSQL: several web and task processes "
                "on several machines share one database.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name.",
                id="coproduce.E001",
            )
        ]
    return []


@register(deploy=True)
def production_tasks(app_configs: Any, **kwargs: Any) -> list[Warning | Error]:
    if settings.TASKS_BACKEND != "database":
        return [
            Warning(
                "Background tasks run inside web requests.",
                hint="Set COPRODUCE_TASKS=database and run `coproduce db_worker` processes.",
                id="coproduce.W001",
            )
        ]
    return []
