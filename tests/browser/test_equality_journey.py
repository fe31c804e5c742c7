"""Equality monitoring in a real browser: a new resident is invited on their account page, answers some of
the questions (one with "Prefer not to say", one left blank), sees them kept when they come back; an admin
reads "who is missing" (the demo crowd's figures beside the illustrative census, small cells as "fewer than
10") and the census form. Every page is axe-checked, and screenshotted at desktop and phone width with no
horizontal overflow at the phone's.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import helpers

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def look(page, name: str) -> None:
    """axe, a desktop screenshot, then the phone width: no overflow, a screenshot; back to desktop."""
    helpers.check_axe(page, name)
    helpers.screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    helpers.assert_no_horizontal_overflow(page, name)
    helpers.screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 720})


def test_a_resident_answers_and_an_admin_sees_who_is_missing(new_context, live_server, admin):
    page = new_context().new_page()
    member = helpers.new_member("Equality")
    helpers.register(page, member)
    helpers.confirm_email(page, live_server, member)
    page.goto("/en/account/")
    invitation = page.get_by_role("region", name="Help us see who is missing")
    expect(invitation.get_by_role("button", name="Not now")).to_be_visible()
    invitation.get_by_role("link", name="Answer the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you: equality monitoring")
    look(page, "equality-about-you")

    page.get_by_role("group", name="How old are you?").get_by_label("25 to 34", exact=True).check()
    page.get_by_role("group", name="What is your sex?").get_by_label("Prefer not to say", exact=True).check()
    ethnic = page.get_by_role("group", name="What is your ethnic group?")
    ethnic.get_by_label("Welsh, English, Scottish, Northern Irish or British", exact=True).check()
    page.get_by_label("Postcode district", exact=True).fill("cf10")
    page.get_by_role("group", name="What is your main language?").get_by_label("Welsh", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(helpers.flash(page)).to_contain_text("Your answers are saved")
    expect(
        page.get_by_role("group", name="What is your sex?").get_by_label("Prefer not to say", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Postcode district", exact=True)).to_have_value("CF10")
    expect(
        page.get_by_role(
            "group", name="Is the gender you identify with the same as your sex registered at birth?"
        ).get_by_label("No answer (leave blank)", exact=True)
    ).to_be_checked()
    page.goto("/en/account/")
    expect(page.get_by_role("button", name="Not now")).to_have_count(0)  # asked once

    staff = new_context().new_page()
    helpers.sign_in(staff, admin.email, admin.password)
    staff.goto("/en/admin/")
    staff.get_by_role("link", name="Who is missing: everyone who took part").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Who is missing")
    table = staff.get_by_role("table", name=re.compile("Participants who answered “What is your ethnic group\\?”"))
    row = table.get_by_role("row", name=re.compile("^Welsh, English, Scottish, Northern Irish or British"))
    expect(row).to_contain_text(re.compile(r"\b\d{2}\b"))  # the crowd's 28, and the new resident
    expect(table.get_by_role("row", name=re.compile("^Roma"))).to_contain_text("fewer than 10")
    expect(staff.get_by_text(re.compile(r"^25 to 34: \d+% of participants, 16% of residents\.$"))).to_be_visible()
    look(staff, "equality-who-is-missing")

    staff.goto("/en/admin/census")
    expect(staff.get_by_label("Female", exact=True)).to_have_value("51")
    look(staff, "equality-census")
    staff.goto("/en/transparency/participation")
    look(staff, "equality-participation")
