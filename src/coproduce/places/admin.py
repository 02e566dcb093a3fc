from django.contrib import admin

from coproduce.places.models import Area, AreaPopulation


class AreaPopulationInline(admin.TabularInline[AreaPopulation, Area]):
    model = AreaPopulation
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "level", "parent", "households", "deprivation_decile"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    inlines = [AreaPopulationInline]
