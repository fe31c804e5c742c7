"""The catalogues are whole: every message extracted from the code is in the template, Welsh has them all,
translated, none fuzzy, every plural form written and every placeholder kept.

Run `make translations` after marking text, translate in translations/cy/LC_MESSAGES/, and these pass.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
DOMAINS = {"messages": "babel.cfg", "js": "babel-js.cfg"}
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalogue) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalogue if m.id}


@pytest.fixture(scope="module", params=list(DOMAINS))
def extracted(request, tmp_path_factory):
    """What `pybabel extract` finds in the code now, for one domain."""
    domain = request.param
    out = tmp_path_factory.mktemp("extract") / f"{domain}.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", DOMAINS[domain], *KEYWORDS]
        + ["--no-location", "-o", str(out), "."],
        cwd=ROOT,
        check=True,
    )
    return domain, _read(out)


def test_the_template_holds_every_message_the_code_marks(extracted):
    domain, now = extracted
    committed = _read(TRANSLATIONS / f"{domain}.pot")
    missing = _ids(now) - _ids(committed)
    stale = _ids(committed) - _ids(now)
    assert not missing, f"marked in the code but not in {domain}.pot (run `make translations`): {sorted(missing)[:20]}"
    assert not stale, f"in {domain}.pot but no longer in the code (run `make translations`): {sorted(stale)[:20]}"


def test_welsh_has_every_message_translated_none_fuzzy(extracted):
    domain, now = extracted
    welsh = _read(TRANSLATIONS / "cy" / "LC_MESSAGES" / f"{domain}.po", "cy")
    assert welsh.num_plurals == 6
    absent = _ids(now) - _ids(welsh)
    assert not absent, f"not in the Welsh {domain}.po (run `make translations`): {sorted(absent)[:20]}"
    problems = []
    for message in welsh:
        if not message.id:
            continue
        strings = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
        if "fuzzy" in message.flags:
            problems.append(("fuzzy", message.id))
        if message.pluralizable and len(strings) != welsh.num_plurals:
            problems.append(("plural forms", message.id))
        if not all(s and s.strip() for s in strings):
            problems.append(("untranslated", message.id))
    assert not problems, f"{len(problems)} Welsh messages need work: {problems[:20]}"


@pytest.mark.parametrize("code", ["cy", "ar"])
def test_translations_keep_every_placeholder(code, extracted):
    """A translation that drops or renames %(name)s would fail at run time or lose a number."""
    domain, _now = extracted
    catalogue = _read(TRANSLATIONS / code / "LC_MESSAGES" / f"{domain}.po", code)
    wrong = []
    for message in catalogue:
        if not message.id or "fuzzy" in message.flags:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = {name for text in ids for name in _names(text)}
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for string in strings:
            if string and (_names(string) - wanted or (not message.pluralizable and _names(string) != wanted)):
                wrong.append((message.id, string))
    assert not wrong, f"{code} translations whose placeholders differ from the English: {wrong[:10]}"


def _names(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_arabic_is_partial_and_says_so():
    """Arabic covers the residents' journeys; the rest falls back to English, which the picker states."""
    from debate.i18n import LANGUAGES, PARTIAL_NOTE

    assert LANGUAGES["ar"].complete is False and "ar" in PARTIAL_NOTE
    arabic = _read(TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.po", "ar")
    assert arabic.num_plurals == 6
    assert not [m.id for m in arabic if m.id and "fuzzy" in m.flags]
    translated = [
        m for m in arabic if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert len(translated) >= 150, f"only {len(translated)} Arabic messages translated"
