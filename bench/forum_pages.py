"""How fast is a thread page when the thread has 100,000 replies? And how many SQL queries does it take?

Builds a thread with N replies (default 100,000, bulk-inserted) in a temporary
SQLite database made by the migrations, then requests page 1, a middle page
and the last page through the app (the whole Flask request: queries, Markdown,
templates) in each sort order, and prints the median latency and the number
of SQL queries per page. Also times a reply's permalink (which counts the
replies before it) and a full-text search.

    .venv/bin/python bench/forum_pages.py [--replies 100000] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = (
    "housing rent council homes depot flood river bus routes jobs wages high street shops parking school "
    "doctor waiting lists immigration welcome neighbours library budget tax rates plan consultation"
).split()


def build(app, replies: int) -> int:
    """Users, a topic, a thread and `replies` replies; returns the thread id."""
    from sqlalchemy import insert

    from debate.extensions import db
    from debate.models import Reply, RepresentativeProfile, Role, Thread, Topic, User
    from debate.models.base import utcnow
    from debate.services.forums.posts import recount

    now = utcnow()
    users = [
        User(
            display_name=f"Member {n}",
            email=f"m{n}@bench.example",
            password_hash="!",  # noqa: S106 - an unusable hash: nobody signs in
            email_verified_at=now,
            role=(Role.REPRESENTATIVE if n % 10 == 0 else Role.RESIDENT).value,
        )
        for n in range(50)
    ]
    db.session.add_all(users)
    db.session.flush()
    for user in users[::10]:
        db.session.add(
            RepresentativeProfile(
                user_id=user.id, kind="councillor", title="Councillor", area="Riverside", verified_at=now
            )
        )
    topic = Topic(slug="housing", title="Housing", description="")
    db.session.add(topic)
    db.session.flush()
    thread = Thread(
        topic_id=topic.id,
        author_id=users[1].id,
        title="A very long debate",
        body="Let us talk.",
        fingerprint="x",
        last_activity_at=now,
    )
    db.session.add(thread)
    db.session.commit()
    rng = random.Random(1)
    started = time.perf_counter()
    chunk = 10_000
    for start in range(0, replies, chunk):
        rows = [
            {
                "thread_id": thread.id,
                "author_id": users[n % 50].id,
                "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 60)))
                + f"\n\n**Point {n}**: see [the plan](https://example.org/plan/{n}).",
                "stance": rng.choice(("for", "against", "neutral", "question", None)),
                "quote_of_id": (n // 2) + 1 if n % 7 == 0 and n else None,
                "helpful_count": rng.choice((0, 0, 0, 1, 2, 5)),
                "state": "hidden" if n % 101 == 0 else "published",
                "fingerprint": f"{n:032x}",
                "created_at": now,
            }
            for n in range(start, min(start + chunk, replies))
        ]
        db.session.execute(insert(Reply), rows)
    recount(thread)
    db.session.commit()
    print(f"inserted {replies:,} replies (with the search index) in {time.perf_counter() - started:.1f} s")
    return thread.id


def measure(client, engine, url: str, runs: int) -> tuple[float, int]:
    """Median milliseconds for a GET, and the SQL statements one request runs."""
    from sqlalchemy import event

    statements = []

    def count(*_args) -> None:
        statements.append(1)

    timings = []
    for run in range(runs + 2):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code in (200, 302), (url, response.status_code)
        if run >= 2:  # the first two warm caches
            timings.append(elapsed * 1000)
    return statistics.median(timings), len(statements)


def bench_app(database_url: str | None = None, directory: Path | None = None, **config):
    """A throwaway app, migrated: (directory, app).

    By default on a new SQLite file in a new temporary directory; `database_url`
    names another (an empty PostgreSQL database the caller created), with a small pool.
    """
    tmp = directory or Path(tempfile.mkdtemp(prefix="cg-bench-"))
    os.environ["SECRET_KEY"] = "bench"  # noqa: S105 - a throwaway app in a temporary directory
    from flask_migrate import upgrade

    from debate import create_app

    url = database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {} if url.startswith("sqlite") else {"pool_size": 2, "max_overflow": 2},
            "RATELIMIT_ENABLED": False,
            "SOCKETIO_ASYNC_MODE": "threading",
            **config,
        }
    )
    app.instance_path = str(tmp)
    with app.app_context():
        upgrade(revision="heads")
    return tmp, app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--per-page", type=int, default=20)
    args = parser.parse_args()

    tmp, app = bench_app()
    from debate.extensions import db

    with app.app_context():
        thread_id = build(app, args.replies)
        from debate.models import Thread

        thread = db.session.get(Thread, thread_id)
        pages = -(-thread.listed_count // args.per_page)
        last_reply = db.session.execute(db.text("select max(id) from replies")).scalar()
        engine = db.engine
    client = app.test_client()
    print(
        f"thread {thread_id}: {args.replies:,} replies, {pages:,} pages of {args.per_page}; "
        f"median of {args.runs} requests each (SQLite {__import__('sqlite3').sqlite_version})\n"
    )
    print(f"{'request':<44}{'median ms':>10}{'queries':>9}")
    for sort in ("oldest", "newest", "helpful"):
        for label, page in (("page 1", 1), ("middle page", pages // 2), ("last page", pages)):
            url = f"/threads/{thread_id}?sort={sort}&page={page}&per_page={args.per_page}"
            ms, queries = measure(client, engine, url, args.runs)
            print(f"{sort + ', ' + label + f' ({page:,})':<44}{ms:>10.1f}{queries:>9}")
    for per_page in (10, 50, 100):
        ms, queries = measure(client, engine, f"/threads/{thread_id}?page=2&per_page={per_page}", args.runs)
        print(f"{f'oldest, page 2, {per_page} per page':<44}{ms:>10.1f}{queries:>9}")
    for label, url in (
        ("JSON API, last page", f"/api/v1/threads/{thread_id}?page={pages}&per_page={args.per_page}"),
        ("permalink of the newest reply (redirect)", f"/replies/{last_reply}"),
        ("search 'flood river' (2 words, 100k docs)", "/search?q=flood+river"),
    ):
        ms, queries = measure(client, engine, url, args.runs)
        print(f"{label:<44}{ms:>10.1f}{queries:>9}")
    with engine.connect() as conn:
        sql = db.text("SELECT id FROM replies WHERE thread_id = :t AND state != 'held' ORDER BY id LIMIT :n OFFSET :o")
        started = time.perf_counter()
        for _ in range(args.runs):
            conn.execute(sql, {"t": thread_id, "n": args.per_page, "o": (pages - 1) * args.per_page}).all()
        ms = (time.perf_counter() - started) / args.runs * 1000
    print(f"\nof which the last page's id query (covering index, deepest OFFSET): {ms:.1f} ms")
    engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
