"""Reads about survey waves and their results, permission checked in the same call."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from coproduce.organisations.models import Service
from coproduce.places.models import Area
from coproduce.places.selectors import area_descendant_ids

from .models import SurveyWave, WaveResult
from .permissions import require_results_viewer, visible_waves

User = AbstractBaseUser | AnonymousUser


def _waves_visible_to(user: User) -> QuerySet[SurveyWave]:
    waves = SurveyWave.objects.select_related("instrument", "owner", "area", "service")
    if getattr(user, "is_superuser", False):
        return waves
    if not user.is_authenticated:
        return waves.none()
    # The two membership paths of the rule join to many rows: distinct() keeps one per wave.
    return waves.filter(visible_waves(user)).distinct()


def waves_for_area(user: User, area: Area) -> list[SurveyWave]:
    """Waves run in ``area`` or any area within it that ``user`` may see the results of."""
    return list(_waves_visible_to(user).filter(area_id__in=area_descendant_ids(area)))


def waves_for_service(user: User, service: Service) -> list[SurveyWave]:
    return list(_waves_visible_to(user).filter(service=service))


def latest_result(user: User, wave: SurveyWave) -> WaveResult | None:
    """The wave's newest result, or None before the first computation; PermissionDenied
    for anyone who may not see it."""
    require_results_viewer(user, wave)
    return WaveResult.objects.filter(wave=wave).order_by("-computed_at", "-pk").first()
