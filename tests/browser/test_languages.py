"""Languages in a real browser: the switch on every page, Welsh and Arabic pages that pass axe at desktop and
phone width (screenshots in test-artifacts/screenshots/lang-*), and residents' names isolated so that bidi
controls and right-to-left names never reorder the words around them (checked by where Chromium draws them).
"""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

WELSH = Translations.load(str(helpers.ROOT / "translations"), ["cy"])
ARABIC = Translations.load(str(helpers.ROOT / "translations"), ["ar"])


def cy(text: str) -> str:
    """The Welsh catalogue's translation of an interface text (the test fails if there is none)."""
    welsh = WELSH.gettext(text)
    assert welsh != text, f"no Welsh for {text!r}"
    return welsh


def ar(text: str) -> str:
    arabic = ARABIC.gettext(text)
    assert arabic != text, f"no Arabic for {text!r}"
    return arabic


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("languages"))
    try:
        srv.relax_posting_pace()
        yield srv
    finally:
        srv.stop()


def language_bar(page: Page):
    return page.get_by_role("navigation", name=re.compile("^(Language|Iaith|اللغة)$"))


def test_any_page_switches_to_welsh_and_back_at_a_stable_address(browser_context, server):
    page = browser_context()
    page.goto("/threads/1")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    language_bar(page).get_by_role("link", name="Cymraeg").click()
    assert urlsplit(page.url).path == "/cy/threads/1"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    # The choice is remembered: an address without a language now opens in Welsh, and links stay Welsh.
    page.goto("/sessions")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    language_bar(page).get_by_role("link", name="English").click()
    assert urlsplit(page.url).path == "/en/sessions"
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")


def test_accept_language_picks_the_first_visit(browser_context, server):
    page = browser_context(locale="cy-GB")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    arabic = browser_context(locale="ar")
    arabic.goto("/")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")


PAGES = {
    "home": (None, "/"),
    "register": (None, "/register"),
    "sign-in": (None, "/login"),
    "thread": (None, "/threads/1"),
    "sessions": (None, "/sessions"),
    "room": ("resident@demo.example.org", "/sessions/1"),
    "your-questions": ("resident@demo.example.org", "/questions/mine"),
    "flag": ("resident2@demo.example.org", "/flag/reply/1"),
    "queue": ("moderator@demo.example.org", "/moderation/"),
    "admin": ("admin@demo.example.org", "/admin/"),
}


@pytest.mark.parametrize("code", ["cy", "ar"])
@pytest.mark.parametrize("name", list(PAGES))
def test_welsh_and_arabic_pages_pass_axe_at_desktop_and_phone_width(browser_context, server, code, name):
    who, path = PAGES[name]
    page = browser_context()
    if who:
        helpers.sign_in(page, who, server.passwords[who])
    page.goto(f"/{code}{path}")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
    helpers.check_axe(page, f"lang-{code}-{name}-desktop")
    helpers.screenshot(page, f"lang-{code}-{name}-desktop")
    page.set_viewport_size(helpers.PHONE)
    helpers.check_axe(page, f"lang-{code}-{name}-phone")
    helpers.assert_no_horizontal_overflow(page, f"{code}-{name}")
    helpers.screenshot(page, f"lang-{code}-{name}-phone")


def test_the_rtl_layout_mirrors(browser_context, server):
    """In Arabic the site's name sits at the right and the page's text starts at the right."""
    page = browser_context()
    page.goto("/ar/threads/1")
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert brand and heading
    assert brand["x"] + brand["width"] > width * 0.6, brand
    assert heading["x"] + heading["width"] > width * 0.6, heading


# --- bidi ------------------------------------------------------------------------------------------------

# A name with a right-to-left override and no end to it, one with an isolate left open, and an Arabic name:
# each, placed inline beside English words and numbers, reorders them unless it is isolated.
NAMES = {
    "override": ("bidi.override@example.org", "Mallory \u202eoverride"),
    "isolate": ("bidi.isolate@example.org", "Ivy \u2067open isolate"),
    "arabic": ("bidi.arabic@example.org", "سارة أحمد"),
}
PASSWORD = "bidi pass phrase 42"
SEED = """
from debate import create_app
from debate.extensions import db
from debate.models import Role
from tests.support.people import person
app = create_app()
with app.app_context():
    for email, name in {names!r}:
        person(email.split("@")[0], Role.RESIDENT, name, {password!r})
"""

# For each element (a <bdi> or dir="auto" element holding a name): the text beside it in its line, in DOM
# order, must be drawn in that order around it: words before it end at its left, words after start at its right.
ORDER = """
(names) => {
  const out = [];
  for (const el of names) {
    const block = el.closest('p, li, dd, td, th, h1, h2, h3, div');
    const box = el.getBoundingClientRect();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let node, before = true;
    while ((node = walker.nextNode())) {
      if (el.contains(node)) { before = false; continue; }
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width === 0 || r.bottom <= box.top || r.top >= box.bottom) continue;  // another line
        const ok = before ? r.right <= box.left + 1 : r.left >= box.right - 1;
        if (!ok) out.push({name: el.textContent, text: node.textContent.trim(), before, left: r.left, right: r.right,
                           nameLeft: box.left, nameRight: box.right});
      }
    }
  }
  return out;
}
"""


def _names_in_place(page: Page, name: str, where: str) -> None:
    holders = page.locator(f"bdi:has-text('{name}'), [dir=auto]:has-text('{name}')")
    expect(holders.first).to_be_visible()
    misplaced = holders.evaluate_all(ORDER)
    assert not misplaced, f"{where}: the words around {name!r} are reordered: {misplaced}"


@pytest.fixture(scope="module")
def bidi_members(server):
    script = SEED.format(names=[(email, name) for email, name in NAMES.values()], password=PASSWORD)
    subprocess.run([sys.executable, "-c", script], cwd=helpers.ROOT, env=server.env, check=True, timeout=60)
    return NAMES


@pytest.mark.parametrize("kind", list(NAMES))
def test_a_name_with_bidi_controls_or_in_arabic_never_reorders_the_words_around_it(
    browser_context, server, bidi_members, kind
):
    email, name = bidi_members[kind]
    visible = name.strip("\u202e\u2067").split()[0]
    member, moderator = browser_context(), browser_context()
    helpers.sign_in(member, email, PASSWORD)
    helpers.sign_in(moderator, "moderator@demo.example.org", server.passwords["moderator@demo.example.org"])

    # A reply on a thread page (server-rendered), then flagged into the moderators' queue.
    member.goto("/threads/1")
    words = f"Reply from the {kind} test: the library hours matter to us."
    member.get_by_label("Your reply", exact=True).fill(words)
    member.get_by_role("button", name="Post reply").click()
    expect(member.get_by_text(words)).to_be_visible()
    _names_in_place(member, visible, "thread page")

    # A question the moderator's open room receives live (inserted by the live script, held for review).
    moderator.goto("/sessions/1")
    expect(moderator.locator("#live-room")).to_have_attribute("data-live", "on")
    member.goto("/sessions/1")
    expect(member.locator("#live-room")).to_have_attribute("data-live", "on")
    question = f"Question from the {kind} test: will Saturday opening stay?"
    member.get_by_label("Your question", exact=True).fill(question)
    member.get_by_role("button", name=re.compile("^Ask")).click()
    expect(moderator.get_by_text(question)).to_be_visible()
    _names_in_place(moderator, visible, "live room (inserted live)")

    moderator.goto("/moderation/")
    expect(moderator.get_by_text(question).or_(moderator.get_by_text(words)).first).to_be_visible()
    _names_in_place(moderator, visible, "moderators' queue")
