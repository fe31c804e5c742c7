"""The site header in every role and width, and the home page leading with the session that is live now.

The signed-in menu wrapped at 1280 px (the admin had the most links: twelve in one row under the site's
name, wrapping onto a second). Now the header is two lines by design, each one row from 56rem: the site's
name with the account's links, then the site's sections with the role's work at the end. Narrower (a
tablet, a phone), a Menu button folds both (static/js/menu.js), carrying the unread count; without
JavaScript the links stay open as a grid. Each case is measured here, and screenshotted.

The home page did not mention a session live now: it now leads with it and a link to join.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

ROLES = {
    "admin": "admin@demo.example.org",
    "moderator": "moderator@demo.example.org",
    "councillor": "councillor@demo.example.org",
    "resident": "resident@demo.example.org",
    "signed-out": None,
}
LINKS = {"admin": 13, "moderator": 12, "councillor": 12, "resident": 11, "signed-out": 9}
PHONE = {"width": 390, "height": 844}

MEASURE = """() => {
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const rows = nav => new Set([...nav.querySelectorAll('li')].filter(visible)
    .map(li => Math.round(li.getBoundingClientRect().top))).size;
  const main = document.querySelector('nav[aria-label="Main"]');
  const account = document.querySelector('nav[aria-label="Account"]');
  // The language bar is a strip of its own above the two lines (never folded): measured apart.
  const bar = document.querySelector('.language-bar').getBoundingClientRect();
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const a = account.getBoundingClientRect(), m = main.getBoundingClientRect();
  return {
    main_rows: rows(main), account_rows: rows(account),
    links: [...document.querySelectorAll('.site-header li:not(.language-bar li)')].filter(visible).length,
    languages: [...document.querySelectorAll('.language-bar li')].filter(visible).length,
    header: Math.round(header.height - bar.height), bar: Math.round(bar.height),
    overlap: visible(main) && visible(account) && a.bottom > m.top + 1,
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("header"))
    try:
        yield srv
    finally:
        srv.stop()


def signed_in(browser_context, server, role: str, **options):
    page = browser_context(**options)
    if ROLES[role]:
        helpers.sign_in(page, ROLES[role], server.passwords[ROLES[role]])
    return page


@pytest.mark.parametrize("role", list(ROLES))
def test_each_line_of_the_header_is_one_row_at_desktop_widths(browser_context, server, role):
    page = signed_in(browser_context, server, role)
    for width in (1280, 1024, 900):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        measured = page.evaluate(MEASURE)
        assert measured == {
            "main_rows": 1,
            "account_rows": 1,
            "links": LINKS[role],
            "languages": 2,
            "header": measured["header"],
            "bar": measured["bar"],
            "overlap": False,
        }, (role, width, measured)
        assert measured["bar"] <= 40, (role, width, measured)
        assert measured["header"] <= 120, (role, width, measured)
        expect(page.locator(".menu-button")).to_be_hidden()
        helpers.assert_no_horizontal_overflow(page, f"header, {role}, {width}px")
    if role == "admin":
        page.set_viewport_size({"width": 1280, "height": 800})
        helpers.screenshot(page, "header-admin-1280")


@pytest.mark.parametrize("width", [390, 768])
def test_a_menu_button_folds_the_links_on_narrow_screens(browser_context, server, width):
    page = signed_in(browser_context, server, "admin", viewport={"width": width, "height": 844})
    page.goto("/")
    button = page.get_by_role("button", name=re.compile("^Menu"))
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    folded = page.evaluate(MEASURE)
    assert folded["links"] == 0 and folded["header"] <= 80, folded
    assert folded["languages"] == 2, "the language links are never folded away"
    unread = page.locator("#notifications-count")
    if unread.count():  # the demo admin has notifications: the button says how many
        expect(button.locator(".nav-count")).to_have_text(re.compile(r"^\d+ unread notifications?$"))

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    opened = page.evaluate(MEASURE)
    assert opened["links"] == LINKS["admin"] and not opened["overlap"], opened
    helpers.assert_no_horizontal_overflow(page, f"open menu, {width}px")
    helpers.check_axe(page, f"header-menu-{width}")
    helpers.screenshot(page, f"header-menu-admin-{width}")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").focus()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()


def test_without_javascript_a_phone_shows_every_link(browser_context, server):
    page = signed_in(browser_context, server, "admin", viewport=PHONE, java_script_enabled=False)
    page.goto("/")
    measured = page.evaluate(MEASURE)
    assert measured["links"] == LINKS["admin"] and not measured["overlap"], measured
    helpers.assert_no_horizontal_overflow(page, "header without JavaScript (phone)")
    helpers.screenshot(page, "header-admin-phone-no-js")
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(helpers.flash(page)).to_contain_text("You have signed out.")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE])
def test_the_home_page_leads_with_the_session_live_now(browser_context, server, viewport):
    page = browser_context(viewport=viewport)
    page.goto("/")
    box = page.locator("section.on-now")
    expect(box.get_by_role("heading", level=2)).to_have_text("Live now")
    expect(box).to_contain_text("Housing and rents: ask your councillors")
    # It comes before the topics, and on a phone it is on the first screen.
    top = box.bounding_box()["y"]
    assert top < page.get_by_role("heading", name="Topics", exact=True).bounding_box()["y"]
    join = box.get_by_role("link", name=re.compile("^Join the session"))
    assert join.bounding_box()["y"] + join.bounding_box()["height"] <= viewport["height"]
    helpers.check_axe(page, f"home-live-now-{viewport['width']}")
    helpers.screenshot(page, f"home-live-now-{viewport['width']}")
    join.click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing and rents: ask your councillors")
