"""No page's SQL grows with the data: a room, a transcript, a record or a queue of 10 and of 100 take the same
number of statements (bench/http_pages.py measures the same pages with 100,000 replies and 1,000 questions)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, insert, select

from debate.extensions import db
from debate.models import QuestionVote, Reply, ReviewItem, Role, SessionQuestion, Thread, Topic
from debate.models.base import utcnow
from debate.services.live import sessions as live_sessions
from debate.services.moderation import queue as moderation_queue
from tests.conftest import PASSWORD
from tests.live.conftest import people, schedule  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.usefixtures("forum_policy")


def statements(client, url: str) -> list[str]:
    """The SQL one GET runs (after one GET that warms the process's caches)."""
    assert client.get(url).status_code == 200, url
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return seen


@pytest.fixture
def clients(app, people):  # noqa: F811 - the fixture imported above
    """A test client per role (signed in), and one for a visitor."""

    def signed_in(user):
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return {
        "anonymous": app.test_client(),
        "resident": signed_in(people["resident"]),
        "moderator": signed_in(people["moderator"]),
        "councillor": signed_in(people["councillor"]),
    }


@pytest.fixture
def askers(make_user):
    return [make_user(Role.RESIDENT) for _ in range(12)]


def add_questions(session_id: int, n: int, askers, people) -> None:  # noqa: F811 - a parameter, not the fixture
    """`n` approved questions from many askers (some anonymous), answered, answering, pinned and open; votes."""
    now, panel = utcnow(), [people["councillor"].id, people["councillor2"].id]
    start = db.session.scalar(select(db.func.count()).select_from(SessionQuestion)) or 0
    rows = []
    for i in range(start, start + n):
        status = "answered" if i % 7 == 0 else "answering" if i == start + 1 else "open"
        rows.append(
            {
                "session_id": session_id,
                "author_id": people["resident"].id if i % 5 == 0 else askers[i % len(askers)].id,
                "body": f"Question {i}: when will **the depot** reopen?",
                "state": "approved",
                "status": status,
                "vote_count": i % 4,
                "fingerprint": f"q{i}",
                "created_at": now,
                "anonymous": i % 3 == 0,
                "answered_live": status == "answered",
                "answered_at": now if status == "answered" else None,
                "answered_by_id": panel[i % 2] if status == "answered" else None,
                "taken_at": now if status != "open" else None,
                "pinned_at": now if i == start + 2 else None,
            }
        )
    db.session.execute(insert(SessionQuestion), rows)
    ids = db.session.scalars(
        select(SessionQuestion.id).where(SessionQuestion.session_id == session_id).order_by(SessionQuestion.id)
    ).all()
    voter = people["resident2"].id
    db.session.execute(insert(QuestionVote), [{"question_id": q, "user_id": voter} for q in ids[-n:][::2]])
    db.session.commit()


ROOM_PAGES = [
    ("", "resident"),
    ("?sort=new", "resident"),
    ("?sort=answered", "resident"),
    ("", "anonymous"),
    ("", "moderator"),
    ("/projector", "anonymous"),
    ("/transcript", "anonymous"),
]


@pytest.mark.parametrize(("suffix", "who"), ROOM_PAGES, ids=[f"{s or 'room'}-{w}" for s, w in ROOM_PAGES])
def test_live_pages_take_the_same_statements_for_10_and_110_questions(clients, schedule, askers, people, suffix, who):  # noqa: F811
    live = schedule(start=True)
    add_questions(live.id, 10, askers, people)
    few = statements(clients[who], f"/sessions/{live.id}{suffix}")
    add_questions(live.id, 100, askers, people)  # past the 50 a page lists, and with more askers' names
    many = statements(clients[who], f"/sessions/{live.id}{suffix}")
    assert len(few) == len(many), "\n".join(many)


def test_room_lists_50_and_offers_the_rest(clients, schedule, askers, people):  # noqa: F811
    live = schedule(start=True)
    add_questions(live.id, 110, askers, people)
    loaded: list[int] = []

    def on_load(question, _context) -> None:
        loaded.append(question.id)

    event.listen(SessionQuestion, "load", on_load)
    try:
        page = clients["resident"].get(f"/sessions/{live.id}?sort=new").get_data(as_text=True)
    finally:
        event.remove(SessionQuestion, "load", on_load)
    assert page.count('class="question"') == 50 and "Show 50 more questions" in page
    # Whole questions are loaded for what the page shows (the 50, answering now, next up, the asker's own): the
    # order is decided on a few columns of all 110.
    assert len(set(loaded)) <= 50 + 2 + 22, len(set(loaded))
    more = clients["resident"].get(f"/sessions/{live.id}?sort=new&shown=100").get_data(as_text=True)
    assert more.count('class="question"') == 100 and "(10 not listed yet)" in more
    moderator = clients["moderator"].get(f"/sessions/{live.id}").get_data(as_text=True)
    assert moderator.count('<datalist id="merge-targets">') == 1  # the merge choices once, not under each question
    targets = [q for q in db.session.scalars(select(SessionQuestion)) if q.status not in ("answered", "merged")]
    assert len(re.findall(r'<option value="\d+">#\d+: ', moderator)) == len(targets)


def test_ended_session_pages_and_records_take_the_same_statements(clients, schedule, askers, people):  # noqa: F811
    def ended_with(n: int) -> int:
        live = schedule(start=True)
        add_questions(live.id, n, askers, people)
        live_sessions.end(people["admin"], live.id)  # open questions now await written answers
        return live.id

    councillor = people["councillor"].id
    urls = {
        "room": lambda s: (f"/sessions/{s}", "anonymous"),
        "transcript": lambda s: (f"/sessions/{s}/transcript", "anonymous"),
        "council record": lambda s: ("/record", "anonymous"),
        "representative's record": lambda s: (f"/representatives/{councillor}/record", "anonymous"),
        "answers": lambda s: ("/answers", "councillor"),
        "my questions": lambda s: ("/questions/mine", "resident"),
    }

    def counts(session_id: int) -> dict[str, int]:
        return {
            name: len(statements(clients[who], url))
            for name, (url, who) in ((k, f(session_id)) for k, f in urls.items())
        }

    few = counts(ended_with(10))
    many = counts(ended_with(100))  # 60 more awaiting than one page of a record or of /answers lists
    assert few == many


def test_queue_of_replies_in_many_threads_takes_the_same_statements(clients, make_user, people):  # noqa: F811
    """Each reply's description names its thread: the threads are loaded together, not one per item."""
    authors = [make_user() for _ in range(6)]
    topic = Topic(slug="queue-topic", title="Queue topic", description="")
    db.session.add(topic)
    db.session.flush()
    now = utcnow()

    def flagged(n: int) -> None:
        for i in range(n):
            thread = Thread(topic_id=topic.id, author_id=authors[i % 6].id, title=f"Thread {i}", body="Body")
            db.session.add(thread)
            db.session.flush()
            reply = Reply(thread_id=thread.id, author_id=authors[i % 6].id, body=f"Reply {i}", fingerprint="")
            db.session.add(reply)
            db.session.flush()
            db.session.add(
                ReviewItem(
                    content_type="reply",
                    content_id=reply.id,
                    author_id=reply.author_id,
                    context_id=f"thread:{thread.id}",
                    cause="flagged",
                    flag_weight=1.0,
                    reasons=[],
                    queued_at=now,
                )
            )
        db.session.commit()

    flagged(2)
    few = statements(clients["moderator"], "/moderation/")
    flagged(12)
    many = statements(clients["moderator"], "/moderation/")
    assert len(few) == len(many), "\n".join(many)

    moderation_queue.QUEUE_LIMIT, limit = 5, moderation_queue.QUEUE_LIMIT
    try:
        page = clients["moderator"].get("/moderation/").get_data(as_text=True)
    finally:
        moderation_queue.QUEUE_LIMIT = limit
    assert "<strong>14</strong> items waiting for review" in page and page.count('class="queue-item') == 5
    assert "The first 5 by priority are listed" in page
