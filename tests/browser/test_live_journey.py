"""A live Q&A session in real browsers, with the live layer (static/js/live/) doing its work.

An admin schedules a session through the web form and starts it; a resident whose room page was open
while it was scheduled sees it go live (the page reloads itself), asks a question through the socket and
sees it awaiting review; the moderator sees it arrive in the pending list and approves it; it appears
for everyone; a second resident upvotes it and the others see the count move; the councillor on the
panel takes it up ("answering now", highlighted live for the resident and on the projector) and answers
it with text, which the resident sees live. Every page is checked with axe (no serious or critical
findings); the projector and the room at phone width are screenshotted for a person to look at.

A second test does the same basics with JavaScript off: the forms alone read, ask and vote.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

COUNCIL_TIME = ZoneInfo("Europe/London")  # the app's default TIMEZONE
QUESTION = "Will the Riverside library keep its Saturday opening hours next year?"
ANSWER = "Yes: Saturday hours are protected in next year's budget."
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("live-journey"))
    try:
        srv.relax_posting_pace()
        yield srv
    finally:
        srv.stop()


def sign_in(page, server, email: str) -> None:
    helpers.sign_in(page, email, server.passwords[email])


def schedule(page, title: str, *, premoderate: bool = True) -> str:
    """The admin schedules a session starting in an hour, with the councillor on the panel; returns the room's URL."""
    page.goto("/sessions")
    page.get_by_role("link", name="Schedule a session").click()
    start = datetime.now(COUNCIL_TIME).replace(second=0, microsecond=0) + timedelta(hours=1)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile("^Cllr Priya Shah")).check()
    if not premoderate:
        page.get_by_label("Review questions before they are shown").uncheck()
    page.get_by_role("button", name="Schedule the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return re.sub(r"[?#].*$", "", page.url)


def start(page) -> None:
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#live-status")).to_contain_text("Live now")


def live(page) -> None:
    """The room's script has joined the session (the page is kept current from here on)."""
    expect(page.locator("#live-room")).to_have_attribute("data-live", "on")


ONE_FORMAT = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d (GMT|BST)")


def assert_time_as_the_page_shows_it(page, url: str, selector: str, question_id: int) -> None:
    """The <time>s the live layer built into a question read as the server renders that question's page."""
    shown = page.locator(f"{selector} time")
    expect(shown.first).to_have_text(ONE_FORMAT)
    live = [(t.get_attribute("datetime"), t.inner_text()) for t in shown.all()]
    html = page.request.get(url).text()
    item = re.search(rf'<li id="q{question_id}" .*?</li>', html, re.S).group(0)
    assert live == re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', item), (live, item)


def test_live_session_journey(browser_context, server):
    admin, moderator, councillor, resident2 = (browser_context() for _ in range(4))
    # This resident's browser is in Los Angeles: the live layer used to print times in the browser's own zone.
    resident = browser_context(timezone_id="America/Los_Angeles")

    sign_in(admin, server, "admin@demo.example.org")
    room = schedule(admin, "Libraries and leisure: ask Cllr Shah")
    session_id = int(room.rstrip("/").split("/")[-1])

    # The resident opens the room while it is scheduled: a countdown, no ask form yet.
    sign_in(resident, server, "resident@demo.example.org")
    resident.goto(room)
    live(resident)
    expect(resident.locator("#live-countdown [data-countdown]")).to_have_text(
        re.compile(r"^\(in (\d+ h )?\d+ min \d\d s\)$")
    )
    expect(resident.locator("#ask-form")).to_have_count(0)

    for page, email in ((moderator, "moderator@demo.example.org"), (councillor, "councillor@demo.example.org")):
        sign_in(page, server, email)
        page.goto(room)
        live(page)

    # The admin starts it: the resident's open page reloads itself with the ask form.
    start(admin)
    expect(resident.locator("#ask-form")).to_be_visible()
    live(resident)
    expect(moderator.locator("#live-pending")).to_be_visible()
    live(moderator)
    live(councillor)
    expect(councillor.get_by_role("heading", name="Answering now")).to_be_visible()

    # The resident asks, through the socket (no page load: no flash message), and sees it awaiting review.
    resident.get_by_label("Your question", exact=True).fill(QUESTION)
    resident.get_by_role("button", name="Send question").click()
    mine = resident.locator("#live-mine .my-question", has_text="Saturday opening hours")
    expect(mine).to_contain_text("Awaiting review")
    expect(resident.get_by_label("Your question", exact=True)).to_have_value("")
    expect(resident.locator(".flashes")).to_have_count(0)
    expect(resident.locator("#live-announcer")).to_contain_text("awaiting review")
    helpers.check_axe(resident, "live-room-resident")

    # The moderator sees it arrive live in the pending list.
    pending = moderator.locator("#live-pending .pending-question", has_text="Saturday opening hours")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text("Jo Resident")
    expect(moderator.locator("#live-announcer")).to_contain_text("waiting for review")
    expect(moderator.locator("#live-questions .question", has_text="Saturday opening hours")).to_have_count(0)
    helpers.check_axe(moderator, "live-room-moderator")
    # Built live, its reject form still offers every reason (the page had none to copy when it loaded).
    expect(pending.get_by_label("Reason (the asker sees it)").locator("option")).to_have_count(8)
    question_id = int(pending.get_attribute("data-question-id"))
    pending.get_by_role("button", name=re.compile("^Approve")).click()
    expect(pending).to_have_count(0)
    expect(moderator.locator("#live-announcer")).to_contain_text("Question approved")

    # It appears for everyone, live; the asker is told.
    item = f"#q{question_id}"
    for page in (moderator, councillor, resident):
        expect(page.locator(f"#live-questions {item}")).to_contain_text("Saturday opening hours")
    expect(mine).to_contain_text("Shown in the room")
    expect(resident.locator("#live-announcer")).to_contain_text("approved")
    # The asker can't vote for their own question.
    expect(resident.locator(f"{item} .vote-button")).to_have_count(0)
    # Its time, put in by the live layer, reads exactly as the server writes the page: the council's clock.
    assert_time_as_the_page_shows_it(resident, room, f"#live-questions {item}", question_id)

    # A second resident upvotes: the button says so, and the others see the count move.
    sign_in(resident2, server, "resident2@demo.example.org")
    resident2.goto(room)
    live(resident2)
    vote = resident2.locator(f"{item} .vote-button")
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(vote).to_have_accessible_name("Vote for this question (0 votes)")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(vote).to_have_accessible_name("Vote for this question (1 vote)")
    expect(vote).to_be_focused()  # the rebuilt item keeps the voter's place
    expect(resident2.locator(".flashes")).to_have_count(0)
    for page in (resident, councillor, moderator):
        expect(page.locator(item)).to_have_attribute("data-votes", "1")
        expect(page.locator(f"{item} .vote-count")).to_have_text("1")

    # The projector (no sign-in) follows along.
    projector = browser_context()
    projector.goto(f"/sessions/{session_id}/projector")
    live(projector)
    expect(projector.locator("#live-next")).to_contain_text("Saturday opening hours")

    # The councillor takes it up: highlighted live for the resident and on the projector.
    councillor.locator(item).get_by_role("button", name="Answer this now").click()
    answering = resident.locator("#live-answering .question-featured")
    expect(answering).to_contain_text("Saturday opening hours")
    expect(answering).to_have_attribute("data-status", "answering")
    expect(resident.locator("#live-announcer")).to_contain_text("Now answering")
    expect(projector.locator("#live-answering .projector-question")).to_contain_text("Saturday opening hours")
    expect(projector.locator("#live-next")).not_to_contain_text("Saturday opening hours")
    helpers.screenshot(projector, "live-projector-answering")
    helpers.check_axe(projector, "live-projector")

    # The room at phone width, while the question is being answered.
    resident.set_viewport_size(PHONE)
    helpers.assert_no_horizontal_overflow(resident, "live room (phone)")
    helpers.screenshot(resident, "live-room-phone-answering")
    resident.set_viewport_size({"width": 1280, "height": 720})

    # The councillor answers with text; the resident sees the answer live, under "Answered".
    box = councillor.locator("#live-answering")
    box.get_by_label("Written answer").fill(ANSWER)
    # A vote while they type: the count moves in the box, and what they typed stays.
    moderator.locator(f"#live-answering {item} .vote-button").click()
    expect(box.locator(".vote-count")).to_have_text("2")
    expect(box.get_by_label("Written answer")).to_have_value(ANSWER)
    box.get_by_role("button", name="Mark answered").click()
    expect(resident.locator("#live-answering")).to_contain_text("Nothing is being answered right now.")
    expect(resident.locator("#live-announcer")).to_contain_text("answered")
    resident.locator("a[data-sort=answered]").click()
    expect(resident).to_have_url(re.compile(r"\?sort=answered$"))
    expect(resident.locator("a[data-sort=answered]")).to_have_attribute("aria-current", "true")
    answered = resident.locator(f"#live-questions {item}")
    expect(answered.locator(".answer-body")).to_have_text(ANSWER)
    expect(answered).to_contain_text("Answered live by Cllr Priya Shah")
    assert_time_as_the_page_shows_it(resident, room + "?sort=answered", f"#live-questions {item}", question_id)
    expect(mine).to_contain_text("Answered")
    expect(projector.locator("#live-answering")).to_contain_text("Waiting for the next question.")
    expect(resident.locator("#live-tally")).to_contain_text("1 answered")

    resident.goto(f"/sessions/{session_id}/transcript")
    expect(resident.locator("main")).to_contain_text(ANSWER)
    helpers.check_axe(resident, "live-transcript")


def test_room_works_without_javascript(browser_context, server):
    admin = browser_context(java_script_enabled=False)
    sign_in(admin, server, "admin@demo.example.org")
    room = schedule(admin, "Bins and recycling: open questions", premoderate=False)
    start(admin)

    asker = browser_context(java_script_enabled=False)
    sign_in(asker, server, "resident@demo.example.org")
    asker.goto(room)
    asker.get_by_label("Your question", exact=True).fill("Why was the Tuesday green-bin round moved to Friday?")
    asker.get_by_role("button", name="Send question").click()
    expect(helpers.flash(asker)).to_contain_text("Your question is posted.")

    voter = browser_context(java_script_enabled=False)
    sign_in(voter, server, "resident2@demo.example.org")
    voter.goto(room)
    question = voter.locator("#live-questions .question", has_text="green-bin round")
    expect(question).to_contain_text("Jo Resident")
    vote = question.locator(".vote-button")
    expect(vote).to_have_attribute("aria-pressed", "false")
    vote.click()
    expect(helpers.flash(voter)).to_contain_text("Your vote is counted.")
    question = voter.locator("#live-questions .question", has_text="green-bin round")
    expect(question.locator(".vote-button")).to_have_attribute("aria-pressed", "true")
    expect(question.locator(".vote-count")).to_have_text("1")
    expect(question).to_have_attribute("data-votes", "1")


def asked(page, words: str):
    """The question in the room's list whose own text has these words (not a merge option naming it)."""
    return page.locator("#live-questions .question").filter(has=page.locator(".question-body", has_text=words))


def test_moderation_takes_questions_and_chat_off_open_pages(browser_context, server):
    admin = browser_context()
    sign_in(admin, server, "admin@demo.example.org")
    room = schedule(admin, "Parks and play areas: open questions", premoderate=False)
    session_id = int(room.rstrip("/").split("/")[-1])
    start(admin)

    asker = browser_context()
    sign_in(asker, server, "resident@demo.example.org")
    asker.goto(room)
    live(asker)
    asker.get_by_label("Your question", exact=True).fill("Why is the Elm Park playground still fenced off?")
    asker.get_by_role("button", name="Send question").click()
    expect(asker.locator("#live-mine .my-question")).to_have_count(1)
    asker.get_by_label("Your question", exact=True).fill("Can the bandstand host a Sunday market?")
    asker.get_by_role("button", name="Send question").click()
    expect(asker.locator("#live-mine .my-question")).to_have_count(2)
    asker.locator("#chat-form").get_by_label("Message").fill("The swings at Elm Park are broken too.")
    asker.locator("#chat-form").get_by_role("button", name="Send").click()

    reader, projector, moderator = browser_context(), browser_context(), browser_context()
    sign_in(reader, server, "resident2@demo.example.org")
    reader.goto(room)
    projector.goto(f"/sessions/{session_id}/projector")
    sign_in(moderator, server, "moderator@demo.example.org")
    moderator.goto(room)
    for page in (reader, projector, moderator):
        live(page)
    playground = asked(reader, "playground")
    expect(playground).to_be_visible()
    expect(projector.locator("#live-next")).to_contain_text("playground")
    chat = reader.locator("#live-chat .chat-message", has_text="swings")
    expect(chat).to_be_visible()
    for page in (reader, projector):
        page.evaluate("() => { window.stillTheSamePage = true; }")

    # The moderator removes a question in the room: it leaves the reader's room and the projector.
    item = asked(moderator, "playground")
    item.locator("summary").click()
    item.get_by_label("Reason (the asker sees it)").select_option(label="Off topic")
    item.get_by_role("button", name="Remove from the room").click()
    expect(playground).to_have_count(0)
    expect(projector.locator("#live-room")).not_to_contain_text("playground")
    expect(asker.locator("#live-mine .my-question", has_text="playground")).to_contain_text("Rejected by a moderator")

    # The other question, taken up "answering now", is flagged and hidden from the review queue: it leaves too,
    # from the answering box on every page and on the projector.
    councillor = browser_context()
    sign_in(councillor, server, "councillor@demo.example.org")
    councillor.goto(room)
    live(councillor)
    asked(councillor, "bandstand").get_by_role("button", name="Answer this now").click()
    expect(projector.locator("#live-answering")).to_contain_text("bandstand")
    expect(reader.locator("#live-answering")).to_contain_text("bandstand")
    reader.locator("#live-answering").get_by_role("link", name="Flag this question for moderators").click()
    helpers.send_flag(reader)
    reader.goto(room)
    live(reader)
    reader.evaluate("() => { window.stillTheSamePage = true; }")
    helpers.hide_from_queue(moderator, "bandstand")
    expect(reader.locator("#live-room")).not_to_contain_text("bandstand")
    expect(projector.locator("#live-room")).not_to_contain_text("bandstand")
    expect(projector.locator("#live-answering")).to_contain_text("Waiting for the next question.")

    # A chat message flagged and hidden from the queue leaves the room too.
    reader.locator("#live-chat .chat-message", has_text="swings").get_by_role(
        "link", name="Flag this message for moderators"
    ).click()
    helpers.send_flag(reader)
    reader.goto(room)
    live(reader)
    reader.evaluate("() => { window.stillTheSamePage = true; }")
    expect(asker.locator("#live-chat")).to_contain_text("swings")
    helpers.hide_from_queue(moderator, "swings")
    for page in (asker, reader):
        expect(page.locator("#live-chat")).not_to_contain_text("swings")
    for page in (reader, projector):
        assert page.evaluate("() => window.stillTheSamePage") is True
    helpers.screenshot(projector, "live-projector-after-moderation")
    helpers.screenshot(reader, "live-room-after-moderation")

    # After the session, a question awaiting a written answer that is hidden leaves the open room too.
    asker.get_by_label("Your question", exact=True).fill("Will the Elm Park benches be replaced this year?")
    asker.get_by_role("button", name="Send question").click()
    expect(asked(reader, "benches")).to_be_visible()
    admin.get_by_role("button", name="End the session").click()
    awaiting = reader.locator(".awaiting-answer .question", has_text="benches")
    expect(awaiting).to_be_visible()  # the reader's page reloaded itself when the session ended
    live(reader)
    question_id = awaiting.get_attribute("data-question-id")
    reader.evaluate("() => { window.stillTheSamePage = true; }")
    flagger = browser_context()
    sign_in(flagger, server, "resident2@demo.example.org")
    flagger.goto(f"/flag/question/{question_id}")
    helpers.send_flag(flagger)
    helpers.hide_from_queue(moderator, "benches")
    expect(reader.locator("#live-room")).not_to_contain_text("benches")
    assert reader.evaluate("() => window.stillTheSamePage") is True


DEMO_LIVE = "Housing and rents: ask your councillors"


def in_viewport(page, selector: str) -> dict:
    """Where an element is, against the window: its box, and whether all of it is on the first screen."""
    return page.evaluate(
        """(selector) => {
            const r = document.querySelector(selector).getBoundingClientRect();
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    inside: r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth};
        }""",
        selector,
    )


def test_asking_is_on_a_phones_first_screen_with_the_list_below(browser_context, server):
    """At 390x844 the whole ask box (question, anonymity, button) is on the first screen, before the list;
    jump links reach the questions and the chat; on a desktop the list and the ask box sit side by side."""
    resident = browser_context(viewport=PHONE)
    sign_in(resident, server, "resident@demo.example.org")
    resident.goto("/sessions")
    resident.get_by_role("link", name=DEMO_LIVE).click()
    live(resident)
    assert resident.evaluate("window.scrollY") == 0
    for part in ("#ask-heading", "#question-body", "#ask-anonymous", "#ask-form button[type=submit]"):
        box = in_viewport(resident, part)
        assert box["inside"], f"{part} is not on the first screen of a phone: {box}"
    # The list follows the ask box in the page's order (the order a screen reader and the keyboard follow).
    ask, questions = in_viewport(resident, "#ask-form"), in_viewport(resident, "#questions-heading")
    assert questions["top"] > ask["bottom"]
    order = resident.evaluate(
        "() => [...document.querySelectorAll('#live-room h2')].map(h => h.textContent.trim().split(' (')[0])"
    )
    assert order.index("Ask a question") < order.index("Questions") < order.index("Chat"), order
    helpers.assert_no_horizontal_overflow(resident, "live room (phone, first screen)")
    helpers.screenshot(resident, "live-room-phone-first-screen")
    resident.screenshot(path=str(helpers.SCREENSHOTS / "live-room-phone-viewport.png"))

    # Jump links skip the ask box and what the session is about.
    resident.get_by_role("navigation", name="Parts of this page").get_by_role("link", name="Questions").click()
    expect(resident).to_have_url(re.compile(r"#questions-heading$"))
    assert in_viewport(resident, "#questions-heading")["inside"], in_viewport(resident, "#questions-heading")
    helpers.check_axe(resident, "live-room-phone")

    # A desktop: the list on the left, asking on the right, both on the first screen.
    resident.set_viewport_size({"width": 1280, "height": 800})
    resident.goto(re.sub(r"#.*$", "", resident.url))
    ask, answering = in_viewport(resident, "#ask-form"), in_viewport(resident, "#live-answering")
    assert in_viewport(resident, "#question-body")["inside"]
    assert answering["right"] <= ask["left"] and answering["top"] < 800, (answering, ask)
    resident.screenshot(path=str(helpers.SCREENSHOTS / "live-room-desktop-viewport.png"))


def test_projector_shows_how_to_join_and_lines_up_next_up(browser_context, server):
    """The projector shows the room's address and a QR code drawn by our server that a phone can read back;
    each "Next" row keeps its tag, text and votes on one line's baseline, the votes at the right edge."""
    from io import BytesIO

    import zxingcpp
    from PIL import Image

    finder = browser_context()
    finder.goto("/sessions")
    finder.get_by_role("link", name=DEMO_LIVE).click()
    room_url = re.sub(r"[?#].*$", "", finder.url)
    projector = browser_context(viewport={"width": 1280, "height": 720})
    projector.goto(room_url + "/projector")
    live(projector)

    address = room_url.split("://", 1)[1]
    join = projector.locator(".projector-join")
    expect(join).to_contain_text(f"Ask and vote at {address}")
    qr = join.get_by_role("img", name=f"QR code: scan it to open {address}")
    expect(qr).to_have_attribute("src", re.compile(r"^/sessions/\d+/join\.svg$"))  # our origin, no third party
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert in_viewport(projector, ".projector-qr")["inside"]
    read = zxingcpp.read_barcodes(Image.open(BytesIO(qr.screenshot())))
    assert [code.text for code in read] == [room_url], "the QR code on the screen does not open the room"

    rows = projector.evaluate(
        """() => [...document.querySelectorAll('#live-next li')].map(li => {
            const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                                  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
            const range = document.createRange(); range.selectNodeContents(li.querySelector('.projector-next-body'));
            const first = range.getClientRects()[0];
            return {li: box(li), tag: box(li.querySelector('.tag-next')),
                    votes: box(li.querySelector('.projector-votes')),
                    line: {top: first.top, bottom: first.bottom, left: first.left}};
        })"""
    )
    assert len(rows) >= 3 and rows[0]["tag"], rows  # the demo pins one question as next up
    for row in rows:
        line, votes = row["line"], row["votes"]
        assert abs(votes["right"] - row["li"]["right"]) < 2, row  # votes at the right edge
        middle = (line["top"] + line["bottom"]) / 2
        assert abs((votes["top"] + votes["bottom"]) / 2 - middle) < 8, row  # ... on the text's first line
        if row["tag"]:
            assert abs((row["tag"]["top"] + row["tag"]["bottom"]) / 2 - middle) < 8, row
            assert line["left"] > row["tag"]["right"], row  # the text follows the tag on its line
        else:
            assert abs(line["left"] - row["li"]["left"]) < 2, row
    helpers.screenshot(projector, "live-projector-join")
    helpers.check_axe(projector, "live-projector-join")


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one character: 7 code points, 11 UTF-16 units


def test_question_box_takes_a_family_emoji_whole_at_the_limit(browser_context, server):
    admin = browser_context()
    sign_in(admin, server, "admin@demo.example.org")
    room = schedule(admin, "Parks: ask Cllr Shah", premoderate=False)
    start(admin)

    resident = browser_context()
    sign_in(resident, server, "resident@demo.example.org")
    resident.goto(room)
    live(resident)
    box = resident.get_by_label("Your question", exact=True)
    counter = resident.locator("#question-body-count")
    expect(counter).to_have_text("500 characters left")
    box.fill("Will the park café reopen? " + "a" * 472)
    expect(counter).to_have_text("1 character left")
    box.press_sequentially(FAMILY)  # with maxlength="500" the browser cut this in half
    expect(box).to_have_value("Will the park café reopen? " + "a" * 472 + FAMILY)
    expect(counter).to_have_text("0 characters left")
    resident.locator("#ask-form").scroll_into_view_if_needed()
    helpers.screenshot(resident, "question-box-at-limit")
    resident.get_by_role("button", name="Send question").click()
    expect(box).to_have_value("")
    expect(counter).to_have_text("500 characters left")
    mine = resident.locator("#live-questions .question", has_text="Will the park café reopen?")
    expect(mine).to_contain_text(FAMILY)
