from django.contrib import admin

from .models import Campaign, CampaignLink, LinkVisitDay


class CampaignLinkInline(admin.TabularInline[CampaignLink, Campaign]):
    model = CampaignLink
    extra = 0
    fields = ["channel", "code"]
    readonly_fields = ["code"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin[Campaign]):
    list_display = ["title", "reference", "activity", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["title", "reference"]
    readonly_fields = ["reference"]
    raw_id_fields = ["activity"]
    inlines = [CampaignLinkInline]


@admin.register(CampaignLink)
class CampaignLinkAdmin(admin.ModelAdmin[CampaignLink]):
    list_display = ["code", "campaign", "channel"]
    list_filter = ["channel"]
    search_fields = ["code", "campaign__title"]
    readonly_fields = ["code"]
    raw_id_fields = ["campaign"]


@admin.register(LinkVisitDay)
class LinkVisitDayAdmin(admin.ModelAdmin[LinkVisitDay]):
    """Read only: counts are written by visits alone, so that nobody can inflate them."""

    list_display = ["link", "day", "visits"]
    date_hierarchy = "day"
    raw_id_fields = ["link"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
