"""Admin for instruments (read-only once published) and survey waves."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Instrument,
    InstrumentItem,
    InstrumentSector,
    OfficialEstimate,
    SurveyWave,
    WaveResult,
)


class _FrozenWhenPublished:
    """A published instrument's rows are what answers refer to: they never change."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and getattr(obj, "published", False):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and getattr(obj, "published", False):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class _FrozenInline(_FrozenWhenPublished):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and getattr(obj, "published", False):
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]


class SectorInline(_FrozenInline, admin.TabularInline[InstrumentSector, Instrument]):
    model = InstrumentSector
    extra = 0


class ItemInline(_FrozenInline, admin.TabularInline[InstrumentItem, Instrument]):
    model = InstrumentItem
    extra = 0
    fields = ["sector", "code", "text", "tag", "order"]


@admin.register(Instrument)
class InstrumentAdmin(_FrozenWhenPublished, admin.ModelAdmin[Instrument]):
    list_display = ["name", "slug", "version", "audience", "owner", "published"]
    list_filter = ["audience", "published"]
    search_fields = ["name", "slug"]
    inlines = [SectorInline, ItemInline]


class ResultInline(admin.TabularInline[WaveResult, SurveyWave]):
    model = WaveResult
    extra = 0
    fields = ("computed_at", "status", "message")
    readonly_fields = ("computed_at", "status", "message")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfficialInline(admin.TabularInline[OfficialEstimate, SurveyWave]):
    model = OfficialEstimate
    extra = 0


@admin.register(SurveyWave)
class SurveyWaveAdmin(admin.ModelAdmin[SurveyWave]):
    list_display = ["label", "owner", "area", "service", "instrument", "fieldwork_start"]
    list_filter = ["instrument"]
    search_fields = ["label"]
    raw_id_fields = ["area", "service"]
    inlines = [OfficialInline, ResultInline]
