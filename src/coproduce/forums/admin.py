from django.contrib import admin

from coproduce.forums.models import ActionChange, ActionPoint, Forum, Meeting


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin[Forum]):
    list_display = ["name", "service", "kind", "recurrence", "interval", "first_meeting_on"]
    list_filter = ["kind", "recurrence"]
    search_fields = ["name"]
    list_select_related = ["service"]
    raw_id_fields = ["service", "activity"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin[Meeting]):
    list_display = ["forum", "starts_at", "status", "unregistered_attendees"]
    list_filter = ["status"]
    list_select_related = ["forum"]
    raw_id_fields = ["forum"]


class ActionChangeInline(admin.TabularInline[ActionChange, ActionPoint]):
    model = ActionChange
    extra = 0
    readonly_fields = ["changed_at", "changed_by", "status_from", "status_to", "note"]


@admin.register(ActionPoint)
class ActionPointAdmin(admin.ModelAdmin[ActionPoint]):
    list_display = ["said", "service", "source", "status", "published", "raised_on"]
    list_filter = ["status", "source", "published"]
    search_fields = ["said", "outcome"]
    list_select_related = ["service"]
    # The raiser is shown as a pseudonymous reference only, and is never set when the
    # point is anonymous (see models.ActionPoint.raised_by).
    raw_id_fields = ["service", "forum", "meeting", "raised_by", "owner"]
    inlines = [ActionChangeInline]
