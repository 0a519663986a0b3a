"""The Indonesian catalogues: nothing left fuzzy (gettext does not compile fuzzy entries, so
the page falls back to English), and the landing page reads Indonesian throughout."""

import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
IGNORED = {".venv", "staticfiles", "test-artifacts", "node_modules"}


def catalogues() -> list[Path]:
    return sorted(path for path in BASE_DIR.rglob("locale/*/LC_MESSAGES/*.po") if not IGNORED & set(path.parts))


def test_the_catalogues_are_found():
    assert BASE_DIR / "locale/id/LC_MESSAGES/django.po" in catalogues()


@pytest.mark.parametrize("catalogue", catalogues(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_no_translation_is_left_fuzzy(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    fuzzy = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"#,.*\bfuzzy\b", line)]
    assert fuzzy == [], f"fuzzy entries at lines {fuzzy}: translate them and remove the flag"


@pytest.mark.django_db
def test_the_indonesian_landing_page_has_no_english_paragraph(client):
    body = client.get("/").content.decode()
    assert "JakPreneur (sebelumnya OK OCE) adalah program" in body
    assert "formerly OK OCE" not in body
