"""Taking a question ahead of the room's published order, in a real browser with the live layer on.

The host has one question being answered and takes up another that is not
next in the order (three questions, no votes: oldest first): the socket refuses for want of a reason, so the form goes
to the page that asks what became of the question being answered and why
this one goes ahead. The host answers it; back in the room, everyone sees
the reason, live; the transcript says the first question was taken up, then
put back.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.test_live_journey import live, schedule, server, sign_in, start  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def question(page, starts: str):
    """The listed question whose own text starts so (another's merge choices may quote it)."""
    body = page.locator(".question-body", has_text=re.compile("^" + re.escape(starts)))
    return page.locator("#live-questions li.question").filter(has=body)


def test_a_question_taken_out_of_order_says_why(browser_context, server):  # noqa: F811 - the fixture
    host = browser_context()
    sign_in(host, server, "admin@demo.example.org")
    room = schedule(host, "Parks and play areas: your questions", premoderate=False)
    start(host)
    resident = browser_context()
    sign_in(resident, server, "resident@demo.example.org")
    resident.goto(room)
    live(resident)
    asked = (
        "First: when will the Eastgate play area reopen?",
        "Second: will the paddling pool open this summer?",
        "Third: can the park gates stay open later?",
    )
    for text in asked:
        resident.get_by_label("Your question", exact=True).fill(text)
        resident.get_by_role("button", name="Send question").click()
        expect(resident.locator("#live-questions")).to_contain_text(text)
    host.goto(room)
    live(host)
    # The live layer draws the host's forms too: each states its limit as the server does, no maxlength.
    expect(host.locator("#live-questions input[name=note][data-max-chars='2000']")).to_have_count(6)
    expect(host.locator("#live-questions [maxlength]")).to_have_count(0)
    first = question(host, "First:")
    first.get_by_role("button", name="Answer this now").click()
    expect(host.locator("#live-answering")).to_contain_text("First:")

    # The third is not next in the order (the second is): the page asks why, and what became of the first.
    third = question(host, "Third:")
    third.get_by_role("button", name="Answer this now").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Answer this question now?")
    helpers.check_axe(host, "live-take")
    host.get_by_label("It was not answered: put it back in the list").check()
    host.get_by_label("It is time-sensitive").check()
    host.locator("#take-note").fill("The gates close early from next week.")
    host.get_by_role("button", name="Answer this now").click()

    why = "Taken ahead of the published order: it is time-sensitive."
    expect(host.locator("#live-answering")).to_contain_text(why)
    expect(resident.locator("#live-answering")).to_contain_text("The gates close early from next week.")
    expect(resident.locator("#live-announcer")).to_contain_text(re.compile("Put back|Now answering"))
    resident.goto(room + "/transcript")
    expect(resident.locator("main")).to_contain_text("Taken up, then put back: not answered yet.")
    expect(resident.locator("main")).to_contain_text(why)
