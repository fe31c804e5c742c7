"""Every form states the limit its service enforces: each field's data-max-chars or maxlength, read from the page.

The expected numbers come from the services (their constants, or their functions where the limit is a
moderation setting), never from debate/web/helpers.py, which the templates read: a template that types
a number, or a helper that copies one, fails here. Every field with a limit on the pages rendered must
be in FIELDS, so a new field is checked once it is added.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

import moderation
from debate.extensions import db
from debate.models.moderation import ReviewItem
from debate.services import publishing, tokens
from debate.services.accountability import bank_holidays, outcomes
from debate.services.accountability import questions as accountability
from debate.services.accounts import credentials as accounts
from debate.services.accounts import roles
from debate.services.forums import posts as forums
from debate.services.forums import search, topics
from debate.services.live import chat as live_chat
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import screening as moderation_screening
from debate.services.moderation import settings as moderation_settings
from tests.conftest import PASSWORD
from tests.live import conftest as live_fixtures

people = live_fixtures.people
schedule = live_fixtures.schedule

pytestmark = pytest.mark.usefixtures("forum_policy")


def policy_title() -> int:
    return publishing.policy().limits.title


def thread_body() -> int:
    return publishing.policy().limits.for_kind(moderation.ContentKind.THREAD)


def reply_body() -> int:
    return publishing.policy().limits.for_kind(moderation.ContentKind.REPLY)


def appeal_statement() -> int:
    return publishing.policy().appeals.statement_max_chars


EMAIL = ("maxlength", lambda: accounts.EMAIL_MAX)
PASSWORD_FIELD = ("maxlength", lambda: accounts.PASSWORD_MAX)
NAME = ("data-max-chars", moderation_screening.display_name_max)
DECISION_NOTE = ("data-max-chars", lambda: moderation_decisions.NOTE_MAX)
LIVE_ANSWER = ("data-max-chars", lambda: live_questions.ANSWER_MAX)
QUESTION = ("data-max-chars", live_questions.question_max)
CHAT = ("data-max-chars", live_chat.message_max)

# (page, who opens it, {field id -> (attribute, the service's limit)}); in ids, digits are N and the prefix of a
# live question's own forms (templates/live/_live_macros.html: list-, pending-, ...) is *.
FIELDS = [
    (
        "/register",
        None,
        {"display_name": NAME, "email": EMAIL, "password": PASSWORD_FIELD, "confirm": PASSWORD_FIELD},
    ),
    ("/login", None, {"email": EMAIL, "password": PASSWORD_FIELD}),
    ("/forgot", None, {"email": EMAIL}),
    ("/reset/{reset}", None, {"password": PASSWORD_FIELD, "confirm": PASSWORD_FIELD}),
    (
        "/account/",
        "resident",
        {
            "display_name": NAME,
            "current": PASSWORD_FIELD,
            "password": PASSWORD_FIELD,
            "confirm": PASSWORD_FIELD,
            "title": ("data-max-chars", lambda: roles.FIELD_MAX),
            "area": ("data-max-chars", lambda: roles.FIELD_MAX),
            "party": ("data-max-chars", lambda: roles.FIELD_MAX),
        },
    ),
    ("/account/delete", "resident", {"password": PASSWORD_FIELD}),
    (
        "/topics/new",
        "admin",
        {
            "title": ("data-max-chars", lambda: topics.TITLE_MAX),
            "description": ("data-max-chars", lambda: topics.DESCRIPTION_MAX),
            "title_cy": ("data-max-chars", lambda: topics.TITLE_MAX),  # the Welsh version: the same limits
            "description_cy": ("data-max-chars", lambda: topics.DESCRIPTION_MAX),
        },
    ),
    (
        "/topics/housing/new",
        "resident",
        {"title": ("data-max-chars", policy_title), "body": ("data-max-chars", thread_body)},
    ),
    ("/threads/{thread}", "resident2", {"body": ("data-max-chars", reply_body)}),
    (
        "/threads/{thread}/edit",
        "resident",
        {"title": ("data-max-chars", policy_title), "body": ("data-max-chars", thread_body)},
    ),
    ("/replies/{reply}/edit", "resident2", {"body": ("data-max-chars", reply_body)}),
    ("/search", None, {"q": ("data-max-chars", lambda: search.QUERY_MAX)}),
    (
        "/sessions/new",
        "admin",
        {
            "title": ("data-max-chars", policy_title),
            "description": ("data-max-chars", lambda: live_sessions.DESCRIPTION_MAX),
            "title_cy": ("data-max-chars", policy_title),
            "description_cy": ("data-max-chars", lambda: live_sessions.DESCRIPTION_MAX),
            "stream_url": ("maxlength", lambda: live_sessions.STREAM_URL_MAX),
        },
    ),
    (
        "/sessions/{live}",
        "admin",
        {
            "question-body": QUESTION,
            "chat-body": CHAT,
            "announcement-body": ("data-max-chars", lambda: live_chat.ANNOUNCEMENT_MAX),
            "*-answer-N": LIVE_ANSWER,  # the host answers too
            "*-note-N": DECISION_NOTE,  # reject
            "*-text-N": QUESTION,  # correct
            "*-fixnote-N": DECISION_NOTE,
        },
    ),
    (
        "/sessions/{live}",
        "councillor",
        {"question-body": QUESTION, "chat-body": CHAT, "*-answer-N": LIVE_ANSWER},
    ),
    ("/flag/question/{question}", "resident3", {"note": ("data-max-chars", moderation_flags.note_max)}),
    (
        "/moderation/items/{item}",
        "moderator",
        {"note": DECISION_NOTE, "sanction_note": ("data-max-chars", lambda: moderation_sanctions.NOTE_MAX)},
    ),
    ("/moderation/", "moderator", {"note": DECISION_NOTE}),
    ("/moderation/appeals/{appeal}", "admin", {"appeal-note": DECISION_NOTE}),
    ("/notices", "resident2", {"statement-N": ("data-max-chars", appeal_statement)}),
    (
        "/answers",
        "councillor",
        {
            "answer-N": ("data-max-chars", lambda: accountability.ANSWER_MAX),
            "answer_cy-N": ("data-max-chars", lambda: accountability.ANSWER_MAX),
            "note-N": ("data-max-chars", lambda: accountability.NOTE_MAX),  # transfer
            "referred_to-N": ("data-max-chars", lambda: accountability.TO_MAX),
            "referral_note-N": ("data-max-chars", lambda: accountability.NOTE_MAX),
        },
    ),
    ("/moderation/settings", "admin", {"term-N": ("data-max-chars", lambda: moderation_settings.TERM_MAX)}),
    ("/moderation/audit", "admin", {"target": ("maxlength", lambda: moderation_audit.TARGET_MAX)}),
    ("/admin/", "admin", {"q": ("maxlength", lambda: roles.MEMBER_QUERY_MAX)}),
    ("/admin/accountability", "admin", {"name": ("maxlength", lambda: bank_holidays.NAME_MAX)}),
    (
        "/sessions/{ended}/outcome",
        "admin",
        {
            "heard": ("data-max-chars", lambda: outcomes.TEXT_MAX),
            "will_happen": ("data-max-chars", lambda: outcomes.TEXT_MAX),
            "heard_cy": ("data-max-chars", lambda: outcomes.TEXT_MAX),
            "will_happen_cy": ("data-max-chars", lambda: outcomes.TEXT_MAX),
            "note": ("data-max-chars", lambda: outcomes.NOTE_MAX),
        },
    ),
]

LIMIT_ATTRIBUTE = re.compile(r"^(maxlength|data-max-chars(-[a-z-]+)?)$")


class Limits(HTMLParser):
    """Each element that states a limit: its id (as FIELDS writes it) -> {attribute: value}."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        stated = {name: value for name, value in attrs if LIMIT_ATTRIBUTE.match(name)}
        if stated:
            key = re.sub(r"\d+", "N", dict(attrs).get("id") or f"<{tag} name={dict(attrs).get('name')}>")
            key = re.sub(r"^[a-z]+-(answer|note|text|fixnote)-N$", r"*-\1-N", key)
            self.found.setdefault(key, {}).update(stated)


