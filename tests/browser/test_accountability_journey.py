"""Accountability in real browsers: a question left unanswered in a live session gets its written answer.

An admin schedules a session (post-moderated, so the demo resident's question is shown at once) with
Cllr Priya Shah on the panel and starts it; the resident asks through the room's socket; the admin ends
the session and the question shows "Awaiting a written answer", "Due by <20 working days later>" in the
room, and on the councillor's public record as outstanding. The councillor answers it in writing at
/answers while the resident's /questions/mine page is open: the nav's unread count (#notifications-count)
moves live, without a reload; /notifications lists it, linking to the question; /questions/mine shows the
answer; the councillor's record and the council's /record count it as answered in writing. The answer is
emailed (the default for "question_answered" is instant); its unsubscribe link, opened signed out, stops
those emails, and the resident's settings page then shows "No email" for that kind.

"Days later": the server is a separate process whose clock a browser cannot move, and the service's only
clock hook (`accountability.now`) is for in-process patching, so the answer comes the same day; overdue
questions and late answers are covered by the service tests in tests/accountability.

A second test publishes the outcome of an ended session: the resident who asked is notified live, the
room links "Outcome: what happens next", and /outcomes lists it.

Every new page is checked with axe (no serious or critical findings), /record and /questions/mine also
at phone width; /record, a representative's record and /answers are screenshotted for a person to look at.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from playwright.sync_api import expect

from debate.services.accountability import bank_holidays
from debate.services.accountability.working_days import add_working_days
from tests.browser import helpers
from tests.browser.test_live_journey import COUNCIL_TIME, live, schedule, sign_in, start
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

COUNCILLOR = "Cllr Priya Shah"
COUNCILLOR_EMAIL = "councillor@demo.example.org"
RESIDENT_EMAIL = "resident@demo.example.org"
QUESTION = "When will the broken lights on the Canal Street footbridge be repaired?"
ANSWER = "The contractor replaces all six lamps on the footbridge in the week of 9 March."
OUTCOME_QUESTION = "Could the Saturday market stay open until 6pm in the summer months?"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
EMAIL_MARKER = "Email (no MAIL_SERVER set, so logged, not sent)"
DUE_WORKING_DAYS = 20  # accountability.DEFAULT_DUE_DAYS, England and Wales: the demo saves no settings


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("accountability-journey"))
    try:
        srv.relax_posting_pace()
        yield srv
    finally:
        srv.stop()


# --- helpers ---------------------------------------------------------------------------------------


def figure_value(page, label: str, nth: int = 0):
    """The <dd> of one figure in a record page's figures list (the nth list on the page)."""
    label_re = re.compile(f"^{re.escape(label)}$")
    return (
        page.locator(".figures").nth(nth).locator("div").filter(has=page.locator("dt", has_text=label_re)).locator("dd")
    )


def figure(page, label: str, nth: int = 0) -> int:
    return int(figure_value(page, label, nth).inner_text().split()[0])


def expect_figure(page, label: str, value: int, nth: int = 0) -> None:
    expect(figure_value(page, label, nth)).to_have_text(re.compile(rf"^{value}\b"))


def unread(page) -> int:
    count = page.locator("#notifications-count")
    return int(count.inner_text().split()[0]) if count.count() else 0


def signed_in_live(page) -> None:
    """The page's /account channel is joined (live.js sets this once the server acknowledged it)."""
    expect(page.locator("body")).to_have_attribute("data-live", "on")


def expected_due_text() -> str:
    today = datetime.now(COUNCIL_TIME).date()
    off = bank_holidays.loaded(bank_holidays.DEFAULT_NATION, today).between(today.year, today.year + 1)
    due = add_working_days(today, DUE_WORKING_DAYS, off)
    return f"Due by {due:%a} {due.day} {due:%b %Y}"


def emailed(server, to: str, subject: str, timeout: float = 15.0) -> str:
    """The newest logged email to an address with this subject (polls the log, as helpers.email_link does)."""
    deadline = time.monotonic() + timeout
    while True:
        for chunk in reversed(server.log().split(EMAIL_MARKER)[1:]):
            head = chunk.lstrip()
            subject_line = re.search(r"\nSubject: (.*)\n", head[:300])
            if head.startswith(f"To: {to}\n") and subject_line and subject_line.group(1).endswith(subject):
                return head
        if time.monotonic() > deadline:
            raise AssertionError(f"no email {subject!r} to {to}; the server log ends:\n{server.log()[-3000:]}")
        time.sleep(0.1)


def run_session_with_question(browser_context, server, title: str, question: str):
    """Admin schedules (post-moderated, councillor on the panel) and starts; the resident asks; returns pages."""
    admin, resident = browser_context(), browser_context()
    sign_in(admin, server, "admin@demo.example.org")
    room = schedule(admin, title, premoderate=False)
    start(admin)

    sign_in(resident, server, RESIDENT_EMAIL)
    resident.goto(room)
    live(resident)
    resident.get_by_label("Your question", exact=True).fill(question)
    resident.get_by_role("button", name="Send question").click()
    item = resident.locator("#live-questions .question", has_text=question)
    expect(item).to_be_visible()
    return admin, resident, room, int(item.get_attribute("data-question-id"))


