"""Arabic pages (/ar/..., <html dir="rtl">) are the English layout mirrored, at a desktop and a phone width.

site.css says start and end (tests/test_css_logical.py keeps it so), so in right-to-left the site's name sits at
the right of the header and the account's links at the left, the sections run from the right, the role's work
sits at their left end, the language bar's links at the left, and nothing spills past either edge (in RTL an
overflow goes off the LEFT edge, which the LTR reflow check does not look at). Each page is screenshotted to
test-artifacts/screenshots/rtl-*.png for a person to look at, and checked with axe.
"""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ADMIN = "admin@demo.example.org"

# Boxes of the header's parts (x from the left edge of the viewport) and anything wider than the viewport on
# either side (absolutely placed things, like the skip link and visually hidden text, are left out).
MEASURE = """() => {
  const box = sel => { const el = document.querySelector(sel); if (!el || !el.getClientRects().length) return null;
    const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const xs = sel => [...document.querySelectorAll(sel)].filter(visible).map(el => el.getBoundingClientRect().left);
  const root = document.documentElement, limit = root.clientWidth, wide = [];
  if (root.scrollWidth > limit) wide.push('document scrollWidth ' + root.scrollWidth);
  // Each box of an element (an inline one wrapped over two lines has one per line: their union is not drawn).
  for (const el of document.querySelectorAll('body *')) {
    const position = getComputedStyle(el).position;
    if (position === 'absolute' || position === 'fixed' || el.closest('.visually-hidden')) continue;  // clipped
    for (const r of el.getClientRects()) {
      if (r.width && (r.left < -1 || r.right > limit + 1))
        wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') +
                  ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  return {
    dir: root.dir, lang: root.lang, width: limit,
    wrap: box('.header-row'), brand: box('.brand'), account: box('nav.account-nav'),
    menu: box('.menu-button'), languages: box('.language-bar ul'),
    language_links: [...document.querySelectorAll('.language-bar a')].map(a => {
      const r = a.getBoundingClientRect(); return {left: r.left, right: r.right, height: r.height, width: r.width}; }),
    sections: xs('.header-sections nav li:not(.nav-work)'), work: xs('.header-sections nav li.nav-work'),
    wide: wide.slice(0, 10),
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("rtl"))
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def addresses(server):
    """The demo's first thread and its live session, read from the English home page (no language prefix)."""
    home = requests.get(server.url + "/en/", timeout=10).text
    session = re.search(r'href="/en(/sessions/\d+)"', home).group(1)
    topic = re.search(r'href="/en(/topics/[a-z0-9-]+)"', home).group(1)
    thread = re.search(r'href="/en(/threads/\d+)"', requests.get(server.url + "/en" + topic, timeout=10).text).group(1)
    return {"home": "/", "thread": thread, "room": session, "sign-in": "/login", "register": "/register"}


def measured(page: Page) -> dict:
    return page.evaluate(MEASURE)


def assert_mirrored(m: dict, label: str) -> None:
    """The header mirrored: the site's name at the right edge, the account's links (or the Menu button) left of it,
    the language links at the left edge; nothing past either edge."""
    assert (m["dir"], m["lang"]) == ("rtl", "ar"), label
    wrap, brand = m["wrap"], m["brand"]
    assert abs(brand["right"] - (wrap["right"] - 16)) <= 2, f"{label}: the site's name is not at the right: {m}"
    other = m["menu"] or m["account"]
    assert other["right"] <= brand["left"], f"{label}: the account's links/Menu are not left of the name: {m}"
    assert abs(other["left"] - (wrap["left"] + 16)) <= 2, f"{label}: the account's links/Menu not at the left: {m}"
    links = m["language_links"]
    assert links and min(a["left"] for a in links) <= wrap["left"] + 16 + 2, f"{label}: languages not at the left: {m}"
    assert all(a["height"] >= 24 and a["width"] >= 24 for a in links), f"{label}: language links under 24px: {links}"
    assert not m["wide"], f"{label}: wider than the {m['width']}px viewport: {m['wide']}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("name", ["home", "thread", "room", "sign-in", "register"])
def test_arabic_pages_are_mirrored_without_overflow(browser_context, server, addresses, name, viewport):
    page = browser_context(viewport=viewport)
    page.goto("/ar" + addresses[name])
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_load_state("networkidle")
    m = measured(page)
    label = f"/ar{addresses[name]} at {viewport['width']}px"
    assert_mirrored(m, label)
    if viewport is DESKTOP:
        # The sections run from the right: each next one is further left.
        assert m["sections"] == sorted(m["sections"], reverse=True) and len(m["sections"]) == 7, (label, m)
    helpers.check_axe(page, f"rtl-{name}-{viewport['width']}")
    helpers.screenshot(page, f"rtl-{name}-{viewport['width']}")


def test_the_open_menu_on_a_phone_is_mirrored(browser_context, server):
    page = browser_context(viewport=PHONE)
    page.goto("/ar/")
    button = page.locator(".menu-button")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    m = measured(page)
    assert_mirrored(m, "open menu at 390px")
    # The grid of links fills from the right: the first section is in the right-hand column.
    assert m["sections"][0] > m["sections"][1], m
    helpers.screenshot(page, "rtl-menu-open-390")


def test_an_admins_header_is_one_row_each_with_the_work_at_the_left_end(browser_context, server, addresses):
    page = browser_context(viewport=DESKTOP)
    helpers.sign_in(page, ADMIN, server.passwords[ADMIN])
    page.goto("/ar" + addresses["room"])
    m = measured(page)
    assert_mirrored(m, "admin, live room, 1280px")
    sections, work = m["sections"], m["work"]
    assert len(work) == 2 and max(work) < min(sections), m  # the role's work after (left of) the sections
    assert min(work) <= m["wrap"]["left"] + 16 + 2, m  # pushed to the far (left) end
    helpers.screenshot(page, "rtl-admin-room-1280")
    page.goto("/en" + addresses["room"])  # and English is as it was: the name at the left
    m = measured(page)
    assert m["dir"] == "ltr" and abs(m["brand"]["left"] - (m["wrap"]["left"] + 16)) <= 2, m
    assert max(m["work"]) + 1 > max(m["sections"]) and m["account"]["left"] >= m["brand"]["right"], m


def test_residents_words_keep_their_own_direction_on_an_arabic_page(browser_context, server, addresses):
    """A Latin title (dir="auto") lines up with the Arabic page; typed text runs its own way; addresses stay LTR."""
    page = browser_context(viewport=DESKTOP)
    page.goto("/ar" + addresses["thread"])
    heading = page.get_by_role("heading", level=1)
    heading.evaluate("h => h.setAttribute('dir', 'auto')")  # as the forum's templates mark a resident's title
    style = heading.evaluate("h => [getComputedStyle(h).direction, getComputedStyle(h).textAlign]")
    assert style == ["ltr", "right"], style  # its own direction, the page's edge
    page.goto("/ar/register")
    name, email = page.locator("#display_name"), page.locator("#email")  # labelled in Arabic here
    name.fill("Jo Resident")
    assert name.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    assert email.evaluate("e => getComputedStyle(e).direction") == "ltr"
