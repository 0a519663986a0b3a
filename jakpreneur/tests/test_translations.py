"""The Indonesian catalogues: nothing left fuzzy (gettext does not compile fuzzy entries, so
the page falls back to English), and the landing page reads Indonesian throughout."""

import ast
import gettext
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


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> dict:
    """The translated entries of a .po file as gettext's compiled catalogue keys them:
    "context\\x04msgid" → msgstr, and (msgid, n) → msgstr[n] for plurals; fuzzy ones left out."""
    entries, entry, field = {}, {}, None

    def close():
        if entry.get("msgid") and not entry.get("fuzzy"):
            key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
            if "msgid_plural" in entry:
                for n, text in sorted(entry.get("plurals", {}).items()):
                    if text:
                        entries[(key, n)] = text
            elif entry.get("msgstr"):
                entries[key] = entry["msgstr"]

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            close()
            entry, field = {}, None
        elif line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field and field[0] == "plurals":
                entry["plurals"][field[1]] += _unquote(line)
            elif field:
                entry[field] += _unquote(line)
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword.startswith("msgstr["):
                n = int(keyword[7:-1])
                entry.setdefault("plurals", {})[n] = _unquote(rest)
                field = ("plurals", n)
            else:
                entry[keyword] = _unquote(rest)
                field = keyword
    return entries


@pytest.mark.parametrize("catalogue", catalogues(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_the_compiled_catalogue_holds_every_translation_of_its_po_file(catalogue):
    """A stale .mo (compilemessages skips a .po older than its .mo, e.g. after a merge took
    one side's .mo) serves English or an old text: compile with msgfmt after every change."""
    compiled = catalogue.with_suffix(".mo")
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    wanted = read_po(catalogue)
    missing = [key for key, text in wanted.items() if catalog.get(key) != text]
    assert missing == [], f"{compiled.relative_to(BASE_DIR)} lacks {len(missing)} entries, e.g. {missing[:3]}"
