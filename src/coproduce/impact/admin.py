from django.contrib import admin

from .models import Collection, Indicator, InstrumentLicence, Outcome


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin[Outcome]):
    list_display = ["title", "service", "standard"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["title", "outcome", "instrument", "measure"]


@admin.register(InstrumentLicence)
class InstrumentLicenceAdmin(admin.ModelAdmin[InstrumentLicence]):
    list_display = ["organisation", "instrument", "holder", "confirmed_by", "confirmed_at"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin[Collection]):
    list_display = ["service", "instrument", "created_at"]
