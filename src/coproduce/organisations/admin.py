from django.contrib import admin

from coproduce.organisations.models import (
    Membership,
    Organisation,
    Partnership,
    Service,
    ServiceBacking,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "kind", "level", "area"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "slug"]
    list_select_related = ["area"]
    prepopulated_fields = {"slug": ["name"]}


class ServiceBackingInline(admin.TabularInline[ServiceBacking, Service]):
    model = ServiceBacking
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ["name", "reference", "sector", "provider", "area", "sensitive"]
    list_filter = ["sector", "sensitive"]
    search_fields = ["name", "reference"]
    list_select_related = ["provider", "area"]
    inlines = [ServiceBackingInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    list_display = ["source", "target", "kind", "started_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["source", "target"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user"]
