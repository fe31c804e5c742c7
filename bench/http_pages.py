"""Page latency and SQL statements per page with a large dataset (issue 7: p95 under 50 ms, queries constant).

Builds, through the migrations, a council's worth of data (by default 10,000
threads, 100,000 replies with one thread of 20,000, 2,000 members, a live
session with 1,000 questions, an ended session whose questions await written
answers, notifications, an open review queue, decisions and audit entries),
bulk-inserted with SQLAlchemy Core executemany. Then for each main page:

* latency, p50 and p95 over `--runs` requests after warm-up, through a real
  server process (`python -m debate`: gevent, as production runs) over HTTP on
  127.0.0.1, one request at a time on a kept-alive connection
  (`--in-process` times the Flask test client instead);
* SQL statements per request, counted in-process with a SQLAlchemy
  `before_cursor_execute` listener, on a small dataset and on the full one,
  so "queries per page constant as data grows" is shown, not claimed.

    .venv/bin/python bench/http_pages.py [--quick] [--backend sqlite|postgresql|both] [--runs 30] [--reuse]

PostgreSQL databases are created (and dropped first) on the server of
`--postgres-url`: the full dataset in the database that URL names (`bench_http`
by default), the small one in the same name plus `_small`. `--reuse` keeps
them between runs: a database already holding a dataset of the same sizes
(recorded in a `bench_http_dataset` table when it was built) is migrated to the
current head and used as it is, which saves the ~2 minutes a full PostgreSQL
build takes while iterating on a page (the figures of a reused database are as
good as a fresh one's: the pages only read). SQLite files live in a temporary
directory removed at the end, so SQLite always builds. `report()` returns the Markdown section
that bench/run_all.py puts into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forum_pages import WORDS, bench_app  # noqa: E402 - after the path is set

TARGET_P95_MS = 50.0
# Bumped whenever what `build` makes changes, so `--reuse` rebuilds a database made by an older generator.
DATASET_REVISION = 2
PASSWORD = "bench password 123"  # noqa: S105 - throwaway accounts in a throwaway database
POSTGRES_URL = "postgresql+psycopg://127.0.0.1:5432/bench_http"
# WORDS is a vocabulary of 30 words, so any two of them match most posts: the worst case for ranking.
# Each post also gets, 40 % of the time, one of these rarer words (each then in about 1 % of posts).
RARE = (
    "allotments biodiversity cladding dentists ferries foodbanks greenbelt hedgerows incinerator junctions "
    "kerbside landlords leaseholders mooring nurseries overcrowding pensioners potholes quarry recycling "
    "refugees sewage skatepark solar speedbumps stations substations tenancy tram underpass vaping verges "
    "warmspaces wetlands wheelchair wildflowers youthclubs zebra crossings floodgates"
).split()
SEARCH_COMMON = "flood river"
SEARCH_RARE = "allotments"
TOPICS = ("housing", "immigration", "foreign-policy", "jobs", "transport", "climate", "health", "schools")


@dataclass(frozen=True)
class Sizes:
    threads: int
    replies: int
    big_thread: int  # replies in the biggest thread
    members: int
    questions: int  # approved questions in the live session
    ended_questions: int  # questions of the ended session (tracked: most await a written answer)
    notifications: int
    review_items: int  # open in the queue
    decisions: int  # decided review items (transparency), each with audit entries

    def line(self) -> str:
        return (
            f"{self.threads:,} threads, {self.replies:,} replies (biggest thread {self.big_thread:,}), "
            f"{self.members:,} members, live session with {self.questions:,} questions, ended session with "
            f"{self.ended_questions:,} tracked questions, {self.notifications:,} notifications, "
            f"{self.review_items:,} open review items, {self.decisions:,} decisions"
        )


FULL = Sizes(10_000, 100_000, 20_000, 2_000, 1_000, 300, 20_000, 200, 2_000)
QUICK = Sizes(1_000, 10_000, 2_000, 300, 300, 100, 2_000, 60, 300)
# The small dataset every count is compared with: every list on a page still has items.
SMALL = Sizes(200, 2_000, 400, 60, 60, 30, 400, 20, 40)
TINY = Sizes(40, 300, 80, 30, 30, 12, 60, 6, 10)
DATASETS = {"full": (SMALL, FULL), "quick": (TINY, QUICK), "tiny": (TINY, replace(TINY, threads=60, replies=400))}


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    who: str  # "anonymous", "resident", "councillor", "moderator"


# --- the dataset ------------------------------------------------------------------------------


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _people(sizes: Sizes) -> dict[str, int]:
    """Members (an admin, a moderator, 20 councillors, residents); the four who sign in get a real password."""
    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import RepresentativeProfile, Role, User
    from debate.models.base import utcnow
    from debate.services.accounts import credentials as accounts

    now = utcnow()
    real = accounts.hash_password(PASSWORD)
    special = {0: Role.ADMIN, 1: Role.MODERATOR}
    rows = []
    for n in range(sizes.members):
        role = special.get(n, Role.REPRESENTATIVE if 2 <= n < 22 else Role.RESIDENT)
        rows.append(
            {
                "display_name": f"Member {n}",
                "email": f"m{n}@bench.example",
                "password_hash": real if n in (0, 1, 2, 22) else "!",
                "email_verified_at": now,
                "role": role.value,
                "created_at": now - timedelta(days=400),
            }
        )
    db.session.execute(insert(User), rows)
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(
        insert(RepresentativeProfile),
        [
            {"user_id": ids[n], "kind": "councillor", "title": "Councillor", "area": f"Ward {n}", "verified_at": now}
            for n in range(2, min(22, len(ids)))
        ],
    )
    return {"admin": ids[0], "moderator": ids[1], "councillor": ids[2], "resident": ids[22], "all": ids}


def _forums(sizes: Sizes, people: dict, rng: random.Random) -> dict[str, int]:
    """Topics, threads across them, replies: one huge thread, a few big ones, most small."""
    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import Reply, Thread, Topic
    from debate.models.base import utcnow

    now = utcnow()
    db.session.execute(
        insert(Topic), [{"slug": s, "title": s.replace("-", " ").capitalize(), "description": ""} for s in TOPICS]
    )
    topic_ids = list(db.session.scalars(select(Topic.id).order_by(Topic.id)))
    members = people["all"]
    threads = [
        {
            "topic_id": topic_ids[n % len(topic_ids)],
            "author_id": members[(n * 7) % len(members)],
            "title": f"Thread {n}: " + _text(rng, 3, 8),
            "body": _text(rng, 20, 80),
            "fingerprint": f"t{n:031x}",
            "created_at": now - timedelta(minutes=sizes.threads - n),
            "last_activity_at": now - timedelta(minutes=sizes.threads - n),
        }
        for n in range(sizes.threads)
    ]
    for start in range(0, len(threads), 5_000):
        db.session.execute(insert(Thread), threads[start : start + 5_000])
    thread_ids = list(db.session.scalars(select(Thread.id).order_by(Thread.id)))
    big = thread_ids[0]
    owners = [big] * sizes.big_thread
    medium = max(1, sizes.big_thread // 10)
    for t in thread_ids[1:6]:
        owners += [t] * medium
    rest = thread_ids[6:] or thread_ids
    owners += [rng.choice(rest) for _ in range(max(0, sizes.replies - len(owners)))]
    owners = owners[: sizes.replies]
    for start in range(0, len(owners), 10_000):
        db.session.execute(
            insert(Reply),
            [
                {
                    "thread_id": t,
                    "author_id": members[(n * 13) % len(members)],
                    "body": _text(rng, 12, 60)
                    + (f" {rng.choice(RARE)}" if rng.random() < 0.4 else "")
                    + f"\n\n**Point {n}**: see [the plan](https://example.org/plan/{n}).",
                    "stance": rng.choice(("for", "against", "neutral", "question", None)),
                    "helpful_count": rng.choice((0, 0, 0, 1, 2, 5)),
                    "state": "hidden" if n % 101 == 0 else "published",
                    "fingerprint": f"r{n:031x}",
                    "created_at": now - timedelta(seconds=len(owners) - n),
                }
                for n, t in enumerate(owners[start : start + 10_000], start=start)
            ],
        )
    _recount_all()
    reply = db.session.scalar(select(Reply.id).where(Reply.thread_id == big, Reply.state == "published").limit(1))
    return {"big_thread": big, "reply": reply, "topic": TOPICS[0]}


def _recount_all() -> None:
    """Every thread's counters from its replies in one statement (services/forums.recount does one thread)."""
    from debate.extensions import db

    public = "('published', 'approved', 'edited')"
    count = "(SELECT count(*) FROM replies r WHERE r.thread_id = threads.id AND {})"
    stances = ", ".join(
        f"stance_{s} = " + count.format(f"r.state IN {public} AND r.stance = '{s}'")
        for s in ("for", "against", "neutral", "question")
    )
    replies, listed = count.format(f"r.state IN {public}"), count.format("r.state != 'held'")
    sql = f"UPDATE threads SET reply_count = {replies}, listed_count = {listed}, {stances}"  # noqa: S608 - constants
    db.session.execute(db.text(sql))


