from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from coproduce.accounts.models import Participant, User


@admin.register(User)
class LoginAdmin(UserAdmin):
    # Email addresses are encrypted at rest: SQL cannot search them.
    search_fields = ("username", "first_name", "last_name")


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin[Participant]):
    # Demographics and consents are deliberately not shown beside the login here: the
    # admin must not become the place where identity and participation are joined.
    list_display = ["reference", "created_at"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "created_at"]
    fields = ["reference", "created_at"]
