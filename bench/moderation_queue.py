"""How fast is the moderators' review queue with many items, and what does moderation add to each post?

Builds, in a temporary SQLite database made by the migrations, a thread with
N flagged replies by M authors (each item open in the queue), then:

* requests the queue page and its live list fragment through the app (the
  whole Flask request), printing the median latency and the number of SQL
  queries;
* times `publishing.screen` (the engine plus moderation's policy lookup and
  standing hook) for one reply, and counts its queries;
* times one flag and one decision through the services.

    .venv/bin/python bench/moderation_queue.py [--items 200] [--authors 40] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(app, items: int, authors: int) -> None:
    from sqlalchemy import insert

    import moderation
    from debate.extensions import db
    from debate.models import Reply, Role, Thread, Topic, User
    from debate.models.base import utcnow
    from debate.models.moderation import Flag, ReviewItem
    from debate.services.accounts import credentials as accounts

    now = utcnow()
    password = accounts.hash_password("bench password 123")
    people = [
        User(display_name=f"Author {n}", email=f"a{n}@example.org", password_hash=password, email_verified_at=now)
        for n in range(authors)
    ]
    people.append(
        User(
            display_name="Mod",
            email="mod@example.org",
            password_hash=password,
            role=Role.MODERATOR.value,
            email_verified_at=now,
        )
    )
    db.session.add_all(people)
    topic = Topic(slug="t", title="Topic", description="")
    db.session.add(topic)
    db.session.flush()
    thread = Thread(topic_id=topic.id, author_id=people[0].id, title="A thread", body="Body")
    db.session.add(thread)
    db.session.flush()
    rows = [
        {
            "thread_id": thread.id,
            "author_id": people[n % authors].id,
            "body": f"Reply number {n} " * 5,
            "state": "published",
            "fingerprint": "",
            "created_at": now - timedelta(days=1),
        }
        for n in range(items)
    ]
    db.session.execute(insert(Reply), rows)
    reply_ids = db.session.scalars(db.select(Reply.id).order_by(Reply.id)).all()
    db.session.execute(
        insert(ReviewItem),
        [
            {
                "content_type": "reply",
                "content_id": rid,
                "author_id": people[n % authors].id,
                "context_kind": "forum",
                "context_id": f"thread:{thread.id}",
                "context_label": "Reply in “A thread”",
                "live": False,
                "cause": "flagged",
                "flag_weight": 1.0,
                "reasons": [],
                "status": "open",
                "created_at": now,
                "queued_at": now,
                "updated_at": now,
            }
            for n, rid in enumerate(reply_ids)
        ],
    )
    item_ids = db.session.scalars(db.select(ReviewItem.id)).all()
    db.session.execute(
        insert(Flag),
        [
            {
                "review_item_id": iid,
                "flagger_id": people[(n + 1) % authors].id,
                "category": "spam",
                "note": "",
                "weight": 1.0,
                "created_at": now,
            }
            for n, iid in enumerate(item_ids)
        ],
    )
    db.session.commit()
    assert moderation  # the engine is what the app calls


def timed(engine, fn, runs: int) -> tuple[float, int]:
    """Median milliseconds over `runs`, and SQL statements in one run."""
    from sqlalchemy import event

    count = [0]

    def before(*_):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    fn()
    queries = count[0]
    event.remove(engine, "before_cursor_execute", before)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--authors", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.update(
        {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench", "RATELIMIT_ENABLED": "0"}
    )

    from flask_migrate import upgrade

    import moderation
    from debate import broadcast, create_app
    from debate.extensions import db
    from debate.models import User
    from debate.services import publishing
    from debate.services.moderation import decisions as moderation_decisions
    from debate.services.moderation import flags as moderation_flags

    app = create_app({"WTF_CSRF_ENABLED": False})
    broadcast.use(lambda *a: None)
    with app.app_context():
        upgrade(revision="heads")
        build(app, args.items, args.authors)
        moderator = db.session.scalar(db.select(User).where(User.email == "mod@example.org"))
        author = db.session.scalar(db.select(User).where(User.email == "a0@example.org"))
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"email": "mod@example.org", "password": "bench password 123"})
    print(f"queue of {args.items} open items by {args.authors} authors, SQLite, median of {args.runs}:")
    for path in ("/moderation/", "/moderation/queue/list"):
        ms, queries = timed(engine, lambda p=path: client.get(p), args.runs)
        print(f"  GET {path:<24} {ms:8.1f} ms  {queries:5d} SQL statements")
    with app.app_context():
        author = db.session.get(User, author.id)
        ms, queries = timed(
            engine,
            lambda: publishing.screen(
                author, moderation.ContentKind.REPLY, "A perfectly ordinary reply about the bus depot."
            ),
            args.runs,
        )
        print(f"  publishing.screen (one reply)  {ms:8.2f} ms  {queries:5d} SQL statements")
        flagger = db.session.get(User, author.id + 1)
        reply_id = args.items  # flagged by someone else already; this flagger has not
        start = time.perf_counter()
        moderation_flags.raise_flag(flagger, "reply", reply_id, "abuse_harassment", "")
        print(f"  one flag (service, commit)      {(time.perf_counter() - start) * 1000:8.1f} ms")
        moderator = db.session.get(User, moderator.id)
        start = time.perf_counter()
        moderation_decisions.decide(moderator, 1, "hide", "spam", "")
        print(f"  one decision (service, commit)  {(time.perf_counter() - start) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