def _sessions(sizes: Sizes, people: dict, rng: random.Random) -> dict[str, int]:
    """A live session of approved questions with votes (some answered, one answering, one pinned, some held),
    and an ended one whose questions are tracked: most await a written answer, some were answered in writing."""
    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import (
        ChatMessage,
        LiveSession,
        QuestionAssignee,
        QuestionVote,
        SessionAnnouncement,
        SessionPanelist,
        SessionQuestion,
        TrackedQuestion,
    )
    from debate.models.base import utcnow

    now = utcnow()
    members, panel = people["all"], people["all"][2:5]
    sessions = [
        {"title": "Housing: ask your councillors", "state": "live", "starts": now - timedelta(minutes=30)},
        {"title": "Buses and jobs", "state": "ended", "starts": now - timedelta(days=10)},
        {"title": "Climate plan", "state": "scheduled", "starts": now + timedelta(days=7)},
    ]
    ids = []
    for s in sessions:
        live = LiveSession(
            title=s["title"],
            description="A session for the benchmark.",
            host_id=people["admin"],
            starts_at=s["starts"],
            ends_at=s["starts"] + timedelta(hours=2),
            state=s["state"],
            started_at=s["starts"] if s["state"] != "scheduled" else None,
            ended_at=s["starts"] + timedelta(hours=2) if s["state"] == "ended" else None,
            premoderate=True,
            allow_anonymous=True,
        )
        db.session.add(live)
        db.session.flush()
        ids.append(live.id)
        db.session.add_all(SessionPanelist(session_id=live.id, user_id=u) for u in panel)
    live_id, ended_id = ids[0], ids[1]
    askers = members[22:] or members
    held = max(2, sizes.questions // 50)

    TAKEN = ("answered", "answering")  # noqa: N806 - a constant of this function

    def question(n: int, session_id: int, status: str, state: str = "approved") -> dict:
        return {
            "session_id": session_id,
            "author_id": askers[(n * 3) % len(askers)] if n % 10 else people["resident"],
            "body": _text(rng, 8, 30) + "?",
            "state": state,
            "status": status,
            "vote_count": 0,
            "fingerprint": f"q{session_id}-{n}",
            "created_at": now - timedelta(minutes=30) + timedelta(seconds=n),
            "anonymous": n % 9 == 0,
            "answered_live": status == "answered",
            "answered_at": now - timedelta(minutes=20) + timedelta(seconds=n) if status == "answered" else None,
            # Taken up: the ones answered or being answered. Those left awaiting a written answer when the session
            # ended were never taken (a panel takes a few dozen questions in two hours, not 300).
            "taken_at": now - timedelta(minutes=25) + timedelta(seconds=n) if status in TAKEN else None,
            "answered_by_id": panel[n % len(panel)] if status == "answered" else None,
            "pinned_at": now if n == 30 else None,
        }

    answered = max(3, sizes.questions // 50)
    rows = [
        question(n, live_id, "answered" if n < answered else "answering" if n == answered else "open")
        for n in range(sizes.questions)
    ]
    rows += [question(sizes.questions + n, live_id, "open", "held") for n in range(held)]
    db.session.execute(insert(SessionQuestion), rows)
    qids = list(
        db.session.scalars(
            select(SessionQuestion.id).where(SessionQuestion.session_id == live_id, SessionQuestion.state == "approved")
        )
    )
    votes = {(rng.choice(qids), rng.choice(members)) for _ in range(sizes.questions * 5)}
    db.session.execute(insert(QuestionVote), [{"question_id": q, "user_id": u} for q, u in votes])
    db.session.execute(
        db.text(
            "UPDATE session_questions SET vote_count = "
            "(SELECT count(*) FROM question_votes v WHERE v.question_id = session_questions.id)"
        )
    )
    db.session.execute(
        insert(ChatMessage),
        [
            {
                "session_id": live_id,
                "author_id": members[(n * 17) % len(members)],
                "body": _text(rng, 4, 20),
                "state": "published",
                "fingerprint": f"c{n}",
                "created_at": now - timedelta(seconds=300 - n),
            }
            for n in range(min(300, sizes.questions))
        ],
    )
    db.session.execute(
        insert(SessionAnnouncement),
        [{"session_id": live_id, "author_id": people["admin"], "body": f"Announcement {n}"} for n in range(5)],
    )
    # The ended session: its questions went to the accountability list when it ended.
    ended = [
        question(n, ended_id, "awaiting" if n % 5 else "answered") | {"created_at": now - timedelta(days=10)}
        for n in range(sizes.ended_questions)
    ]
    db.session.execute(insert(SessionQuestion), ended)
    tracked = []
    for n, q in enumerate(
        db.session.execute(
            select(SessionQuestion.id, SessionQuestion.author_id, SessionQuestion.body, SessionQuestion.status)
            .where(SessionQuestion.session_id == ended_id)
            .order_by(SessionQuestion.id)
        )
    ):
        written = q.status == "awaiting" and n % 4 == 1
        tracked.append(
            {
                "source": "session",
                "source_key": f"session:{q.id}",
                "session_question_id": q.id,
                "session_id": ended_id,
                "asker_id": q.author_id,
                "anonymous": False,
                "text": q.body,
                "put_at": now - timedelta(days=10),
                "tracked_at": now - timedelta(days=10),
                "status": "answered" if q.status == "answered" or written else "awaiting",
                "how": "live" if q.status == "answered" else "written" if written else None,
                "due_on": (now + timedelta(days=18 - n % 30)).date() if q.status == "awaiting" else None,
                "answered_at": now - timedelta(days=n % 9) if q.status == "answered" or written else None,
                "answered_by_id": panel[n % len(panel)] if q.status == "answered" or written else None,
                "answer_body": _text(rng, 20, 60) if written else None,
                "created_at": now - timedelta(days=10),
            }
        )
    db.session.execute(insert(TrackedQuestion), tracked)
    tracked_ids = list(db.session.scalars(select(TrackedQuestion.id).where(TrackedQuestion.session_id == ended_id)))
    db.session.execute(insert(QuestionAssignee), [{"tracked_id": t, "user_id": u} for t in tracked_ids for u in panel])
    return {"live_session": live_id, "ended_session": ended_id}


def _moderation(sizes: Sizes, people: dict, rng: random.Random) -> None:
    """An open queue of flagged replies, decided items with decisions and audit entries, held live questions."""
    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import AuditEntry, Flag, ModerationDecision, Reply, ReviewItem
    from debate.models.base import utcnow

    now = utcnow()
    members = people["all"]
    replies = list(
        db.session.execute(
            select(Reply.id, Reply.author_id, Reply.thread_id)
            .order_by(Reply.id.desc())
            .limit(sizes.review_items + sizes.decisions)
        )
    )
    categories = ("spam", "abuse_harassment", "off_topic", "hate")
    items = [
        {
            "content_type": "reply",
            "content_id": r.id,
            "author_id": r.author_id,
            "context_kind": "forum",
            "context_id": f"thread:{r.thread_id}",
            "context_label": "Reply in a thread",
            "live": False,
            "cause": "flagged",
            "flag_weight": 1.0,
            "reasons": [],
            "status": "open" if n < sizes.review_items else "decided",
            "created_at": now - timedelta(days=n % 60),
            "queued_at": now - timedelta(days=n % 60),
            "updated_at": now,
        }
        for n, r in enumerate(replies)
    ]
    db.session.execute(insert(ReviewItem), items)
    item_ids = list(db.session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)))
    db.session.execute(
        insert(Flag),
        [
            {
                "review_item_id": item,
                "flagger_id": members[(n * 11) % len(members)],
                "category": categories[n % len(categories)],
                "note": "",
                "weight": 1.0,
                "created_at": now - timedelta(days=n % 60),
            }
            for n, item in enumerate(item_ids)
        ],
    )
    decided = item_ids[sizes.review_items :]
    db.session.execute(
        insert(ModerationDecision),
        [
            {
                "review_item_id": item,
                "subject_id": members[(n * 5) % len(members)],
                "moderator_id": people["moderator"],
                "action": "approve" if n % 3 else "hide",
                "category": None if n % 3 else categories[n % len(categories)],
                "note": "",
                "state_before": "published",
                "state_after": "published" if n % 3 else "hidden",
                "queued_at": now - timedelta(days=n % 60, hours=5),
                "decided_at": now - timedelta(days=n % 60),
            }
            for n, item in enumerate(decided)
        ],
    )
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "actor_id": people["moderator"],
                "action": "approve" if n % 3 else "hide",
                "target_type": "reply",
                "target_id": f"reply:{n}",
                "at": now - timedelta(days=n % 60),
                "reason": None,
                "note": "",
            }
            for n in range(sizes.decisions * 2)
        ],
    )


