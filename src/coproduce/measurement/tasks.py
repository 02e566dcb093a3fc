"""Background work of the measurement app, run by the configured tasks backend.

In development and tests the immediate backend runs a task as soon as it is enqueued;
in production ``db_worker`` processes claim it from the database (settings, "Tasks").
"""

from django_tasks import task


@task()
def recompute_wave(*, wave_id: int) -> str:
    """Recompute one wave's results; returns the stored result's status."""
    # Imported here: services enqueues this task, so a module-level import would cycle.
    from .models import SurveyWave
    from .services import wave_recompute

    wave = SurveyWave.objects.select_related("instrument", "area").filter(pk=wave_id).first()
    if wave is None:
        # Deleted between the import and the worker picking the task up: nothing to do.
        return "missing"
    return wave_recompute(wave=wave).status
