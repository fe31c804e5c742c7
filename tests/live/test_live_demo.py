"""The demo's live Q&A content: real states through the services, and loading it twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from debate.demo import live as live_demo
from debate.demo import seeding
from debate.extensions import db
from debate.models import User
from debate.models.base import utcnow
from debate.models.live import ChatMessage, LiveSession, QuestionVote, SessionEvent, SessionQuestion
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from debate.services.moderation import queue as moderation_queue


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def by_title(title: str) -> LiveSession:
    return db.session.scalar(select(LiveSession).where(LiveSession.title == title))


def test_demo_has_a_live_an_upcoming_and_a_past_session(app):
    created = seeding.load_demo(password_factory=lambda: "demo-password-123")
    assert len(created) == len(seeding.DEMO_USERS)  # the live demo adds no accounts that can sign in

    live = by_title(live_demo.LIVE_TITLE)
    assert live.state == LiveSession.LIVE and live.premoderate and live.allow_anonymous
    assert {u.user.email for u in live.panel} == {live_demo.COUNCILLOR, live_demo.MP}
    assert all(u.user.is_verified_representative for u in live.panel)
    questions = {
        q.body: q for q in db.session.scalars(select(SessionQuestion).where(SessionQuestion.session_id == live.id))
    }
    assert len(questions) == len(live_demo.LIVE_QUESTIONS) == 8

    def q(key):
        return questions[live_demo.LIVE_QUESTIONS[key][1]]

    assert q("repairs").status == "answered" and q("repairs").answer_body == live_demo.REPAIRS_ANSWER
    assert q("rent_cap").status == "answering"
    assert q("depot").pinned_at is not None and q("depot").status == "open"
    assert q("access").state == "held"
    assert moderation_queue.find("question", q("access").id).status == "open"
    assert q("cup").state == "removed" and "Off topic" in live_events.mine_data(q("cup"))["review"]
    assert q("eviction").anonymous and live_events.question_data(q("eviction"))["author"] == "Anonymous"
    for question in questions.values():
        votes = db.session.scalar(
            select(func.count()).select_from(QuestionVote).where(QuestionVote.question_id == question.id)
        )
        assert question.vote_count == votes
    assert q("rent_cap").vote_count == 6
    snap = live_events.snapshot(live)
    assert len(snap["chat"]) == 4 and len(snap["announcements"]) == 2
    assert snap["top"][0] == q("damp").id  # most votes among the open, unpinned questions
    assert snap["tally"] == {
        "asked": 8,
        "awaiting_review": 1,
        "rejected": 1,
        "hidden": 0,
        "withdrawn": 0,
        "merged": 0,
        "answered": 1,
        "open": 5,
        "awaiting_answer": 0,
    }
    # Every change is in the numbered log, with no gaps.
    seqs = list(db.session.scalars(select(SessionEvent.seq).where(SessionEvent.session_id == live.id)))
    assert sorted(seqs) == list(range(1, live.seq + 1))

    upcoming = by_title(live_demo.UPCOMING_TITLE)
    assert upcoming.state == LiveSession.SCHEDULED
    assert upcoming.order_rule == "broad" and live.order_rule == "votes"  # the demo offers both orders
    assert 6 * 86400 < (upcoming.starts_at - utcnow()).total_seconds() < 8 * 86400

    past = by_title(live_demo.PAST_TITLE)
    assert past.state == LiveSession.ENDED and past.ended_at < utcnow() and past.starts_at < utcnow()
    assert (utcnow() - past.ended_at).days >= 6
    transcript = live_questions.transcript(past)
    assert [t.status for t in transcript] == ["answered", "answered", "awaiting", "awaiting"]
    assert all(t.created_at < past.ended_at for t in transcript)
    assert live_sessions_listing_shows_all()


def live_sessions_listing_shows_all() -> bool:
    from debate.services.live import sessions as live_sessions

    listing = live_sessions.listing()
    return (
        [s.title for s in listing["live"]] == [live_demo.LIVE_TITLE]
        and [s.title for s in listing["upcoming"]] == [live_demo.UPCOMING_TITLE]
        and [s.title for s in listing["past"]] == [live_demo.PAST_TITLE]
    )


def test_loading_the_demo_twice_adds_nothing(app):
    assert seeding.load_demo(password_factory=lambda: "demo-password-123")
    counts = [count(m) for m in (User, LiveSession, SessionQuestion, QuestionVote, ChatMessage, SessionEvent)]
    assert seeding.load_demo(password_factory=lambda: "demo-password-123") == []
    assert live_demo.seed() is False  # the live part on its own is idempotent too
    assert [count(m) for m in (User, LiveSession, SessionQuestion, QuestionVote, ChatMessage, SessionEvent)] == counts


def test_live_demo_needs_the_demo_accounts(app):
    assert live_demo.seed() is False
    assert count(LiveSession) == 0


def test_the_demo_transcript_says_what_happened_to_each_question(app):
    """The demo's live room: the questions never taken up are listed as such, not as "taken up, then put back"."""
    seeding.load_demo(password_factory=lambda: "demo-password-123")
    live = by_title(live_demo.LIVE_TITLE)
    page = app.test_client().get(f"/sessions/{live.id}/transcript").get_data(as_text=True)
    never_taken = page.split('id="open-heading"', 1)[1]
    for key in ("damp", "eviction", "shops"):
        assert live_demo.LIVE_QUESTIONS[key][1] in never_taken
    assert "put back" not in page