def end_session(admin, resident) -> None:
    admin.get_by_role("button", name="End the session").click()
    expect(admin.locator("#live-status")).to_contain_text("Ended")
    # The resident's open room reloads itself when the session ends.
    expect(resident.locator("#live-status")).to_contain_text("Ended")


# --- the journey -----------------------------------------------------------------------------------


def test_question_answered_in_writing_after_the_session(browser_context, server):
    councillor = browser_context()
    sign_in(councillor, server, COUNCILLOR_EMAIL)

    # The councillor's public record before: the demo's ended session already put questions to them.
    councillor.goto("/record")
    councillor.get_by_role("link", name=COUNCILLOR, exact=True).click()
    expect(councillor.get_by_role("heading", level=1)).to_have_text(f"{COUNCILLOR}: questions and answers")
    record_url = councillor.url
    assert re.search(r"/representatives/\d+/record$", record_url)
    outstanding_before = figure(councillor, "Outstanding")
    written_before = figure(councillor, "Answered in writing")
    councillor.goto("/record")
    council_written_before = figure(councillor, "Answered in writing")
    council_outstanding_before = figure(councillor, "Outstanding")

    admin, resident, room, question_id = run_session_with_question(
        browser_context, server, "Streets and lighting: ask Cllr Shah", QUESTION
    )

    # The host ends the session: the question awaits a written answer, due 20 working days on.
    end_session(admin, resident)
    in_room = resident.locator(f".awaiting-answer #q{question_id}")
    expect(in_room).to_contain_text("Awaiting a written answer")
    expect(in_room.locator(".due-note")).to_have_text(expected_due_text())
    helpers.check_axe(resident, "accountability-room-ended")

    # On the councillor's public record: one more outstanding, the question listed with its due date.
    councillor.goto(record_url)
    expect_figure(councillor, "Outstanding", outstanding_before + 1)
    card = councillor.locator(".tracked-question", has_text=QUESTION)
    expect(card).to_contain_text("Awaiting a written answer")
    expect(card).to_contain_text(expected_due_text().replace("Due by", "due by"))

    # The resident waits on "what became of my questions", signed in to live notifications.
    resident.goto("/questions/mine")
    mine = resident.locator(".tracked-question", has_text=QUESTION)
    expect(mine).to_contain_text("Awaiting a written answer")
    signed_in_live(resident)
    unread_before = unread(resident)

    # The councillor answers in writing at /answers.
    councillor.goto("/answers")
    expect(councillor.get_by_role("heading", level=1)).to_have_text("Questions to answer")
    helpers.check_axe(councillor, "accountability-answers")
    helpers.screenshot(councillor, "accountability-answers")
    owed = councillor.locator(".card-list > li", has=councillor.locator(".tracked-question", has_text=QUESTION))
    owed.get_by_text("Answer in writing").click()
    owed.get_by_label("Your written answer").fill(ANSWER)
    owed.get_by_role("button", name="Publish the answer").click()
    expect(helpers.flash(councillor)).to_contain_text("Your answer is published")
    expect(councillor.locator(".tracked-question", has_text=QUESTION)).to_have_count(0)

    # The resident's nav count moves live, with no reload (the page's own text is unchanged).
    expect(resident.locator("#notifications-count")).to_have_text(re.compile(rf"^{unread_before + 1}\b"))
    expect(resident.locator("#notification-announcer")).to_contain_text("answered in writing")
    expect(mine).to_contain_text("Awaiting a written answer")

    # /notifications lists it, linking to the question on /questions/mine.
    resident.goto("/notifications")
    notice = resident.locator("#notification-list .notification", has_text="answered in writing").first
    expect(notice).to_contain_text(f"Your question was answered in writing by {COUNCILLOR}.")
    expect(notice).to_contain_text("new")
    helpers.check_axe(resident, "accountability-notifications")
    notice.get_by_role("link").click()
    expect(resident).to_have_url(re.compile(r"/questions/mine#t\d+$"))
    mine = resident.locator(".tracked-question", has_text=QUESTION)
    expect(mine).to_contain_text("Answered in writing")
    expect(mine.locator(".answer-body")).to_have_text(ANSWER)
    expect(mine.locator(".answer-meta")).to_contain_text(f"Answered in writing by {COUNCILLOR}")
    helpers.check_axe(resident, "accountability-mine")
    resident.set_viewport_size(PHONE)
    helpers.assert_no_horizontal_overflow(resident, "/questions/mine (phone)")
    helpers.check_axe(resident, "accountability-mine-phone")
    helpers.screenshot(resident, "accountability-mine-phone")
    resident.set_viewport_size(DESKTOP)

    # The room shows the written answer too.
    resident.goto(room + "?sort=answered")
    expect(resident.locator(f"#live-questions #q{question_id} .answer-body")).to_have_text(ANSWER)

    # The councillor's record: answered in writing, nothing more outstanding from this session.
    councillor.goto(record_url)
    expect_figure(councillor, "Answered in writing", written_before + 1)
    expect_figure(councillor, "Outstanding", outstanding_before)
    card = councillor.locator(".tracked-question", has_text=QUESTION)
    expect(card.locator(".tag")).to_have_text("Answered in writing")
    expect(card.locator(".answer-body")).to_have_text(ANSWER)
    helpers.check_axe(councillor, "accountability-representative-record")
    helpers.screenshot(councillor, "accountability-representative-record")

    # The council's record reflects it (as a whole, and in the councillor's row).
    councillor.goto("/record")
    expect_figure(councillor, "Answered in writing", council_written_before + 1)
    expect_figure(councillor, "Outstanding", council_outstanding_before)
    row = councillor.locator("table tbody tr", has=councillor.get_by_role("link", name=COUNCILLOR, exact=True))
    expect(row.locator("td").nth(2)).to_have_text(str(written_before + 1))
    expect(row.locator("td").nth(4)).to_have_text(str(outstanding_before))
    helpers.check_axe(councillor, "accountability-record")
    helpers.screenshot(councillor, "accountability-record")
    councillor.set_viewport_size(PHONE)
    # The table scrolls inside its own box at phone width; the page itself must not.
    assert councillor.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    helpers.check_axe(councillor, "accountability-record-phone")
    helpers.screenshot(councillor, "accountability-record-phone")

    # The answer was emailed at once (the default for this kind), with an unsubscribe link.
    email = emailed(server, RESIDENT_EMAIL, "Your question was answered")
    assert f"answered in writing by {COUNCILLOR}" in email
    assert f"{server.url}/questions/mine#t" in email
    link = re.search(re.escape(server.url) + r"/unsubscribe/[A-Za-z0-9_\-\.]+", email)
    assert link, email

    # Opened signed out (another browser), the link asks first, then unsubscribes.
    stranger = browser_context()
    stranger.goto(link.group(0))
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    expect(stranger.locator("main")).to_contain_text("Your question was answered")
    helpers.check_axe(stranger, "accountability-unsubscribe")
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    helpers.check_axe(stranger, "accountability-unsubscribed")

    # The resident's settings now say "No email" for answered questions; the others keep their defaults.
    resident.goto("/account/notifications")
    expect(resident.locator("#email-question_answered-off")).to_be_checked()
    expect(resident.locator("#email-question_rejected-instant")).to_be_checked()
    helpers.check_axe(resident, "accountability-notification-settings")


