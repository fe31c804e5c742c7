"""Live Q&A pages over HTTP, as a person without JavaScript uses them: forms, refusals, errors, redirects."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionQuestion
from debate.services import council_time
from debate.services.live import chat as live_chat
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def as_user(app):
    """A client signed in as the given user (each person their own browser)."""

    def make(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, html(response)
        return client

    return make


def follow(client, response) -> str:
    assert response.status_code == 302, html(response)
    return html(client.get(response.headers["Location"]))


def questions() -> list[SessionQuestion]:
    db.session.expire_all()
    return list(db.session.scalars(select(SessionQuestion).order_by(SessionQuestion.id)))


def local(moment) -> str:
    return council_time.to_local(moment).strftime(live_sessions.DATETIME_FORMAT)


def question_item(page: str, question_id: int) -> str:
    match = re.search(rf'<li id="q{question_id}" class="question".*?</li>', page, re.S)
    assert match, f"question {question_id} is not in the list"
    return match.group(0)


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_live_upcoming_and_past_with_local_times_and_panel(client, schedule, people):
    now = schedule(start=True, title="Buses: ask the panel")
    later = schedule(title="Parks and play areas")
    over = schedule(start=True, title="Budget questions")
    live_sessions.end(people["admin"], over.id)
    page = html(client.get("/sessions"))
    live_part, rest = page.split("Coming up", 1)
    upcoming_part, past_part = rest.split("Past sessions", 1)
    assert "Buses: ask the panel" in live_part and "Parks and play areas" in upcoming_part
    assert "Budget questions" in past_part
    assert "<bdi>Cllr Amina Shah</bdi>, <bdi>Cllr Ben Ortiz</bdi>" in page
    start = council_time.to_local(later.starts_at)
    assert f"{start:%H:%M %Z}" in upcoming_part
    assert f'href="/sessions/{now.id}"' in page
    assert 'href="/sessions">Live Q&amp;A</a>' in page or 'aria-current="page">Live Q&amp;A' in page
    assert "Schedule a session" not in page


@pytest.mark.parametrize(("who", "shown"), [("admin", True), ("councillor", True), ("resident", False)])
def test_schedule_link_for_admins_and_verified_representatives(as_user, people, who, shown):
    page = html(as_user(people[who]).get("/sessions"))
    assert ("Schedule a session" in page) is shown
    status = as_user(people[who]).get("/sessions/new").status_code
    assert status == (200 if shown else 403)


# --- scheduling -------------------------------------------------------------------------------


def schedule_form(people, **changes) -> dict:
    starts = utcnow() + timedelta(days=2)
    data = {
        "title": "Housing repairs: your questions",
        "description": "Ask about *repairs*.",
        "topic": "",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=1)),
        "panel": [str(people["councillor"].id)],
        "premoderate": "1",
        "stream_url": "https://stream.example.org/live",
        "chat_slow_seconds": "10",
    }
    data.update(changes)
    return data


def test_schedule_through_the_form(as_user, people, topic):
    client = as_user(people["councillor"])
    form = html(client.get("/sessions/new"))
    assert 'type="datetime-local"' in form and 'name="premoderate" id="premoderate" value="1"' in form
    assert re.search(r'id="premoderate" value="1"[^>]*checked', form)
    assert f'value="{people["councillor"].id}"' in form and "Cllr Ben Ortiz" in form
    response = client.post("/sessions/new", data=schedule_form(people, topic="housing"))
    live = db.session.scalar(select(LiveSession))
    assert response.headers["Location"].endswith(f"/sessions/{live.id}")
    assert live.host_id == people["councillor"].id and live.premoderate and not live.allow_anonymous
    assert live.topic.slug == "housing" and live.stream_url == "https://stream.example.org/live"
    page = follow(client, response)
    assert "scheduled." in page and "<em>repairs</em>" in page
    assert 'href="https://stream.example.org/live"' in page and "<iframe" not in page


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"starts_at": "next tuesday"}, "The start time is not a date and time", "starts_at"),
        (
            {"stream_url": "http://stream.example.org/live"},
            "must be a web address starting with https://",
            "stream_url",
        ),
        ({"title": "Hi"}, "at least 5 characters", "title"),
        ({"chat_slow_seconds": "9999"}, "Slow mode is between 0 and 300 seconds.", "chat_slow_seconds"),
    ],
)
def test_schedule_bad_input_keeps_what_was_typed(as_user, people, changes, message, field):
    client = as_user(people["admin"])
    data = schedule_form(people, **changes)
    response = client.post("/sessions/new", data=data)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert re.search(rf'<p class="field-message" id="{field}-error">[^<]*{re.escape(message[:20])}', page)
    assert 'value="Housing repairs: your questions"' in page or field == "title"
    assert f'value="{changes[field]}"' in page or field == "description"
    assert re.search(rf'id="panel-{people["councillor"].id}" value="{people["councillor"].id}"\s+checked', page)
    assert db.session.scalar(select(func.count()).select_from(LiveSession)) == 0


def test_panel_of_non_representatives_is_refused(as_user, people):
    client = as_user(people["admin"])
    response = client.post("/sessions/new", data=schedule_form(people, panel=[str(people["resident"].id)]))
    assert response.status_code == 400
    page = html(response)
    assert "Only verified representatives can sit on a panel." in page and 'id="panel-error"' in page


def test_representative_must_sit_on_their_own_panel(as_user, people):
    client = as_user(people["councillor"])
    response = client.post("/sessions/new", data=schedule_form(people, panel=[str(people["councillor2"].id)]))
    assert response.status_code == 400
    assert "Put yourself on the panel" in html(response)
    assert db.session.scalar(select(func.count()).select_from(LiveSession)) == 0


def test_edit_form_shows_local_times_and_saves(as_user, people, schedule):
    live = schedule(title="Original title here")
    client = as_user(people["admin"])
    form = html(client.get(f"/sessions/{live.id}/edit"))
    assert f'value="{local(live.starts_at)}"' in form and 'value="Original title here"' in form
    assert as_user(people["resident"]).get(f"/sessions/{live.id}/edit").status_code == 403
    data = schedule_form(people, title="A better title")
    data["starts_at"], data["ends_at"] = local(live.starts_at), local(live.ends_at)
    follow(client, client.post(f"/sessions/{live.id}/edit", data=data))
    db.session.expire_all()
    assert live.title == "A better title" and live.panel_ids == {people["councillor"].id}


# --- the room: per state and role -------------------------------------------------------------


def test_scheduled_room_has_countdown_calendar_and_no_ask_form(client, schedule):
    live = schedule()
    page = html(client.get(f"/sessions/{live.id}"))
    assert f'<div id="live-room" class="live-room" data-session-id="{live.id}" data-state="scheduled"' in page
    assert re.search(
        rf'id="live-countdown".*?<time datetime="{live.starts_at.isoformat(timespec="seconds")}Z"', page, re.S
    )
    assert f'href="/sessions/{live.id}/calendar.ics"' in page
    assert 'id="ask-form"' not in page and "has not started yet" in page
    assert page.count('id="live-status"') == 1  # the footer's connection status gives way to the room's


def test_live_room_dom_contract(client, live, people):
    question = live_questions.ask(people["resident"], live.id, "Where is the new library?")
    live_questions.approve(people["moderator"], question.id)
    page = html(client.get(f"/sessions/{live.id}"))
    db.session.refresh(live)
    assert f'data-seq="{live.seq}" data-sort="top"' in page
    for needle in (
        'id="live-status"',
        'id="live-participants"',
        'id="live-announcements"',
        'id="live-answering"',
        'id="live-next"',
        'data-sort="top"',
        'data-sort="new"',
        'data-sort="answered"',
        '<ol id="live-questions"',
        'id="live-chat"',
        'id="live-announcer" class="visually-hidden" aria-live="polite"',
        'id="live-tally"',
        "vendor/socket.io/socket.io.min.js",
        "js/live/main.js",
    ):
        assert needle in page, needle
    assert 'id="live-countdown"' not in page and "<style" not in page and "<script>" not in page
    item = question_item(page, question.id)
    assert f'data-question-id="{question.id}" data-votes="0" data-status="open"' in item
    assert "Most votes first" in page and "1 question asked: 1 open." in page
    assert "Sign in to ask a question." in page and 'id="ask-form"' not in page
    assert 'id="live-mine"' not in page and 'id="live-pending"' not in page


def test_roles_see_their_controls(as_user, live, people):
    question = live_questions.ask(people["resident"], live.id, "Will the pool reopen?")
    resident = html(as_user(people["resident2"]).get(f"/sessions/{live.id}"))
    assert 'id="ask-form"' in resident and 'id="chat-form"' in resident and 'id="live-mine"' in resident
    assert 'name="anonymous"' in resident and 'data-max-chars="' in resident
    assert "Will the pool reopen?" not in resident and 'id="live-pending"' not in resident
    assert "Start the session" not in resident and "End the session" not in resident
    moderator = html(as_user(people["moderator"]).get(f"/sessions/{live.id}"))
    assert 'id="live-pending"' in moderator and "Will the pool reopen?" in moderator
    assert f'action="/sessions/{live.id}/questions/{question.id}/approve"' in moderator
    assert 'name="category"' in moderator and "End the session" not in moderator
    host = html(as_user(people["admin"]).get(f"/sessions/{live.id}"))
    assert "End the session" in host and "will await a written answer" in host
    assert f'action="/sessions/{live.id}/announcements"' in host


def test_anonymous_asker_is_hidden_from_residents_and_shown_to_moderators(as_user, live, people):
    question = live_questions.ask(people["resident"], live.id, "Who decides the bin rounds?", anonymous=True)
    live_questions.approve(people["moderator"], question.id)
    resident = question_item(html(as_user(people["resident2"]).get(f"/sessions/{live.id}")), question.id)
    assert "Anonymous" in resident and "Rita Resident" not in resident
    moderator = question_item(html(as_user(people["moderator"]).get(f"/sessions/{live.id}")), question.id)
    assert "Anonymous" in moderator and "Rita Resident" in moderator


def test_html_in_a_question_is_escaped(as_user, live, people):
    client = as_user(people["resident"])
    body = "<script>alert(1)</script><img src=x onerror=alert(2)> **why** [x](javascript:alert(3))"
    client.post(f"/sessions/{live.id}/questions", data={"body": body})
    live_questions.approve(people["moderator"], questions()[0].id)
    page = html(client.get(f"/sessions/{live.id}"))
    assert "<script>alert" not in page and "<img" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<strong>why</strong>" in page


def test_chat_through_the_form(as_user, live, people):
    client = as_user(people["resident"])
    page = follow(client, client.post(f"/sessions/{live.id}/chat", data={"body": "Hello *all*"}))
    message = re.search(r'<li id="chat-(\d+)" class="chat-message".*?</li>', page, re.S)
    assert message and "<em>all</em>" in message.group(0)
    too_soon = client.post(f"/sessions/{live.id}/chat", data={"body": "Again"})
    assert too_soon.status_code == 429 and "Slow mode is on" in html(too_soon) and 'value="Again"' in html(too_soon)
    other = html(as_user(people["resident2"]).get(f"/sessions/{live.id}"))
    assert f"/flag/chat/{message.group(1)}" in other


# --- the whole flow, without JavaScript -------------------------------------------------------


def test_question_flow_through_forms(as_user, live, people):
    asker, voter = as_user(people["resident"]), as_user(people["resident2"])
    room = f"/sessions/{live.id}"
    form = html(asker.get(room))
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    page = follow(
        asker, asker.post(f"{room}/questions", data={"body": "When will Eastgate be fixed?", "submission_key": key})
    )
    assert "awaiting review" in page
    (question,) = questions()
    assert question.state == "held"
    mine = re.search(r'id="live-mine".*?</section>', page, re.S).group(0)
    assert "When will Eastgate be fixed?" in mine and "Awaiting review" in mine
    assert "When will Eastgate be fixed?" not in html(voter.get(room))

    moderator = as_user(people["moderator"])
    page = follow(moderator, moderator.post(f"{room}/questions/{question.id}/approve"))
    assert "Question approved" in page
    assert "When will Eastgate be fixed?" in question_item(html(voter.get(room)), question.id)

    page = follow(voter, voter.post(f"{room}/questions/{question.id}/vote", data={"action": "vote"}))
    item = question_item(page, question.id)
    assert 'aria-pressed="true"' in item and 'aria-label="Vote for this question (1 vote)"' in item
    assert 'data-votes="1"' in item and 'class="vote-form' in item
    again = follow(voter, voter.post(f"{room}/questions/{question.id}/vote", data={"action": "vote"}))
    assert "Your vote is counted." in again and 'data-votes="1"' in question_item(again, question.id)
    page = follow(voter, voter.post(f"{room}/questions/{question.id}/vote", data={"action": "unvote"}))
    assert 'aria-pressed="false"' in question_item(page, question.id) and "Your vote is removed." in page
    again = follow(voter, voter.post(f"{room}/questions/{question.id}/vote", data={"action": "unvote"}))
    assert "Your vote is removed." in again and 'data-votes="0"' in question_item(again, question.id)
    follow(voter, voter.post(f"{room}/questions/{question.id}/vote", data={"action": "vote"}))

    councillor = as_user(people["councillor"])
    page = follow(councillor, councillor.post(f"{room}/questions/{question.id}/answering"))
    assert re.search(r'id="live-answering".*?When will Eastgate be fixed\?', page, re.S)
    page = follow(
        councillor,
        councillor.post(f"{room}/questions/{question.id}/answer", data={"answer": "Work starts in **March**."}),
    )
    assert "Marked as answered." in page

    second = live_questions.ask(people["resident3"], live.id, "And the bus shelter?")
    live_questions.approve(people["moderator"], second.id)
    host = as_user(people["admin"])
    page = follow(host, host.post(f"{room}/end"))
    assert "Unanswered questions now await a written answer." in page

    answered = html(voter.get(f"{room}?sort=answered"))
    item = question_item(answered, question.id)
    assert "Answered live by" in item and "Cllr Amina Shah" in item and "<strong>March</strong>" in item
    assert re.search(r"Awaiting a written answer.*?And the bus shelter\?", answered, re.S)
    assert "Read the transcript" in answered and 'id="ask-form"' not in answered and "is over" in answered


def test_written_answer_after_the_session(as_user, live, people):
    question = live_questions.ask(people["resident"], live.id, "What about Northgate?")
    live_questions.approve(people["moderator"], question.id)
    live_sessions.end(people["admin"], live.id)
    councillor = as_user(people["councillor"])
    page = html(councillor.get(f"/sessions/{live.id}"))
    assert "Publish the written answer" in page
    empty = follow(
        councillor, councillor.post(f"/sessions/{live.id}/questions/{question.id}/answer", data={"answer": ""})
    )
    assert "Write the answer" in empty
    page = follow(
        councillor,
        councillor.post(f"/sessions/{live.id}/questions/{question.id}/answer", data={"answer": "Next year."}),
    )
    assert "Answered in writing by" in question_item(
        html(councillor.get(f"/sessions/{live.id}?sort=answered")), question.id
    )


def test_moderator_reject_fix_merge_and_pin(as_user, live, people):
    room = f"/sessions/{live.id}"
    moderator = as_user(people["moderator"])
    a = live_questions.ask(people["resident"], live.id, "Is the librery open?")
    b = live_questions.ask(people["resident2"], live.id, "Library hours?")
    c = live_questions.ask(people["resident3"], live.id, "Something rude")
    page = follow(moderator, moderator.post(f"{room}/questions/{c.id}/reject", data={"category": ""}))
    assert "Choose a reason" in page
    follow(
        moderator,
        moderator.post(
            f"{room}/questions/{c.id}/reject", data={"category": "abuse_harassment", "note": "Keep it civil"}
        ),
    )
    follow(moderator, moderator.post(f"{room}/questions/{a.id}/approve"))
    page = follow(
        moderator, moderator.post(f"{room}/questions/{a.id}/fix", data={"text": "Is the library open?", "note": ""})
    )
    assert "Is the librery open?" in page  # a correction needs its note
    page = follow(
        moderator, moderator.post(f"{room}/questions/{a.id}/fix", data={"text": "Is the library open?", "note": "typo"})
    )
    assert "Edited by a moderator" in question_item(page, a.id)
    follow(moderator, moderator.post(f"{room}/questions/{b.id}/merge", data={"into_id": str(a.id)}))
    page = follow(moderator, moderator.post(f"{room}/questions/{a.id}/pin", data={"action": "pin"}))
    assert re.search(r'id="live-next".*?Is the library open\?', page, re.S)
    states = {q.id: (q.state, q.status) for q in questions()}
    assert states[c.id][0] == "removed" and states[b.id][1] == "merged" and states[a.id] == ("edited", "open")
    rejected = html(as_user(people["resident3"]).get(room))
    assert "Rejected by a moderator" in re.search(r'id="live-mine".*?</section>', rejected, re.S).group(0)
    merged = html(as_user(people["resident2"]).get(room))
    assert "Merged with a question asking the same thing" in merged


def test_withdraw_through_the_form(as_user, live, people):
    client = as_user(people["resident"])
    question = live_questions.ask(people["resident"], live.id, "Changed my mind")
    page = follow(client, client.post(f"/sessions/{live.id}/questions/{question.id}/withdraw"))
    assert "Your question is withdrawn." in page and "You withdrew this question." in page


# --- refusals and bad input -------------------------------------------------------------------


def test_resident_cannot_moderate_start_or_answer(as_user, schedule, live, people):
    scheduled = schedule()
    question = live_questions.ask(people["resident"], live.id, "Fair question?")
    resident = as_user(people["resident2"])
    page = follow(resident, resident.post(f"/sessions/{live.id}/questions/{question.id}/approve"))
    assert "Your account does not have permission to do that." in page
    page = unescape(follow(resident, resident.post(f"/sessions/{scheduled.id}/start")))
    assert "Only the session's host or an admin can do that." in page
    live_questions.approve(people["moderator"], question.id)
    page = unescape(follow(resident, resident.post(f"/sessions/{live.id}/questions/{question.id}/answering")))
    assert "Only the session's panel and host can answer questions." in page
    page = unescape(follow(resident, resident.post(f"/sessions/{live.id}/end")))
    assert "Only the session's host or an admin" in page
    db.session.expire_all()
    assert scheduled.state == "scheduled" and live.state == "live" and questions()[0].status == "open"


def test_signed_out_posts_go_to_sign_in(client, live):
    response = client.post(f"/sessions/{live.id}/questions", data={"body": "Hello?"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert questions() == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your question before sending it."),
        ("   ", "Write your question before sending it."),
        ("x" * 5001, "Your question is too long"),
    ],
)
def test_bad_question_shows_the_message_and_keeps_the_text(as_user, live, people, body, message):
    client = as_user(people["resident"])
    response = client.post(f"/sessions/{live.id}/questions", data={"body": body, "submission_key": "k" * 20})
    assert response.status_code == 400
    page = html(response)
    assert message in page and 'aria-invalid="true"' in page and 'href="#question-body"' in page
    assert f">{body}</textarea>" in page and 'value="kkkkkkkkkkkkkkkkkkkk"' in page
    assert questions() == []


def test_anonymous_refused_when_the_session_does_not_allow_it(as_user, schedule, people):
    live = schedule(anonymous=False, start=True)
    client = as_user(people["resident"])
    page = html(client.get(f"/sessions/{live.id}"))
    assert 'name="anonymous"' not in page
    response = client.post(f"/sessions/{live.id}/questions", data={"body": "Sneaky", "anonymous": "1"})
    assert response.status_code == 400 and "does not take anonymous questions" in html(response)


def test_missing_session_is_404(client):
    assert client.get("/sessions/999999").status_code == 404
    assert client.get("/sessions/999999/transcript").status_code == 404


# --- projector and transcript -----------------------------------------------------------------


def test_projector_shows_answering_and_next_without_controls(client, live, people):
    a = live_questions.ask(people["resident"], live.id, "Answer me first")
    b = live_questions.ask(people["resident2"], live.id, "Pinned one")
    c = live_questions.ask(people["resident3"], live.id, "Popular one")
    for q in (a, b, c):
        live_questions.approve(people["moderator"], q.id)
    live_questions.set_vote(people["resident"], c.id, True)
    live_questions.pin(people["moderator"], b.id, True, reason="related")
    live_questions.answering(people["councillor"], a.id, reason="agenda")
    page = html(client.get(f"/sessions/{live.id}/projector"))
    assert 'id="live-room" class="projector-room" data-view="projector"' in page
    assert f'data-session-id="{live.id}"' in page and "<form" not in page
    now, after = page.split('id="live-next"', 1)
    assert "Answer me first" in now
    assert after.index("Pinned one") < after.index("Popular one")


def test_projector_shows_the_join_address_and_a_qr_code_from_our_server(app, client, live):
    app.config["SERVER_URL"] = "https://debate.example.org/"
    page = html(client.get(f"/sessions/{live.id}/projector"))
    address = f"debate.example.org/sessions/{live.id}"
    assert f'<a class="projector-join-url" href="https://{address}">{address}</a>' in page
    assert f'src="/sessions/{live.id}/join.svg"' in page and f'alt="QR code: scan it to open {address}"' in page
    qr = client.get(f"/sessions/{live.id}/join.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    svg = qr.get_data(as_text=True)
    assert svg.startswith("<svg") and 'fill="white"' in svg  # its own white quiet zone, for a black screen
    assert "<script" not in svg and "http" not in svg.split(">", 1)[1]  # nothing but the drawing
    assert "max-age" in qr.headers["Cache-Control"]
    assert client.get("/sessions/999999/join.svg").status_code == 404


def test_transcript_lists_answers_in_order_and_links_exports(client, live, people):
    first = live_questions.ask(people["resident"], live.id, "First taken")
    second = live_questions.ask(people["resident2"], live.id, "Second taken")
    waiting = live_questions.ask(people["resident3"], live.id, "Never reached")
    for q in (first, second, waiting):
        live_questions.approve(people["moderator"], q.id)
    for q in (first, second):
        live_questions.answering(people["councillor"], q.id)
        live_questions.answer(people["councillor"], q.id, "Done.")
    live_chat.announce(people["admin"], live.id, "Thanks all")
    live_sessions.end(people["admin"], live.id)
    page = html(client.get(f"/sessions/{live.id}/transcript"))
    assert (
        page.index("First taken")
        < page.index("Second taken")
        < page.index("Awaiting a written answer")
        < page.index("Never reached")
    )
    assert "Answered live by" in page and f'href="/sessions/{live.id}/export.csv"' in page
    assert f'href="/sessions/{live.id}/export.json"' in page and " 2 answered" in page


def transcript_section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)


def test_transcript_says_put_back_only_of_questions_that_were_taken_up(client, live, people):
    """Questions never taken up are not "taken up, then put back" (the demo's transcript said so of every one)."""
    asked = [live_questions.ask(people[who], live.id, f"Question from {who}") for who in ("resident", "resident2")]
    for q in asked:
        live_questions.approve(people["moderator"], q.id)
    back, never = asked
    live_questions.answering(people["councillor"], back.id)
    live_questions.reopen(people["councillor"], back.id)
    page = html(client.get(f"/sessions/{live.id}/transcript"))
    taken, still_open = transcript_section(page, "taken-heading"), transcript_section(page, "open-heading")
    assert "Question from resident<" in taken and "Taken up, then put back: not answered yet." in taken
    assert "Question from resident2" in still_open and "put back" not in still_open


def test_a_long_list_is_shown_fifty_at_a_time_without_javascript(client, schedule, people):
    """1,000 questions would make a slow, enormous page on a phone: the page lists 50 and offers the next 50."""
    live = schedule(start=True, premoderate=False)
    askers = [people["resident"], people["resident2"], people["resident3"]]
    made = [live_questions.ask(askers[n % 3], live.id, f"Question number {n} about the bus depot?") for n in range(55)]
    page = html(client.get(f"/sessions/{live.id}?sort=new"))
    assert page.count('class="question"') == 50
    assert "Show 5 more questions" in page and "(5 not listed yet)" in page
    assert f'href="/sessions/{live.id}?sort=new&amp;shown=100#q{made[5].id}"' in page
    page = html(client.get(f"/sessions/{live.id}?sort=new&shown=100"))
    assert page.count('class="question"') == 55 and "more question" not in page
    for odd in ("abc", "-5", "7", "99999999999999999999"):
        assert client.get(f"/sessions/{live.id}?shown={odd}").status_code == 200


@pytest.mark.parametrize("raw", [b"%C0%AF", b"%ED%A0%80", b"caf%E2%82"], ids=["overlong", "cesu8", "truncated"])
def test_no_js_question_form_with_invalid_utf8_is_refused_and_stores_nothing(client, login, people, live, raw):
    login(people["resident"])
    response = client.post(
        f"/sessions/{live.id}/questions",
        data=b"body=When+" + raw,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.get_data(as_text=True)
    assert db.session.query(SessionQuestion).count() == 0
