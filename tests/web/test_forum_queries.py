"""No N+1: the SQL queries for a page of replies do not grow with the page size (10 vs 50)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import event, insert

from debate.extensions import db
from debate.models import Reply, Role
from debate.models.base import utcnow
from debate.services.forums import posts as forums
from debate.services.forums import votes
from debate.services.forums.posts import recount

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def big_thread(make_user, topic):
    """A thread with 300 replies from 20 authors (some verified representatives), quotes, stances, votes."""
    authors = [make_user(Role.REPRESENTATIVE if n % 5 == 0 else Role.RESIDENT) for n in range(20)]
    thread = forums.start_thread(authors[0], "housing", "A long debate", "Let us talk.").item
    rng, now = random.Random(4), utcnow()
    rows = [
        {
            "thread_id": thread.id,
            "author_id": authors[n % 20].id,
            "body": f"Reply {n} with **bold** and a [link](https://example.org/{n})",
            "stance": rng.choice(["for", "against", "neutral", "question", None]),
            "helpful_count": 0,
            "state": "hidden" if n % 37 == 0 else "published",
            "fingerprint": f"fp{n}",
            "created_at": now,
        }
        for n in range(300)
    ]
    db.session.execute(insert(Reply), rows)
    first = db.session.query(Reply).order_by(Reply.id).first()
    for reply in db.session.query(Reply).filter(Reply.id % 3 == 0):
        reply.quote_of_id = first.id
    recount(thread)
    db.session.commit()
    return thread, authors


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args) -> None:
        self.statements.append(statement)


def count_queries(client, url: str) -> tuple[int, list[str]]:
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(counter.statements), counter.statements


@pytest.mark.parametrize("sort", ["oldest", "newest", "helpful"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["reader", "member"])
def test_queries_per_page_do_not_grow_with_page_size(client, login, make_user, big_thread, sort, signed_in):
    thread, authors = big_thread
    if signed_in:
        voter = make_user()
        votes.set_helpful(voter, db.session.query(Reply).order_by(Reply.id.desc()).first().id, True)
        login(voter)
    small, small_sql = count_queries(client, f"/threads/{thread.id}?sort={sort}&per_page=10&page=2")
    large, large_sql = count_queries(client, f"/threads/{thread.id}?sort={sort}&per_page=50&page=2")
    assert small == large, "\n".join(large_sql)
    assert large <= (14 if signed_in else 8), "\n".join(large_sql)


def test_api_queries_do_not_grow_with_page_size(client, big_thread):
    thread, _ = big_thread
    small, _ = count_queries(client, f"/api/v1/threads/{thread.id}?per_page=10")
    large, sql = count_queries(client, f"/api/v1/threads/{thread.id}?per_page=50")
    assert small == large, "\n".join(sql)


def test_topic_list_and_home_queries_are_constant(client, make_user, topic, big_thread):
    for n in range(5):
        forums.start_thread(make_user(), "housing", f"Another thread {n}", "Body")
    few, _ = count_queries(client, "/topics/housing")
    for n in range(10):
        forums.start_thread(make_user(), "housing", f"Yet another thread {n}", "Body")
    many, sql = count_queries(client, "/topics/housing")
    assert few == many, "\n".join(sql)