def test_outcome_of_the_session_is_published(browser_context, server):
    admin, resident, room, _ = run_session_with_question(
        browser_context, server, "Markets and town centre: ask Cllr Shah", OUTCOME_QUESTION
    )
    end_session(admin, resident)
    # A fresh load of the ended room (not the one the end reloaded), settled before the count is read.
    resident.goto(room)
    live(resident)
    expect(resident.get_by_role("link", name="Outcome: what happens next")).to_have_count(0)
    signed_in_live(resident)
    unread_before = unread(resident)

    # The councillor on the panel publishes the outcome from the ended room.
    councillor = browser_context()
    sign_in(councillor, server, COUNCILLOR_EMAIL)
    councillor.goto(room)
    live(councillor)
    councillor.get_by_role("link", name="Publish the outcome").click()
    expect(councillor.get_by_role("heading", level=1)).to_contain_text("Publish the outcome")
    councillor.get_by_label("What we heard", exact=True).fill("Traders and residents want later summer opening.")
    councillor.get_by_label("What will happen", exact=True).fill("A summer trial of 6pm closing from June to August.")
    councillor.get_by_role("button", name="Publish the outcome").click()
    expect(helpers.flash(councillor)).to_contain_text("Outcome published")
    expect(councillor).to_have_url(re.compile(r"/outcomes/\d+$"))
    outcome_path = re.sub(r"^https?://[^/]+", "", councillor.url)
    helpers.check_axe(councillor, "accountability-outcome")

    # The resident who asked is told, live in the open room, and in the list.
    expect(resident.locator("#notifications-count")).to_have_text(re.compile(rf"^{unread_before + 1}\b"))
    resident.goto("/notifications")
    notice = resident.locator(f'#notification-list a[href="{outcome_path}"]')
    expect(notice).to_have_count(1)

    # The room links to it ("what happens next"), and /outcomes lists it.
    resident.goto(room)
    expect(resident.get_by_role("link", name="Outcome: what happens next")).to_have_attribute("href", outcome_path)
    helpers.check_axe(resident, "accountability-room-with-outcome")
    resident.goto("/outcomes")
    expect(resident.get_by_role("link", name=re.compile("Markets and town centre"))).to_have_attribute(
        "href", outcome_path
    )
    helpers.check_axe(resident, "accountability-outcomes")
