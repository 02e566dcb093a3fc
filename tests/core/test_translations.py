"""Every user-facing string is translatable; Vietnamese is complete, Welsh present."""

from pathlib import Path

import polib
import pytest
from django.test import Client

import coproduce

LOCALE = Path(coproduce.__file__).parent / "locale"


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_vietnamese_has_every_string_translated_and_none_fuzzy() -> None:
    vietnamese = catalogue("vi")
    untranslated = [entry.msgid for entry in vietnamese.untranslated_entries()]
    fuzzy = [entry.msgid for entry in vietnamese.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_welsh_is_present_and_translates_the_site_chrome() -> None:
    welsh = catalogue("cy")
    translated = {entry.msgid for entry in welsh.translated_entries()}
    assert {"Sign in", "Skip to main content", "Language"} <= translated


@pytest.mark.parametrize(
    ("language", "sign_in"), [("en", "Sign in"), ("vi", "Đăng nhập"), ("cy", "Mewngofnodi")]
)
def test_the_chosen_language_is_used_for_the_page(language: str, sign_in: str, db: None) -> None:
    client = Client()
    client.get(f"/language/{language}/?next=/")
    body = client.get("/account/sign-in/").content.decode()
    assert f'<html lang="{language}"' in body
    assert sign_in in body