@pytest.fixture
def world(app, people, schedule, topic):
    """A thread with a flagged reply, an ended session with an outcome, a live room with a held and a shown question."""
    posted = forums.start_thread(people["resident"], topic.slug, "Bins are not collected", "Three weeks now.")
    reply = forums.post_reply(people["resident2"], posted.item.id, "Same on our street.").item
    ended = schedule(start=True)
    waiting = live_questions.ask(people["resident3"], ended.id, "Can the bus shelter on Mill Road be repaired?")
    live_questions.approve(people["moderator"], waiting.id)
    live_sessions.end(people["admin"], ended.id)  # the question now waits for a written answer
    outcomes.publish(
        people["admin"],
        outcomes.OutcomeForm(heard="Residents want the library open.", will_happen="We will reopen it.", due_on=""),
        session_id=ended.id,
    )
    room = schedule(start=True, premoderate=True)
    held = live_questions.ask(people["resident"], room.id, "When will the library reopen?")
    shown = live_questions.ask(people["resident2"], room.id, "Who repairs the park benches?")
    live_questions.approve(people["moderator"], shown.id)
    live_questions.answering(people["councillor"], shown.id)  # the panel's written answer form shows
    spam = forums.post_reply(people["resident2"], posted.item.id, "Buy cheap watches here.").item
    moderation_flags.raise_flag(people["resident3"], "reply", spam.id, "spam", "")
    removed = db.session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc())).first()
    moderation_decisions.decide(people["moderator"], removed.id, "remove", "spam", "")  # its author may appeal
    appealed = forums.post_reply(people["resident"], posted.item.id, "Cheap watches, again.").item
    moderation_flags.raise_flag(people["resident3"], "reply", appealed.id, "spam", "")
    flagged = db.session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc())).first()
    decision = moderation_decisions.decide(people["moderator"], flagged.id, "remove", "spam", "")
    appeal = moderation_appeals.file(people["resident"], decision_id=decision.id, statement="It was a real offer.")
    moderation_flags.raise_flag(people["resident3"], "reply", reply.id, "spam", "")
    item = db.session.scalars(select(ReviewItem).order_by(ReviewItem.id.desc())).first()
    reset_state = tokens.fingerprint(people["resident3"].password_hash, people["resident3"].credentials_version)
    return {
        "thread": posted.item.id,
        "reply": reply.id,
        "ended": ended.id,
        "live": room.id,
        "question": shown.id,
        "held": held.id,
        "item": item.id,
        "appeal": appeal.id,
        "reset": tokens.make("reset", people["resident3"].id, reset_state),
    }


