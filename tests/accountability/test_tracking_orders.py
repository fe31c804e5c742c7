"""Whatever order the host and the moderators act in, the record follows the room.

One rule says when a session's question "awaits a written answer"
(`live_events.awaits_written_answer`); every question the room and the
transcript say that of is on the record with a due date, on the panel's
/answers, on the asker's /questions/mine and counted on /record, and no other
question is. Each order of ending the session and approving, rejecting or
merging a held question is tried, through the room's forms and through the
review queue's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models.accountability import TrackedQuestion
from debate.models.live import SessionQuestion
from debate.models.moderation import ReviewItem
from debate.services.accountability import questions as accountability
from debate.services.live import events as live_events
from debate.services.live import pages as live_pages
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue
from tests.accountability.conftest import notifications_of

pytestmark = pytest.mark.usefixtures("forum_policy")

# What a moderator may do to a held question, in order; the host's "end" goes anywhere among them.
MODERATION = [(), ("approve",), ("reject",), ("merge",), ("approve", "reject"), ("approve", "merge")]
ORDERS = [steps[:at] + ("end",) + steps[at:] for steps in MODERATION for at in range(len(steps) + 1)]


def ok(response) -> None:
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]


def act(step: str, channel: str, clients: dict, live, question: SessionQuestion, target: SessionQuestion) -> None:
    """One step through the pages: the host's end form, the room's moderation forms or the queue's decide form."""
    base = f"/sessions/{live.id}"
    moderator = clients["moderator"]
    if step == "end":
        ok(clients["admin"].post(f"{base}/end"))
    elif step == "merge":  # a room-only action
        ok(moderator.post(f"{base}/questions/{question.id}/merge", data={"into_id": str(target.id)}))
    elif channel == "room":
        form = {"category": "off_topic"} if step == "reject" else {}
        ok(moderator.post(f"{base}/questions/{question.id}/{step}", data=form))
    else:
        if step == "reject" and moderation_queue.find("question", question.id).status != "open":
            # Approved already: it is back in the queue once someone flags it.
            ok(clients["resident2"].post(f"/flag/question/{question.id}", data={"reason": "off_topic"}))
        item = moderation_queue.find("question", question.id)
        decision = {"action": "approve"} if step == "approve" else {"action": "remove", "category": "off_topic"}
        ok(moderator.post(f"/moderation/items/{item.id}/decide", data=decision))
    db.session.expire_all()


def assert_record_follows_the_room(live, people) -> set[int]:
    """Every question the room says awaits a written answer is owed, due, listed and counted; nothing else is.

    Answered or awaiting questions the room shows are on the record; no other question is.
    """
    db.session.expire_all()
    room = live_pages.room(None, live.id)
    awaiting = {q.id for q in room.awaiting}
    assert {q.id for q in live_pages.transcript(live.id)["awaiting"]} == awaiting
    shown = live_events.public_questions(live.id)
    on_record = {q.id for q in shown if q.status in ("answered", "awaiting")}
    rows = list(db.session.scalars(select(TrackedQuestion).where(TrackedQuestion.session_id == live.id)))
    assert {t.session_question_id for t in rows} == on_record
    assert {t.session_question_id for t in rows if t.status == TrackedQuestion.AWAITING} == awaiting
    assert all(t.due_on is not None for t in rows if t.status == TrackedQuestion.AWAITING)
    for representative in (people["councillor"], people["councillor2"]):
        assert {t.session_question_id for t in accountability.outstanding(representative)} == awaiting
        assert accountability.record(representative.id).outstanding == len(awaiting)
    assert accountability.council_record().outstanding == len(awaiting)
    for question in shown:
        mine = {t.session_question_id for t in accountability.mine(question.author)}
        assert (question.id in mine) == (question.id in on_record)
    return awaiting


