"""The one financial proxy the product ships: the value of a WELLBY.

Only what can be cited and bundled is shipped. HACT's Social Value Bank licence forbids
bundling its values: an organisation that holds a HACT licence enters them itself.
"""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

WELLBY = {
    "name": "WELLBY (wellbeing-adjusted life year)",
    "unit": (
        "One point of life satisfaction on the 0–10 scale, for one person, for one year "
        "(ONS4 life satisfaction)"
    ),
    "value": Decimal("13000"),
    "low": Decimal("10000"),
    "high": Decimal("16000"),
    "currency": "GBP",
    "price_year": 2019,
    "source": (
        "HM Treasury (2021), Wellbeing guidance for appraisal: supplementary Green Book "
        "guidance, July 2021: £13,000 per WELLBY in 2019 prices (range £10,000–£16,000)"
    ),
    "source_url": "https://www.gov.uk/government/publications/green-book-supplementary-guidance-wellbeing",
    "licence_note": "Crown copyright, Open Government Licence v3.0",
    "measure": "ons4:satisfied",
}


def ship(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    proxy = apps.get_model("impact", "FinancialProxy")
    proxy.objects.update_or_create(organisation=None, name=WELLBY["name"], defaults=WELLBY)


def unship(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("impact", "FinancialProxy").objects.filter(
        organisation=None, name=WELLBY["name"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("impact", "0002_social_value")]

    operations = [migrations.RunPython(ship, unship)]
