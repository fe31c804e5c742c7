"""Where we agree in real browsers, on the shared demo server: a resident votes through the demo round's
statements with JavaScript (over the socket: no page load, focus on the next card, progress announced) and
without it (plain form posts), and adds a statement of their own, which waits for review as a new
account's first posts do and is listed under "Your statements" with why. The voting page passes axe at
desktop and phone width, with an error too (axe needs scripts, so the page without them is screenshotted and
checked for sideways scrolling only); its screenshots are in test-artifacts for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from debate.demo import agreement as agreement_demo
from tests.browser import helpers

pytestmark = pytest.mark.browser

TOTAL = len(agreement_demo.STATEMENTS)


def open_round(page) -> None:
    """The demo round (the only round the demo makes, so the first) from its address."""
    page.goto("/en/rounds/1")
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement_demo.QUESTION)


def test_a_resident_votes_live_with_javascript_and_adds_a_statement(new_context, make_member):
    member = make_member("Vera Voter")
    page = new_context().new_page()
    helpers.sign_in(page, member.email, member.password)
    open_round(page)
    expect(page.locator(".agree-voting")).to_have_attribute("data-live", "on")
    progress = page.locator("#agree-progress")
    expect(progress).to_have_attribute("aria-live", "polite")
    expect(progress).to_have_text(f"You have voted on 0 of {TOTAL} statements.")
    page.evaluate("window.__samePage = true")
    first = page.locator("#agree-card-text").inner_text()
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(progress).to_have_text(f"Saved: you agree. You have voted on 1 of {TOTAL} statements.")
    expect(page.locator("#agree-card-heading")).to_be_focused()  # the next card, for keyboard users
    assert page.locator("#agree-card-text").inner_text() != first
    # By keyboard: Tab from the card's heading reaches Agree, then Disagree.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Disagree")).to_be_focused()
    page.keyboard.press("Enter")
    expect(progress).to_have_text(f"Saved: you disagree. You have voted on 2 of {TOTAL} statements.")
    page.get_by_role("button", name="Pass or unsure").click()
    expect(progress).to_have_text(f"Saved: you passed. You have voted on 3 of {TOTAL} statements.")
    assert page.evaluate("window.__samePage === true")  # no page load: the votes went over the socket
    helpers.check_page(page, "agreement-round")

    page.get_by_role("textbox", name="Your statement").fill("The library should open on Sunday afternoons.")
    page.get_by_role("button", name="Add statement").click()
    expect(helpers.flash(page)).to_contain_text("once a moderator approves it")
    mine = page.locator("#your-statements")
    expect(mine).to_contain_text("The library should open on Sunday afternoons.")
    expect(mine).to_contain_text("Waiting for a moderator to review it")
    expect(progress).to_have_text(f"You have voted on 3 of {TOTAL} statements.")  # the held one is not votable
    helpers.check_page(page, "agreement-round-your-statements")

    page.get_by_role("textbox", name="Your statement").fill("x" * 141)
    page.get_by_role("button", name="Add statement").click()
    expect(page.locator("#error-summary")).to_contain_text("Your statement is too long: 141 characters")
    expect(page.get_by_role("textbox", name="Your statement")).to_have_attribute("aria-invalid", "true")
    helpers.check_page(page, "agreement-round-error")


def test_a_resident_votes_without_javascript(new_context, make_member):
    member = make_member("Noah Noscript")
    page = new_context(java_script_enabled=False).new_page()
    helpers.sign_in(page, member.email, member.password)
    open_round(page)
    progress = page.locator("#agree-progress")
    expect(progress).to_have_text(f"You have voted on 0 of {TOTAL} statements.")
    for n, button in enumerate(("Agree", "Disagree", "Pass or unsure"), start=1):
        page.get_by_role("button", name=button, exact=True).click()
        expect(progress).to_have_text(f"You have voted on {n} of {TOTAL} statements.")
        expect(helpers.flash(page)).to_contain_text("Saved")
    expect(page.locator("#agree-card-text")).to_be_visible()
    # axe needs scripts, so it runs on the scripted page above; here the layout is looked at.
    helpers.assert_no_horizontal_overflow(page, "voting without JavaScript")
    helpers.screenshot(page, "agreement-round-no-js")
