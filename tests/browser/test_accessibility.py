"""axe-core on every page, at desktop and phone width, plus keyboard checks and screenshots.

Screenshots go to test-artifacts/screenshots/<page>-desktop.png and -phone.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser import helpers

pytestmark = pytest.mark.browser


def _register_with_errors(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Display name").fill("@")
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _login_with_error(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _forgot_sent(page: Page) -> None:
    page.goto("/forgot")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def _account_with_error(page: Page) -> None:
    page.goto("/account/")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#error-summary")).to_contain_text("Your current password is not right.")


def _delete_with_error(page: Page) -> None:
    page.goto("/account/delete")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _go(path: str) -> Callable[[Page], None]:
    return lambda page: page.goto(path)


# name -> (who is signed in, how to get there)
PAGES: dict[str, tuple[str | None, Callable[[Page], None]]] = {
    "home": (None, _go("/")),
    "privacy": (None, _go("/privacy")),
    "representatives": (None, _go("/representatives")),
    "login": (None, _go("/login")),
    "login-error": (None, _login_with_error),
    "register": (None, _go("/register")),
    "register-errors": (None, _register_with_errors),
    "forgot": (None, _go("/forgot")),
    "forgot-sent": (None, _forgot_sent),
    "reset-bad-token": (None, _go("/reset/not-a-real-token")),
    "verify-bad-token": (None, _go("/verify/not-a-real-token")),
    "not-found": (None, _go("/no-such-page")),
    "home-signed-in": ("resident", _go("/")),
    "account": ("resident", _go("/account/")),
    "account-error": ("resident", _account_with_error),
    "account-delete": ("resident", _go("/account/delete")),
    "account-delete-error": ("resident", _delete_with_error),
    "forbidden": ("resident", _go("/admin/")),
    "admin": ("admin", _go("/admin/")),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_passes_axe_at_desktop_and_phone_width(name, page, resident, admin):
    who, visit = PAGES[name]
    if who is not None:
        member = resident if who == "resident" else admin
        helpers.sign_in(page, member.email, member.password)
    visit(page)
    expect(page.locator("h1")).to_have_count(1)
    expect(page).to_have_title(re.compile(r" · Common Ground$"))

    helpers.check_axe(page, f"{name}-desktop")
    helpers.screenshot(page, f"{name}-desktop")

    page.set_viewport_size(helpers.PHONE)
    helpers.check_axe(page, f"{name}-phone")
    helpers.assert_no_horizontal_overflow(page, name)
    helpers.screenshot(page, f"{name}-phone")


@pytest.mark.parametrize("path", ["/", "/login"])
def test_skip_link_is_first_and_moves_focus_to_main(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    active = page.evaluate(
        "() => ({cls: document.activeElement.className, text: document.activeElement.textContent,"
        " href: document.activeElement.getAttribute('href')})"
    )
    assert active == {"cls": "skip-link", "text": "Skip to main content", "href": "#main"}
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24, f"the focused skip link is on screen: {box}"
    if path == "/":
        helpers.screenshot(page, "focus-skip-link-desktop")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    assert page.evaluate("document.activeElement.id") == "main"
    expect(skip).not_to_be_in_viewport()

    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    if path == "/login":
        expect(page.get_by_label("Email address")).to_be_focused()


def test_keyboard_focus_is_visible(page):
    """Each control shows a focus indicator: an outline and the yellow ring, on light and dark backgrounds."""
    page.goto("/login")
    seen = []
    for _ in range(16):  # through the header's links to the form's fields and button
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const el = document.activeElement, s = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.name || '').trim().slice(0, 30),
                        outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }"""
        )
        seen.append(style)
        assert style["outline"] != "none" and style["width"] >= 2, f"no visible focus outline: {style}"
        assert "255, 191, 71" in style["shadow"], f"no focus ring: {style}"
    assert {s["tag"] for s in seen} >= {"a", "input", "button"}, seen
    # One screenshot with focus on a header link (dark background), for a person to look at.
    page.goto("/login")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    helpers.screenshot(page, "focus-header-link-desktop")