def _notifications(sizes: Sizes, people: dict, rng: random.Random) -> None:
    from sqlalchemy import insert

    from debate.extensions import db
    from debate.models import Notification
    from debate.models.base import utcnow

    now = utcnow()
    members = people["all"]
    kinds = ("reply_to_you", "followed_thread", "question_answered", "moderation")
    mine = max(10, sizes.notifications // 40)  # the signed-in resident gets a long list
    db.session.execute(
        insert(Notification),
        [
            {
                "user_id": people["resident"] if n < mine else rng.choice(members),
                "kind": kinds[n % len(kinds)],
                "subject": f"thread:{n % 500}",
                "text": f"Notification {n}: " + _text(rng, 5, 15),
                "link": f"/threads/{1 + n % 50}",
                "created_at": now - timedelta(minutes=n),
                "read_at": now if n % 3 else None,
            }
            for n in range(sizes.notifications)
        ],
    )


def build(sizes: Sizes, seed: int = 7) -> dict:
    """The whole dataset, committed; returns the ids the page URLs need."""
    from sqlalchemy import func, select

    from debate.extensions import db
    from debate.models import Thread

    rng = random.Random(seed)
    people = _people(sizes)
    ids = _forums(sizes, people, rng)
    ids |= _sessions(sizes, people, rng)
    _moderation(sizes, people, rng)
    _notifications(sizes, people, rng)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # As autovacuum leaves a table some time after a bulk load: statistics, and the visibility map that
        # lets the planner use index-only scans (without it a deep OFFSET sorts 20,000 heap rows).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM ANALYZE"))
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    big = db.session.get(Thread, ids["big_thread"])
    topic_threads = db.session.scalar(select(func.count()).select_from(Thread).where(Thread.topic_id == big.topic_id))
    from debate.services.forums import pages as forum_pages

    ids["thread_pages"] = max(1, -(-big.listed_count // forum_pages.PER_PAGE))
    ids["topic_pages"] = max(1, -(-topic_threads // forum_pages.THREADS_PER_PAGE))
    ids["councillor"] = people["councillor"]
    return ids


def pages(ids: dict) -> list[Page]:
    live, ended, big = ids["live_session"], ids["ended_session"], ids["big_thread"]
    return [
        Page("home", "/", "anonymous"),
        Page("topic, first page", f"/topics/{ids['topic']}", "anonymous"),
        Page("topic, last page", f"/topics/{ids['topic']}?page={ids['topic_pages']}", "anonymous"),
        Page("thread, first page", f"/threads/{big}", "anonymous"),
        Page("thread, last page (biggest thread)", f"/threads/{big}?page={ids['thread_pages']}", "anonymous"),
        Page("thread, last page, signed in", f"/threads/{big}?page={ids['thread_pages']}", "resident"),
        Page("search, a word in 1% of posts", f"/search?q={SEARCH_RARE}", "anonymous"),
        Page("search, 2 words in most posts", "/search?q=" + SEARCH_COMMON.replace(" ", "+"), "anonymous"),
        Page("API thread, last page", f"/api/v1/threads/{big}?page={ids['thread_pages']}", "anonymous"),
        Page("API reply", f"/api/v1/replies/{ids['reply']}", "anonymous"),
        Page("sessions list", "/sessions", "anonymous"),
        Page("live room, top", f"/sessions/{live}", "resident"),
        Page("live room, newest", f"/sessions/{live}?sort=new", "resident"),
        Page("live room, answered", f"/sessions/{live}?sort=answered", "resident"),
        Page("live room, top, anonymous", f"/sessions/{live}", "anonymous"),
        Page("live room, top, moderator", f"/sessions/{live}", "moderator"),
        Page("projector", f"/sessions/{live}/projector", "anonymous"),
        Page("transcript, live session", f"/sessions/{live}/transcript", "anonymous"),
        Page("ended session room", f"/sessions/{ended}", "anonymous"),
        Page("transcript, ended session", f"/sessions/{ended}/transcript", "anonymous"),
        Page("council record", "/record", "anonymous"),
        Page("representative's record", f"/representatives/{ids['councillor']}/record", "anonymous"),
        Page("/questions/mine", "/questions/mine", "resident"),
        Page("/answers, councillor", "/answers", "councillor"),
        Page("/notifications", "/notifications", "resident"),
        Page("moderation queue", "/moderation/", "moderator"),
        Page("/transparency", "/transparency", "anonymous"),
    ]


EMAILS = {"resident": "m22@bench.example", "councillor": "m2@bench.example", "moderator": "m1@bench.example"}


# --- the databases ----------------------------------------------------------------------------


def _fresh_postgres(url: str) -> None:
    """Drop and create the database named in `url` (the server's `postgres` database does the work)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=None)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    engine.dispose()


def _drop_postgres(url: str) -> None:
    """Drop the database named in `url` (the smoke test's own)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=None)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    engine.dispose()


@dataclass
class Built:
    app: object
    url: str
    ids: dict
    seconds: float
    reused: bool = False


def make(backend: str, sizes: Sizes, suffix: str, tmp: Path, postgres_url: str, reuse: bool = False) -> Built:
    """A migrated database filled with `sizes`, and an in-process app on it.

    PostgreSQL: the database `postgres_url` names plus `suffix`; with `reuse`, one built earlier with the
    same sizes is kept (migrated to the head) instead of dropped and rebuilt."""
    from sqlalchemy.engine import make_url

    if backend == "postgresql":
        target = make_url(postgres_url)
        url = target.set(database=target.database + suffix).render_as_string(hide_password=False)
        kept = _kept_ids(url, sizes) if reuse else None
        if kept is None:
            _fresh_postgres(url)
    else:
        url, kept = f"sqlite:///{tmp / ('bench_http' + suffix + '.sqlite')}", None
    started = time.perf_counter()
    _, app = bench_app(database_url=url, directory=tmp, WTF_CSRF_ENABLED=False)
    from debate.extensions import db

    with app.app_context():
        ids = kept if kept is not None else build(sizes)
        if kept is None and backend == "postgresql":
            _record_dataset(sizes, ids)
        db.session.remove()
    return Built(app, url, ids, time.perf_counter() - started, reused=kept is not None)


def _record_dataset(sizes: Sizes, ids: dict) -> None:
    """The sizes and page ids of a freshly built database, so `--reuse` can find it again."""
    import json

    from debate.extensions import db

    db.session.execute(db.text("CREATE TABLE bench_http_dataset (sizes text NOT NULL, ids text NOT NULL)"))
    db.session.execute(
        db.text("INSERT INTO bench_http_dataset (sizes, ids) VALUES (:sizes, :ids)"),
        {"sizes": _dataset_key(sizes), "ids": json.dumps(ids)},
    )
    db.session.commit()


def _kept_ids(url: str, sizes: Sizes) -> dict | None:
    """The page ids of a database an earlier run built with these sizes (None when there is none)."""
    import json

    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, poolclass=None)
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT sizes, ids FROM bench_http_dataset").first()
    except DBAPIError:  # no such database, or no record in it: build
        return None
    finally:
        engine.dispose()
    return json.loads(row.ids) if row is not None and row.sizes == _dataset_key(sizes) else None


def _dataset_key(sizes: Sizes) -> str:
    return f"{sizes.line()} (dataset revision {DATASET_REVISION})"


# --- counting and timing ----------------------------------------------------------------------


def _signed_in_client(app, who: str):
    client = app.test_client()
    if who != "anonymous":
        response = client.post("/login", data={"email": EMAILS[who], "password": PASSWORD})
        assert response.status_code == 302, f"{who} could not sign in ({response.status_code})"
    return client


def count_statements(built: Built, page_list: list[Page]) -> dict[str, int]:
    """SQL statements one request runs, per page (the second request: the first warms process caches)."""
    from sqlalchemy import event

    from debate.extensions import db

    clients = {who: _signed_in_client(built.app, who) for who in {p.who for p in page_list}}
    with built.app.app_context():
        engine = db.engine
    counts = {}
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    for page in page_list:
        statements.clear()
        _get(clients[page.who], page.path)
        event.listen(engine, "before_cursor_execute", count)
        try:
            _get(clients[page.who], page.path)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts[page.label] = len(statements)
    return counts


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")


def time_in_process(built: Built, page_list: list[Page], runs: int, warmup: int) -> tuple[dict, dict]:
    clients = {who: _signed_in_client(built.app, who) for who in {p.who for p in page_list}}
    gc.collect()
    gc.freeze()  # as `python -m debate` does after start-up, so in-process p95 is not the bench's own garbage
    samples, cpu = {}, {}
    for page in page_list:
        samples[page.label], cpu[page.label] = _cpu_per_request(
            lambda p=page: _samples(lambda: _get(clients[p.who], p.path), runs, warmup), None, runs + warmup
        )
    return samples, cpu


def _samples(fn, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m debate` on 127.0.0.1 with the bench database, stopped when the block ends."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = os.environ | {
            "DATABASE_URL": url,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "SECRET_KEY": "bench",
            "DB_POOL_SIZE": "4",
            "DB_MAX_OVERFLOW": "2",
        }
        env.pop("REDIS_URL", None)
        self.log = open(tmp / f"server-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "debate"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def __enter__(self) -> Server:
        import requests

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log.name}")
            try:
                if requests.get(self.base + "/favicon.ico", timeout=2).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer within 60 s")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()

    def session(self, who: str):
        import requests

        http = requests.Session()
        if who != "anonymous":
            form = http.get(self.base + "/login", timeout=10).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            data = {"email": EMAILS[who], "password": PASSWORD, "csrf_token": token}
            response = http.post(self.base + "/login", data=data, allow_redirects=False, timeout=10)
            assert response.status_code == 302, f"{who} could not sign in over HTTP ({response.status_code})"
        return http


def time_over_http(server: Server, page_list: list[Page], runs: int, warmup: int) -> tuple[dict, dict]:
    """Per page: the latency samples, and the server's CPU milliseconds per request (warm-up included)."""
    sessions = {who: server.session(who) for who in {p.who for p in page_list}}

    def get(page: Page) -> None:
        response = sessions[page.who].get(server.base + page.path, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"GET {page.path}: {response.status_code}")

    samples, cpu = {}, {}
    for page in page_list:
        samples[page.label], cpu[page.label] = _cpu_per_request(
            lambda p=page: _samples(lambda: get(p), runs, warmup), server.process.pid, runs + warmup
        )
    return samples, cpu


def _cpu_per_request(measure, pid: int | None, requests: int):
    """`measure()`'s result, and the CPU milliseconds per request it cost the server process (`pid`; None: this
    process, as in-process timing is). Unlike wall-clock time, CPU time hardly moves when other work shares the
    machine, so it is the column to compare between runs on a busy machine."""
    before = _cpu_seconds(pid)
    result = measure()
    return result, (_cpu_seconds(pid) - before) * 1000 / requests


def _cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in clock ticks


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- the report -------------------------------------------------------------------------------


def _backend_section(backend: str, args, tmp: Path, log) -> list[str]:
    small_sizes, large_sizes = DATASETS[args.dataset]
    small = make(backend, small_sizes, "_small", tmp, args.postgres_url, args.reuse)
    small_counts = count_statements(small, _chosen(pages(small.ids), args.only))
    _dispose(small)
    log(f"{backend}: small dataset {'reused' if small.reused else 'built'} in {small.seconds:.1f} s and counted")
    large = make(backend, large_sizes, "", tmp, args.postgres_url, args.reuse)
    log(f"{backend}: full dataset {'reused' if large.reused else 'built'} in {large.seconds:.1f} s")
    page_list = _chosen(pages(large.ids), args.only)
    large_counts = count_statements(large, page_list)
    if args.in_process:
        samples, cpu = time_in_process(large, page_list, args.runs, args.warmup)
    else:
        _dispose(large)
        with Server(large.url, tmp) as server:
            samples, cpu = time_over_http(server, page_list, args.runs, args.warmup)
    _dispose(large)
    log(f"{backend}: timed {len(page_list)} pages")
    version = _version(large)
    lines = [
        f"### {backend} ({version})",
        "",
        (
            f"Dataset reused from an earlier run (`--reuse`): {large_sizes.line()}. "
            if large.reused
            else f"Dataset built in {large.seconds:.0f} s: {large_sizes.line()}. "
        )
        + f"Small dataset for the counts: {small_sizes.line()}.",
        "",
        "| page | p50 ms | p95 ms | queries, small | queries, large | server CPU ms a request |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    over = []
    for page in page_list:
        s = samples[page.label]
        p50, high = statistics.median(s), p95(s)
        lines.append(
            f"| {page.label} | {p50:.1f} | {high:.1f} | {small_counts[page.label]} | {large_counts[page.label]} "
            f"| {cpu[page.label]:.1f} |"
        )
        if high > TARGET_P95_MS:
            over.append(f"- over target: {page.label}: p95 {high:.1f} ms > {TARGET_P95_MS:.0f} ms")
        if small_counts[page.label] != large_counts[page.label]:
            over.append(
                f"- queries grow: {page.label}: {small_counts[page.label]} -> {large_counts[page.label]} statements"
            )
    lines += ["", *(over or [f"- every page: p95 under {TARGET_P95_MS:.0f} ms and queries constant."]), ""]
    return lines


def _chosen(page_list: list[Page], only: list[str] | None) -> list[Page]:
    """The pages `--only` names (parts of labels), or all of them."""
    return [p for p in page_list if not only or any(part in p.label for part in only)]


def _dispose(built: Built) -> None:
    from debate.extensions import db

    with built.app.app_context():
        db.session.remove()
        db.engine.dispose()


def _version(built: Built) -> str:
    if built.url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine

    engine = create_engine(built.url)
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    engine.dispose()
    return f"PostgreSQL {version}"


def _unreachable(url: str) -> str | None:
    """Why the PostgreSQL server of `url` cannot be used (None when it answers)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(url).set(database="postgres"), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", with its reason
        return f"PostgreSQL not reachable at {url}: {type(exc).__name__}"
    finally:
        engine.dispose()
    return None


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_const", const="quick", dest="dataset", help="a small smoke run")
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="full")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--in-process", action="store_true", help="time the Flask test client, not a server")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL))
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: keep the databases of an earlier run with the same sizes"
    )
    parser.add_argument("--only", action="append", metavar="LABEL", help="time only pages whose label has this")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.dataset = args.dataset or "full"
    if not 1 <= args.runs <= 1000 or not 0 <= args.warmup <= 100:
        parser.error("--runs must be 1-1000 and --warmup 0-100")
    return args


def report(argv: list[str] | None = None) -> str:
    """The Markdown section for bench/RESULTS.md: what was measured, how, and every page's figures."""
    import tempfile

    args = parse(argv)
    command = "python bench/http_pages.py" + (" " + " ".join(argv) if argv else "")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    how = (
        "in-process (the Flask test client: no server, no HTTP)"
        if args.in_process
        else "through a real server process (`python -m debate`, gevent) over HTTP on 127.0.0.1, "
        "one request at a time on a kept-alive connection"
    )

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    cpu_source = "in-process: the whole process, client included" if args.in_process else "from /proc"
    tmp = Path(tempfile.mkdtemp(prefix="cg-http-bench-"))
    lines = [
        "## HTTP pages with a large dataset",
        "",
        f"Command: `{command}`",
        "",
        f"Latency: p50 and p95 of {args.runs} requests per page after {args.warmup} warm-up requests, measured "
        f"{how}. SQL statements per request are counted in-process (a `before_cursor_execute` listener) on a "
        f"small and on the full dataset. **Server CPU** is the server process's user + system CPU time over a "
        f"page's requests (warm-up included) divided by their number ({cpu_source}): unlike latency it hardly "
        "moves when other work shares "
        f"the machine. Target (issue 7): p95 under {TARGET_P95_MS:.0f} ms, queries constant.",
        "",
    ]
    try:
        for backend in backends:
            missing = _unreachable(args.postgres_url) if backend == "postgresql" else None
            if missing:
                lines += [f"### {backend}", "", f"Skipped: {missing}", ""]
                continue
            lines += _backend_section(backend, args, tmp, log)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(sys.argv[1:]))
