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


def test_a_new_user_signs_up_and_takes_part_entirely_in_welsh(browser_context, server):
    """Switch to Welsh on the home page, register, confirm from a Welsh email, reply to a thread and ask a live
    question, every page in Welsh; then back to English with one click."""
    member = helpers.new_member("Cymro")
    page = browser_context()
    page.goto("/")
    language_bar(page).get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("navigation", name=cy("Account")).get_by_role("link", name=cy("Register")).click()
    page.get_by_label(cy("Display name")).fill(member.name)
    page.get_by_label(cy("Email address")).fill(member.email)
    page.get_by_label(cy("Password"), exact=True).fill(member.password)
    page.get_by_label(cy("Confirm password")).fill(member.password)
    page.get_by_role("button", name=cy("Create account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Check your email"))

    # The confirmation email is Welsh, and its link opens the Welsh page.
    link = helpers.email_link(server, member.email, "/cy/verify/")
    sent = server.log().split(f"To: {member.email}\n")[-1]
    assert f"Subject: [Common Ground] {cy('Confirm your email address')}" in sent.split("\n\n")[0], sent[:400]
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    page.goto("/cy/login")
    page.get_by_label(cy("Email address")).fill(member.email)
    page.get_by_label(cy("Password")).fill(member.password)
    page.get_by_role("button", name=cy("Sign in")).click()
    expect(helpers.flash(page)).to_contain_text(member.name)

    # Reply to a thread, in Welsh.
    page.goto("/threads/1")  # no prefix: the recorded choice is Welsh
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    words = "Diolch am y drafodaeth: mae tai cymdeithasol yn bwysig i'n cymuned ni."
    page.locator("#reply-form select[name=lang], form select[name=lang]").first.select_option("cy")
    page.get_by_label(cy("Your reply"), exact=True).fill(words)
    page.get_by_role("button", name=cy("Post reply")).click()
    expect(page.locator(".post-body[lang=cy]", has_text=words)).to_be_visible()

    # Ask in the live session, through the live layer, and see it waiting for review in Welsh.
    page.goto("/sessions")
    page.locator("section", has=page.get_by_role("heading", name=cy("Live now"))).get_by_role("link").first.click()
    expect(page.locator("#live-room")).to_have_attribute("data-live", "on")
    question = "A fydd y llyfrgell ar agor ar ddydd Sadwrn y flwyddyn nesaf?"
    page.get_by_label(cy("Your question"), exact=True).fill(question)
    page.get_by_role("button", name=cy("Send question")).click()
    expect(page.locator("#live-mine").get_by_text(question)).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "cy"
    helpers.check_axe(page, "lang-cy-journey-room")

    language_bar(page).get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", name="Your questions")).to_be_visible()


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
    "room": ("resident@demo.example.org", "/sessions/3"),
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
    "override": ("bidi-override@example.org", "Mallory \u202eoverride"),
    "isolate": ("bidi-isolate@example.org", "Ivy \u2067نور"),
    "arabic": ("bidi-arabic@example.org", "سارة أحمد"),
}
PASSWORD = "bidi pass phrase 42"
# Members of two months' standing (a new account's first posts are held for review).
SEED = """
from datetime import timedelta
from debate import create_app
from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from tests.support.people import person
app = create_app()
with app.app_context():
    for email, name in {names!r}:
        person(email.split("@")[0], Role.RESIDENT, name, {password!r}).created_at = utcnow() - timedelta(days=60)
    db.session.commit()
"""

# For each element (a <bdi> or dir="auto" element holding a name): the text beside it in its line, in DOM
# order, must be drawn in that order around it: words before it end at its left, words after start at its right.
ORDER = """
(names) => {
  const out = [];
  const hidden = (node) => !!(node.nodeType === 1 ? node : node.parentElement).closest('.visually-hidden');
  for (const el of names) {
    if (hidden(el)) continue;  // read by screen readers only: not drawn anywhere
    const block = el.closest('p, li, dd, td, th, h1, h2, h3, div');
    const box = el.getBoundingClientRect();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let node, before = true;
    while ((node = walker.nextNode())) {
      if (el.contains(node)) { before = false; continue; }
      if (!node.textContent.trim() || hidden(node)) continue;
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


def live_room(page: Page) -> str:
    """The address of the demo's session that is live now."""
    page.goto("/en/sessions")  # in English whatever this demo member chose in an earlier test
    live_now = page.locator("section", has=page.get_by_role("heading", name="Live now"))
    return live_now.get_by_role("link").first.get_attribute("href") or ""


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
    member.goto("/en/threads/1")
    words = f"Reply from the {kind} test: the library hours matter to us."
    member.get_by_label("Your reply", exact=True).fill(words)
    member.get_by_role("button", name="Post reply").click()
    expect(member.get_by_text(words)).to_be_visible()
    _names_in_place(member, visible, "thread page")

    # A question the moderator's open room receives live (inserted by the live script, held for review).
    room = live_room(moderator)
    moderator.goto(room)
    expect(moderator.locator("#live-room")).to_have_attribute("data-live", "on")
    member.goto(room)
    expect(member.locator("#live-room")).to_have_attribute("data-live", "on")
    question = f"Question from the {kind} test: will Saturday opening stay?"
    member.get_by_label("Your question", exact=True).fill(question)
    member.get_by_role("button", name="Send question").click()
    expect(moderator.locator("#live-pending .post-body", has_text=question)).to_be_visible()
    _names_in_place(moderator, visible, "live room (inserted live)")

    moderator.goto("/en/moderation/")
    expect(moderator.get_by_text(question).or_(moderator.get_by_text(words)).first).to_be_visible()
    _names_in_place(moderator, visible, "moderators' queue")


@pytest.mark.parametrize("kind", list(NAMES))
def test_the_order_check_sees_a_name_left_unisolated(browser_context, server, kind):
    """The check above can fail: the same name in a plain <span>, beside the same words, is caught."""
    _email, name = NAMES[kind]
    page = browser_context()
    page.goto("/privacy")  # any page of ours: its stylesheet, no script of the test's own
    page.evaluate(
        """(name) => {
          const p = document.createElement('p');
          p.id = 'probe';
          p.append('Reply by ', Object.assign(document.createElement('span'), {textContent: name}), ' 3 hours ago');
          document.querySelector('main').prepend(p);
        }""",
        name,
    )
    misplaced = page.locator("#probe span").evaluate_all(ORDER)
    assert misplaced, f"an unisolated {kind} name should reorder the words after it"
    page.evaluate(
        "() => { const s = document.querySelector('#probe span'); s.outerHTML = '<bdi>' + s.innerHTML + '</bdi>'; }"
    )
    assert page.locator("#probe bdi").evaluate_all(ORDER) == []
