"""Every page in English and Welsh, signed out and as each role; the residents' journeys in Arabic too.

Each (role, language) is crawled once (module fixtures) and every check reads the shared pages:
- the same status (a Welsh redirect stays Welsh), `<html lang>` and `dir` right;
- the same forms with the same fields in both languages;
- a link to the page's counterpart in the other language;
- no English left on a Welsh page: no interface text the English page shows word for word (residents' text,
  inside dir="auto", <bdi> or another `lang`, is not interface text), and no English catalogue message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.i18n.crawl import NOT_PAGES, ROLES, Page, Site

ROOT = Path(__file__).resolve().parents[2]
# The residents' journeys the Arabic catalogue covers (debate.i18n.PARTIAL_NOTE says the rest is English).
ARABIC_JOURNEYS = [
    "main.index",
    "auth.login",
    "auth.register",
    "auth.forgot_password",
    "forums.topic",
    "forums.thread",
    "live.index",
    "live.room",
    "moderation_public.flag_form",
    "accountability.mine",
    "notifications.index",
]
# Text that is the same in both languages by nature: names of things, units, codes.
SAME_IN_BOTH = {"Common Ground", "English", "Cymraeg", "GMT", "BST", "CSV", "JSON", "QR", "Markdown", "Panel", "Roma"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(str(tmp_path_factory.mktemp("crawl")))


@pytest.fixture(scope="module", params=list(ROLES))
def both(request, site) -> tuple[str, dict[str, Page], dict[str, Page]]:
    """(role, English pages, Welsh pages) for one role: each language crawled once."""
    role = request.param
    return role, site.crawl(role, "en"), site.crawl(role, "cy")


def test_every_route_has_a_page_in_both_languages_with_the_same_answer(both):
    role, english, welsh = both
    assert english.keys() == welsh.keys() and len(english) > 50
    wrong = {}
    for endpoint, page in english.items():
        other = welsh[endpoint]
        if page.status != other.status:
            wrong[endpoint] = (page.status, other.status)
        elif page.status in (301, 302, 303) and other.location.startswith("/") and not other.location.startswith("/cy"):
            wrong[endpoint] = f"a Welsh page redirects to English: {other.location}"
        elif page.status >= 500:
            wrong[endpoint] = page.status
    assert not wrong, f"as {role}: {wrong}"


def test_html_lang_and_dir_follow_the_language(both):
    role, english, welsh = both
    for pages, lang in ((english, "en-GB"), (welsh, "cy")):
        wrong = {
            e: (p.lang, p.dir)
            for e, p in pages.items()
            if p.html and not p.fragment and (p.lang, p.dir) != (lang, "ltr")
        }
        assert not wrong, f"as {role}: {wrong}"


def test_the_same_forms_and_fields_in_both_languages(both):
    role, english, welsh = both
    wrong = {e: (p.forms ^ welsh[e].forms) for e, p in english.items() if p.forms != welsh[e].forms}
    assert not wrong, f"as {role}: forms that differ between English and Welsh: {wrong}"


def test_every_page_links_to_its_counterpart(both):
    role, english, welsh = both
    missing = []
    for endpoint, page in english.items():
        if not page.html or page.fragment or endpoint in NOT_PAGES:
            continue
        path = page.path.removeprefix("/en")
        if f"/cy{path}" not in page.links:
            missing.append((endpoint, f"/cy{path}"))
        if f"/en{path}" not in welsh[endpoint].links:
            missing.append((endpoint, f"/en{path}"))
    assert not missing, f"as {role}: {missing}"


def _english_left(english: Page, welsh: Page) -> list[str]:
    """Interface text on the Welsh page that the English page shows word for word.

    Not counted: words that are the same in both languages, and a page's <title> made of a resident's title
    and the site's name ("Should the old depot become homes? · Common Ground")."""
    english_texts = set(english.texts)
    residents = set(welsh.residents)
    left = []
    for text in welsh.texts:
        if text not in english_texts or not re.search(r"[A-Za-z]{3,}", text):
            continue
        if text.strip(" .,:;·()") in SAME_IN_BOTH or text.removesuffix(" · Common Ground") in residents:
            continue
        left.append(text)
    return left


def test_no_english_left_on_a_welsh_page(both):
    role, english, welsh = both
    left = {e: _english_left(p, welsh[e]) for e, p in english.items() if p.html}
    left = {e: texts for e, texts in left.items() if texts}
    assert not left, (
        f"as {role}, English text on Welsh pages (mark it for translation, or mark residents' text): {left}"
    )


@pytest.fixture(scope="module")
def catalogue_phrases() -> list[str]:
    """English phrases of the catalogue whose Welsh differs: long enough (two words, 12 characters) to be telling."""
    with (ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        welsh = read_po(handle, locale="cy")
    phrases = set()
    for message in welsh:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for msgid in ids:
            if msgid in strings:
                continue
            for piece in re.split(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>", msgid):
                piece = " ".join(piece.split()).strip(" .,:;()")
                if len(piece) >= 12 and " " in piece:
                    phrases.add(piece)
    return sorted(phrases)


def test_no_english_catalogue_message_on_a_welsh_page(both, catalogue_phrases):
    role, _english, welsh = both
    found = {}
    for endpoint, page in welsh.items():
        text = " ".join(page.texts)
        hits = [phrase for phrase in catalogue_phrases if phrase in text]
        if hits:
            found[endpoint] = hits[:5]
    assert not found, f"as {role}, English catalogue text on Welsh pages: {found}"


@pytest.mark.parametrize("role", ["visitor", "resident"])
def test_the_residents_journeys_in_arabic_are_right_to_left(site, role):
    arabic = site.crawl(role, "ar", ARABIC_JOURNEYS)
    english = site.crawl(role, "en", ARABIC_JOURNEYS)
    assert arabic.keys() == set(ARABIC_JOURNEYS)
    for endpoint, page in arabic.items():
        assert page.status == english[endpoint].status, endpoint
        if not page.html:
            continue
        assert (page.lang, page.dir) == ("ar", "rtl"), endpoint
        assert page.forms == english[endpoint].forms, endpoint
        path = page.path.removeprefix("/ar")
        assert f"/en{path}" in page.links and f"/cy{path}" in page.links, endpoint
        # Translated, not just mirrored: most of the interface text differs from the English page.
        same = [t for t in page.texts if t in set(english[endpoint].texts) and re.search(r"[A-Za-z]{3,}", t)]
        assert len(same) <= len(page.texts) // 4, f"{endpoint}: mostly English in Arabic: {same[:10]}"
