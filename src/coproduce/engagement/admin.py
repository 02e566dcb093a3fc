"""Admin for activities, and a read-only view of the participation ledger.

The ledger is written only by ``services.participation_record``, so the admin never
adds, changes or deletes a record. It lists no demographic snapshot, and leaves out the
records of sensitive services altogether: their participation is the provider's alone.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from coproduce.engagement.models import Activity, ParticipationRecord


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ("title", "service", "form", "rung", "co_stage", "starts_on")
    list_filter = ("form", "rung", "co_stage", "citizen_role")
    search_fields = ("title", "service__name")
    list_select_related = ("service",)
    raw_id_fields = ("service",)


@admin.register(ParticipationRecord)
class ParticipationRecordAdmin(admin.ModelAdmin[ParticipationRecord]):
    list_display = ("occurred_at", "activity", "kind", "channel", "people")
    list_filter = ("kind", "channel")
    list_select_related = ("activity",)
    fields = ("activity", "kind", "occurred_at", "channel", "people", "act_key")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ParticipationRecord]:
        return super().get_queryset(request).exclude(activity__service__sensitive=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
