"""The room's order named in a real browser: the demo's session next week is in broad-support order.

With no votes yet, the room and the projector say that broad support waits for votes and the room is
ordered by most votes for now. The host changes the order with the room's form (no script needed);
a resident's open room, kept current by the socket, names the new order without a reload. Both pages
are axe-clean at desktop and phone width.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from debate.demo import live as live_demo
from tests.browser import helpers

pytestmark = pytest.mark.browser

FALLBACK = "Broad support needs more votes (at least 10 people with 5 votes each, and questions with 5 votes)"


def open_room(page) -> str:
    page.goto("/sessions")
    page.get_by_role("link", name=live_demo.UPCOMING_TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_demo.UPCOMING_TITLE)
    return re.sub(r"[?#].*$", "", page.url)


def test_the_room_and_the_projector_name_the_order(new_context, admin):
    resident = new_context().new_page()
    room = open_room(resident)
    expect(resident.locator("#live-order")).to_contain_text(FALLBACK)
    expect(resident.locator(".live-rule")).to_contain_text("Most votes first")  # the rule in use meanwhile
    expect(resident.locator("#live-room")).to_have_attribute("data-live", "on")
    helpers.check_page(resident, "live-broad-support-room")

    projector = new_context().new_page()
    projector.goto(room + "/projector")
    expect(projector.locator("#live-order")).to_contain_text(FALLBACK)
    helpers.check_page(projector, "live-broad-support-projector")

    host = new_context().new_page()
    helpers.sign_in(host, admin.email, admin.password)
    host.goto(room)
    host.get_by_label("Order the questions by").select_option(label="Most votes")
    host.get_by_role("button", name="Change the order").click()
    expect(helpers.flash(host)).to_contain_text("The room is now ordered by: Most votes.")
    expect(host.locator("#live-order")).to_contain_text("Order of questions: Most votes")
    helpers.check_page(host, "live-broad-support-host")
    # The resident's room and the projector follow the numbered "order" event, without a reload.
    expect(resident.locator("#live-order")).to_contain_text("Order of questions: Most votes")
    expect(projector.locator("#live-order")).to_contain_text("Order of questions: Most votes")

    host.get_by_label("Order the questions by").select_option(label="Broad support")
    host.get_by_role("button", name="Change the order").click()
    expect(helpers.flash(host)).to_contain_text("The room is now ordered by: Broad support.")
    expect(resident.locator("#live-order")).to_contain_text(FALLBACK)
    expect(projector.locator("#live-order")).to_contain_text(FALLBACK)
