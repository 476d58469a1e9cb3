"""Every catalogue is complete, and the compiled catalogues say what the .po files say."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_catalogue_is_complete_and_compiled(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()
    with translation.override(language):
        for entry in catalogue.translated_entries():
            if entry.msgid_plural:
                assert (
                    translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                    == entry.msgstr_plural[0]
                ), entry.msgid
            elif entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_a_french_page_is_in_french(client: object, demo: None) -> None:
    from django.test import Client

    assert isinstance(client, Client)
    html = client.get("/fr/").content.decode()
    with translation.override("fr"):
        assert translation.gettext("File a complaint") in html
    assert "File a complaint" not in html
