"""The admin shows forms and their versions; responses only by their ids and channels,
never beside a participant's reference."""

from django.contrib import admin

from .models import FormVersion, Question, Questionnaire, Response


class VersionInline(admin.TabularInline[FormVersion, Questionnaire]):
    model = FormVersion
    fields = ("number", "status", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin[Questionnaire]):
    list_display = ("title", "service", "mode", "code", "closed_at")
    list_filter = ("mode",)
    search_fields = ("title", "code")
    readonly_fields = ("code",)
    inlines = [VersionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ("text", "kind", "required", "version")
    list_filter = ("kind",)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin[Response]):
    list_display = ("pk", "questionnaire", "version", "status", "channel", "submitted_at")
    list_filter = ("status", "channel")
    fields = ("questionnaire", "version", "status", "channel", "submitted_at")
    readonly_fields = fields
