"""Departures from the room's published order are logged with their reason; taking up a question says what
became of the one being answered.

The rule the room publishes: next comes the question pinned "next up", else
the top of the fair order (most votes, ties to the older question). Taking
up or pinning another question needs a reason, given the same way by the
no-JavaScript forms and the socket events (one service): each departure
leaves exactly one `out_of_order` entry in the moderation audit log, and the
room, the transcript and the exports say why. Picks in order leave none.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from debate.errors import ValidationError
from debate.extensions import db, socketio
from debate.models.live import SessionQuestion
from debate.models.moderation import AuditEntry
from debate.services.live import events as live_events
from debate.services.live import export as live_export
from debate.services.live import questions as live_questions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def as_user(app):
    def make(user):
        browser = app.test_client()
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return browser

    return make


def entries(action: str = "out_of_order") -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def fresh(question: SessionQuestion) -> SessionQuestion:
    db.session.expire_all()
    return db.session.get(SessionQuestion, question.id)


@pytest.fixture
def room(live, people):
    """Three shown questions: `top` (2 votes), `second` (1 vote), `last` (none), by three askers."""
    asked = {}
    for key, who, voters in (
        ("top", "resident", ("resident2", "resident3")),
        ("second", "resident2", ("resident",)),
        ("last", "resident3", ()),
    ):
        question = live_questions.ask(people[who], live.id, f"The {key} question about the bus depot?")
        live_questions.approve(people["moderator"], question.id)
        for voter in voters:
            live_questions.set_vote(people[voter], question.id, True)
        asked[key] = question
    return asked


class Channel:
    """The same action by the service, the no-JavaScript form, or the socket event: they must agree."""

    def __init__(self, kind: str, app, people, live, sign_in):
        self.kind, self.app, self.people, self.live, self.sign_in = kind, app, people, live, sign_in
        self.browsers: dict[str, object] = {}
        self.sockets: dict[str, object] = {}

    def _browser(self, who: str):
        if who not in self.browsers:
            self.browsers[who] = self.sign_in(self.people[who])
        return self.browsers[who]

    def _socket(self, who: str):
        if who not in self.sockets:
            self.sockets[who] = socketio.test_client(self.app, flask_test_client=self._browser(who))
        return self.sockets[who]

    def answering(self, who: str, question, **given) -> str | None:
        """None when done; else the field the refusal names."""
        if self.kind == "service":
            try:
                live_questions.answering(self.people[who], question.id, **given)
            except ValidationError as exc:
                db.session.rollback()
                return exc.field
            return None
        if self.kind == "form":
            url = f"/sessions/{self.live.id}/questions/{question.id}/answering"
            return self._form(self._browser(who).post(url, data=given))
        return self._ack(self._socket(who).emit("live:answering", {"question_id": question.id, **given}, callback=True))

    def pin(self, who: str, question, **given) -> str | None:
        if self.kind == "service":
            try:
                live_questions.pin(self.people[who], question.id, True, **given)
            except ValidationError as exc:
                db.session.rollback()
                return exc.field
            return None
        if self.kind == "form":
            url = f"/sessions/{self.live.id}/questions/{question.id}/pin"
            return self._form(self._browser(who).post(url, data={"action": "pin", **given}))
        payload = {"question_id": question.id, "pinned": True, **given}
        return self._ack(self._socket(who).emit("live:pin", payload, callback=True))

    @staticmethod
    def _form(response) -> str | None:
        db.session.expire_all()  # the request changed the rows in its own session
        if response.status_code == 302:
            return None
        page = response.get_data(as_text=True)
        assert response.status_code == 400, page[:300]
        return re.search(r'data-asks="(\w+)"', page).group(1)  # the page that asks for what is missing

    @staticmethod
    def _ack(ack) -> str | None:
        db.session.expire_all()
        if ack["ok"]:
            return None
        assert ack["error"]["code"] == "invalid", ack
        return ack["error"]["field"]

    def close(self):
        for tc in self.sockets.values():
            if tc.is_connected():
                tc.disconnect()
            type(tc).clients.pop(tc.eio_sid, None)


@pytest.fixture(params=["service", "form", "socket"])
def channel(request, app, people, live, as_user):
    made = Channel(request.param, app, people, live, as_user)
    yield made
    made.close()


def test_picks_in_the_published_order_leave_no_entry(channel, room):
    assert channel.answering("councillor", room["top"]) is None
    live_questions.answer(channel.people["councillor"], room["top"].id)
    assert channel.pin("moderator", room["second"]) is None  # the top of the fair order now
    assert channel.answering("councillor", room["second"]) is None  # the pinned one comes next
    assert entries() == [] and entries("put_back") == []
    assert all(fresh(q).out_of_order_reason is None for q in room.values())


def test_every_out_of_order_pick_and_pin_leaves_one_entry_with_its_reason(channel, room, people):
    # Without a reason: refused, nothing changed, nothing logged.
    assert channel.answering("councillor", room["last"]) == "reason"
    assert channel.pin("moderator", room["last"]) == "reason"
    assert channel.answering("councillor", room["last"], reason="other") == "note"  # "other" needs the note
    assert channel.answering("councillor", room["last"], reason="because") == "reason"
    assert fresh(room["last"]).status == "open" and fresh(room["last"]).pinned_at is None and entries() == []

    assert channel.pin("moderator", room["second"], reason="related", note="Both ask about the depot.") is None
    assert channel.answering("councillor", room["last"], reason="follow_up", note="") is None
    logged = entries()
    assert [(e.target_id, e.reason, e.note, e.actor_id) for e in logged] == [
        (f"question:{room['second'].id}", "related", "Both ask about the depot.", people["moderator"].id),
        (f"question:{room['last'].id}", "follow_up", "", people["councillor"].id),
    ]
    assert logged[0].before == {"next_in_order": f"question:{room['top'].id}"}
    assert logged[0].after == {"how": "pinned as next up"}
    assert logged[1].before == {"next_in_order": f"question:{room['second'].id}"}  # the pinned one was next
    assert logged[1].after == {"how": "taken up"}
    # Taking up the pinned question is in order: no third entry; the question being answered was answered.
    assert channel.answering("councillor", room["second"], previous="answered") is None
    assert len(entries()) == 2
    assert fresh(room["last"]).status == "answered" and fresh(room["last"]).answered_live

    shown = live_events.question_data(fresh(room["last"]))["out_of_order"]
    assert shown == {"reason": "follow_up", "label": "it follows on from the answer just given", "note": ""}


def test_taking_up_a_question_says_what_became_of_the_one_being_answered(channel, room, people):
    assert channel.answering("councillor", room["top"]) is None
    assert channel.answering("councillor", room["second"]) == "previous"  # never silently put back
    assert channel.answering("councillor", room["second"], previous="maybe") == "previous"
    assert fresh(room["top"]).status == "answering"
    assert channel.answering("councillor", room["second"], previous="put_back", reason="time") is None
    top = fresh(room["top"])
    assert top.status == "open" and top.taken_at is not None  # "Taken up, then put back"
    [back] = entries("put_back")
    assert (back.target_id, back.actor_id) == (f"question:{room['top'].id}", people["councillor"].id)
    assert back.after == {"status": "open", "because": f"question:{room['second'].id} taken up"}
    # With the top question being answered, the second was next: no departure (the reason is not needed).
    # Put back, the top question is next in order again; taking it, the one being answered was answered.
    assert channel.answering("councillor", room["top"], previous="answered") is None
    second = fresh(room["second"])
    assert second.status == "answered" and second.answered_by_id == people["councillor"].id
    assert len(entries("put_back")) == 1 and entries() == []


def test_unpinning_before_it_is_taken_up_forgets_the_reason(live, room, people):
    live_questions.pin(people["moderator"], room["last"].id, True, reason="panel")
    assert fresh(room["last"]).out_of_order_reason == "panel"
    live_questions.pin(people["moderator"], room["second"].id, True, reason="related")  # replaces the pin
    assert fresh(room["last"]).out_of_order_reason is None and fresh(room["last"]).pinned_at is None
    live_questions.pin(people["moderator"], room["second"].id, False)
    assert fresh(room["second"]).out_of_order_reason is None
    assert len(entries()) == 2  # the log keeps both pins


def test_the_room_the_transcript_and_the_exports_say_why(client, as_user, live, room, people):
    live_questions.answering(
        people["councillor"], room["last"].id, reason="agenda", note="The host opened with <b>this</b>."
    )
    why = "Taken ahead of the published order: it is on the agenda announced for the session."
    note = '<span dir="auto">“The host opened with &lt;b&gt;this&lt;/b&gt;.”</span>'
    for path in (f"/sessions/{live.id}", f"/sessions/{live.id}/transcript"):
        page = client.get(path).get_data(as_text=True)
        assert why in page and note in page, path
    assert "A question taken ahead of this order is marked with the reason, and logged." in client.get(
        f"/sessions/{live.id}"
    ).get_data(as_text=True)
    row = next(r for r in live_export.rows(live) if r["id"] == room["last"].id)
    assert row["out_of_order_reason"] == "it is on the agenda announced for the session"
    assert row["out_of_order_note"] == "The host opened with <b>this</b>."
    assert "out_of_order_reason" in live_export.to_csv(live).splitlines()[0]
    audit = as_user(people["moderator"]).get("/moderation/audit?action=out_of_order").get_data(as_text=True)
    assert f"question:{room['last'].id}" in audit and "The host opened with" in audit


def test_the_page_that_asks(as_user, live, room):
    """Without JavaScript (and where the socket is refused for want of a reason) the form lands on a page
    that asks what became of the question being answered and why this one goes ahead."""
    host = as_user(live.host)
    base = f"/sessions/{live.id}/questions"
    assert host.post(f"{base}/{room['top'].id}/answering").status_code == 302
    page = host.post(f"{base}/{room['last'].id}/answering")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Answer this question now?" in text
    assert "is being answered now. What became of it?" in text and 'name="previous" value="put_back"' in text
    assert "It is not next in the published order" in text and 'name="reason" value="follow_up"' in text
    assert "The second question about the bus depot?" in text  # next in order, once the top one is dealt with
    again = host.post(f"{base}/{room['last'].id}/answering", data={"previous": "answered", "reason": "other"})
    assert again.status_code == 400 and "Say in the note why" in again.get_data(as_text=True)
    assert 'value="answered" aria-describedby="take-previous-hint" checked' in again.get_data(as_text=True)
    done = host.post(
        f"{base}/{room['last'].id}/answering", data={"previous": "answered", "reason": "other", "note": "A guest."}
    )
    assert done.status_code == 302
    assert fresh(room["last"]).status == "answering" and len(entries()) == 1
