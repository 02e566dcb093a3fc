"""Admin for events and replies: contact details are shown, never the cancel token."""

from django.contrib import admin

from .models import Event, Rsvp


class RsvpInline(admin.TabularInline[Rsvp, Event]):
    model = Rsvp
    extra = 0
    fields = ("participant", "status", "nickname", "queued_at", "checked_in_at")
    readonly_fields = ("participant", "status", "nickname", "queued_at", "checked_in_at")
    can_delete = False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ["title", "starts_at", "status", "capacity", "activity"]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["activity", "created_by"]
    inlines = [RsvpInline]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin[Rsvp]):
    list_display = ["participant", "event", "status", "queued_at", "checked_in_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "participant"]
    exclude = ["token_hash"]
