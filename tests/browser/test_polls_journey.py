"""Live polls in real browsers: residents answer from the room and see the results move, live.

The demo's live session has an open 1-5 scale poll. Jo answers it through the socket (no page load) and
Alex, in another browser, sees the count of answers and the bars move without reloading; the host
prepares a new choice poll on the session's polls page and opens it from the room, and it appears in the
residents' open rooms with its form, and in a moderator's open room with "Close the poll" (sent to
the moderators only); Jo answers it and the projector shows its results large. The room
with results and the polls page pass axe (the bars are SVGs with a text alternative, the numbers in a
table); the room at phone width and the projector are screenshotted for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from debate.demo import live as live_demo
from debate.demo import polls as poll_demo
from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NEW_POLL = "Which library service matters most to you?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("polls-journey"))
    try:
        yield srv
    finally:
        srv.stop()


def enter(page, server, email: str) -> str:
    """Sign in (on an English page, as the demo members must) and open the live demo session's room."""
    helpers.sign_in(page, email, server.passwords[email])
    page.goto("/en/sessions")
    page.get_by_role("link", name=live_demo.LIVE_TITLE).first.click()
    expect(page.locator("#live-room")).to_have_attribute("data-live", "on")
    return re.sub(r"[?#].*$", "", page.url)


def test_residents_answer_live_and_see_the_results_move(browser_context, server):
    jo, alex, host, mod = browser_context(), browser_context(), browser_context(), browser_context()
    room = enter(jo, server, live_demo.JO)
    enter(alex, server, live_demo.ALEX)
    enter(mod, server, live_demo.MODERATOR)
    informed = poll_demo.INFORMED.question
    seen = alex.locator(".poll", has_text=informed)
    expect(seen.locator(".poll-count")).to_have_text(f"{len(poll_demo.INFORMED_ANSWERS)} answers")

    # Jo answers the open scale poll: through the socket, so no page load and no flash message.
    card = jo.locator(".poll", has_text=informed)
    card.get_by_label("5 (most)", exact=True).check()
    card.get_by_role("button", name="Send my answer").click()
    expect(card.locator(".poll-saved")).to_contain_text("Your answer is saved")
    expect(jo.locator(".flashes")).to_have_count(0)
    # Alex's page, untouched, shows the new count and the bars (coalesced results, pushed to the room).
    expect(seen.locator(".poll-count")).to_have_text(f"{len(poll_demo.INFORMED_ANSWERS) + 1} answers")
    expect(seen.locator("tbody tr").last.locator("td").first).to_have_text("1")
    helpers.check_axe(alex, "polls-room-results")

    # The host prepares a choice poll on the session's polls page, then opens it from the room.
    helpers.sign_in(host, live_demo.ADMIN, server.passwords[live_demo.ADMIN])
    host.goto(room + "/polls")
    host.get_by_label("Question", exact=True).fill(NEW_POLL)
    host.get_by_label("Single choice: one option", exact=True).check()
    for n, option in enumerate(("Books to borrow", "Free computers", "Study space"), start=1):
        host.get_by_label(f"Option {n}", exact=True).fill(option)
    helpers.check_axe(host, "polls-host-page")
    host.get_by_role("button", name="Save the poll").click()
    expect(helpers.flash(host)).to_contain_text("Poll saved")
    host.goto(room)
    host.get_by_role("button", name=re.compile("^Open the poll")).click()
    expect(helpers.flash(host)).to_contain_text("The poll is open")

    # It appears in the residents' open rooms, with its form; Jo answers, Alex sees it counted.
    fresh = jo.locator(".poll", has_text=NEW_POLL)
    expect(fresh.get_by_role("button", name="Send my answer")).to_be_visible()
    moderating = mod.locator("[data-poll-wrap]", has_text=NEW_POLL)
    expect(moderating.get_by_role("button", name=re.compile("^Close the poll"))).to_be_visible()
    expect(
        jo.locator("[data-poll-wrap]", has_text=NEW_POLL).get_by_role("button", name=re.compile("^Close"))
    ).to_have_count(0)
    fresh.get_by_label("Free computers", exact=True).check()
    fresh.get_by_role("button", name="Send my answer").click()
    expect(fresh.locator(".poll-saved")).to_contain_text("Your answer is saved")
    expect(alex.locator(".poll", has_text=NEW_POLL).locator(".poll-count")).to_have_text("1 answer")

    projector = browser_context()
    projector.goto(room + "/projector")
    expect(projector.locator("#live-polls")).to_contain_text(NEW_POLL)
    helpers.check_axe(projector, "polls-projector")
    helpers.screenshot(projector, "polls-projector")
    jo.set_viewport_size(PHONE)
    jo.goto(room + "#live-polls")
    helpers.screenshot(jo, "polls-room-phone")
    helpers.assert_no_horizontal_overflow(jo, "polls-room-phone")