@pytest.mark.parametrize("channel", ["room", "queue"])
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_every_order_of_end_and_moderation(order, channel, as_user, people, live):
    target = live_questions.ask(people["resident2"], live.id, "Will the Mill Road bus shelter be repaired?")
    live_questions.approve(people["moderator"], target.id)
    question = live_questions.ask(people["resident"], live.id, "Why is the Northgate library shut on Sundays?")
    clients = {who: as_user(people[who]) for who in ("admin", "moderator", "resident2")}
    for step in order:
        act(step, channel, clients, live, question, target)

    awaiting = assert_record_follows_the_room(live, people)
    steps = [s for s in order if s != "end"]
    assert awaiting == ({target.id, question.id} if steps == ["approve"] else {target.id})
    # The panel hears of a question put to them after the session, and of one taken off their list again.
    after_end = order[order.index("end") + 1 :]
    added = "approve" in after_end
    removed = len(steps) == 2 and steps[1] in after_end
    told = [n.text for n in notifications_of(people["councillor"], accountability.FOR_YOU)]
    assert len(told) == added + removed, told


def test_held_at_the_end_and_approved_afterwards_is_owed_everywhere(client, as_user, people, live, clock):
    """The reported case, page by page: the room, the transcript, /answers, /questions/mine and /record."""
    question = live_questions.ask(people["resident"], live.id, "Why is the Northgate library shut on Sundays?")
    ok(as_user(people["admin"]).post(f"/sessions/{live.id}/end"))
    moment = clock.days(3)
    ok(as_user(people["moderator"]).post(f"/sessions/{live.id}/questions/{question.id}/approve"))

    tracked = accountability.for_session_question(question)
    assert tracked.tracked_at == moment
    assert tracked.due_on == accountability.due_date(accountability.local_date(moment))  # from the approval
    due = f"Due by {tracked.due_on:%a} {tracked.due_on.day} {tracked.due_on:%b %Y}"
    assert due in client.get(f"/sessions/{live.id}").get_data(as_text=True)
    assert "Why is the Northgate library shut" in client.get(f"/sessions/{live.id}/transcript").get_data(as_text=True)
    answers = as_user(people["councillor"]).get("/answers").get_data(as_text=True)
    assert "Why is the Northgate library shut on Sundays?" in answers
    mine = as_user(people["resident"]).get("/questions/mine").get_data(as_text=True)
    assert "Why is the Northgate library shut on Sundays?" in mine and "Awaiting a written answer" in mine
    assert accountability.council_record().outstanding == 1
    told = notifications_of(people["councillor2"], accountability.FOR_YOU)
    assert len(told) == 1 and tracked.due_on.strftime("%d %b %Y") in told[0].text


def test_leaving_the_room_after_the_end_leaves_the_record(people, live, clock):
    """Hidden after the session: nobody owes an answer to it and the record keeps no copy of its text; a
    moderator's correction reaches the record's copy; shown again, it is owed again, due from that day."""
    question = live_questions.ask(people["resident"], live.id, "My neighbour at 12 Mill Road is never in: why?")
    live_questions.approve(people["moderator"], question.id)
    live_sessions.end(people["admin"], live.id)
    live_questions.fix(people["moderator"], question.id, "Why are repairs on Mill Road slow?", "Took out an address.")
    assert accountability.for_session_question(question).text == "Why are repairs on Mill Road slow?"

    def decide(action: str, category: str | None = None) -> None:
        row = db.session.get(SessionQuestion, question.id)
        item = moderation_queue.enqueue("question", row, ReviewItem.FLAGGED)
        db.session.commit()
        moderation_decisions.decide(people["moderator"], item.id, action, category)

    decide("hide", "personal_information")
    assert assert_record_follows_the_room(live, people) == set()
    assert db.session.scalar(select(TrackedQuestion).where(TrackedQuestion.session_question_id == question.id)) is None
    moment = clock.days(2)
    decide("approve")
    assert assert_record_follows_the_room(live, people) == {question.id}
    assert accountability.for_session_question(question).tracked_at == moment