@pytest.fixture
def as_role(app, people):
    clients = {}

    def make(role):
        if role not in clients:
            client = app.test_client()
            if role is not None:
                sent = {"email": people[role].email, "password": PASSWORD}
                assert client.post("/login", data=sent).status_code == 302
            clients[role] = client
        return clients[role]

    return make


def stated(client, path: str) -> dict[str, dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    parser = Limits()
    parser.feed(response.get_data(as_text=True))
    return parser.found


@pytest.mark.parametrize(("page", "role", "fields"), FIELDS, ids=[f"{page} as {role}" for page, role, _ in FIELDS])
def test_each_field_states_its_services_limit(page, role, fields, world, as_role):
    found = stated(as_role(role), page.format(**world))
    expected = {
        key: {attribute: str(limit()) for attribute, limit in (wanted if isinstance(wanted, list) else [wanted])}
        for key, wanted in fields.items()
    }
    assert found == expected, "the page's limits (left) are not the services' (right)"


def test_a_changed_policy_moves_every_way_in_at_once(app, world, as_role, monkeypatch):
    """The question and chat limits are moderation settings: the form, the room's data attributes, the
    socket guard and the service all read the one definition (the socket once held a copy of the default,
    and refused a longer question the settings allowed)."""
    from debate.extensions import socketio

    policy = publishing.policy()
    changed = dataclasses.replace(
        policy, limits=dataclasses.replace(policy.limits, question=700, chat_message=650, display_name=40)
    )
    monkeypatch.setattr(publishing, "_policy_provider", lambda: changed)
    room = stated(as_role("resident"), f"/sessions/{world['live']}")
    assert room["question-body"]["data-max-chars"] == "700"
    assert room["chat-body"]["data-max-chars"] == "650"
    assert stated(as_role(None), "/register")["display_name"]["data-max-chars"] == "40"
    browser = as_role("resident")
    tc = socketio.test_client(app, flask_test_client=browser)
    try:
        ack = tc.emit("live:ask", {"session_id": world["live"], "body": "x" * 701}, callback=True)
        assert ack["ok"] is False and "the limit is 700" in ack["error"]["message"], ack
        ack = tc.emit("live:ask", {"session_id": world["live"], "body": "Why? " + "z" * 695}, callback=True)
        assert ack["ok"] is True, ack
        ack = tc.emit("live:chat", {"session_id": world["live"], "body": "y" * 650}, callback=True)
        assert ack["ok"] is True, ack
    finally:
        tc.disconnect()
    form = browser.post(f"/sessions/{world['live']}/questions", data={"body": "w" * 701})
    assert form.status_code == 400 and "the limit is 700" in form.get_data(as_text=True)


def test_the_take_page_states_the_skip_notes_limit(world, as_role, people):
    """Pinning a question out of the published order without a reason shows the take page, with its note field."""
    asked = []
    for n, who in enumerate(("resident", "resident3")):
        question = live_questions.ask(people[who], world["live"], f"Question {n}: when is the next meeting?")
        live_questions.approve(people["moderator"], question.id)
        asked.append(question.id)
    response = as_role("admin").post(f"/sessions/{world['live']}/questions/{asked[-1]}/pin", data={})
    assert response.status_code == 400, response.status_code
    parser = Limits()
    parser.feed(response.get_data(as_text=True))
    assert parser.found == {"take-note": {"maxlength": str(live_skips.NOTE_MAX)}}
