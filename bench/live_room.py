"""How heavy is a live Q&A room with 1,000 questions? Pages, the join snapshot, a vote, a coalesced flush.

Builds a live session with N approved questions from 200 askers and random
votes (bulk-inserted) in a temporary SQLite database made by the migrations,
then measures through the app: the room page in each tab, the projector,
the transcript, the CSV export (median latency and SQL statements per
request), the socket join's snapshot, one vote through the service, and one
coalesced "votes" flush after votes on 100 different questions.

    .venv/bin/python bench/live_room.py [--questions 1000] [--runs 15]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from forum_pages import WORDS, bench_app, measure


def build(questions: int) -> tuple[int, list[int], list[int]]:
    """A live session with a panel, 200 askers, `questions` approved questions and votes; returns ids."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import QuestionVote, RepresentativeProfile, Role, SessionQuestion, User
    from debate.models.base import utcnow
    from debate.services import council_time
    from debate.services.live import sessions as live_sessions

    now = utcnow()
    people = [
        User(
            display_name=f"Member {n}",
            email=f"m{n}@bench.example",
            password_hash="!",  # noqa: S106 - an unusable hash: nobody signs in
            email_verified_at=now,
            role=(Role.ADMIN if n == 0 else Role.REPRESENTATIVE if n < 4 else Role.RESIDENT).value,
        )
        for n in range(204)
    ]
    db.session.add_all(people)
    db.session.flush()
    for user in people[1:4]:
        db.session.add(
            RepresentativeProfile(user_id=user.id, kind="councillor", title="Cllr", area="Riverside", verified_at=now)
        )
    db.session.commit()
    fmt = live_sessions.DATETIME_FORMAT
    start = council_time.to_local(now + timedelta(minutes=10))
    form = live_sessions.SessionForm(
        title="Benchmark session",
        starts_at=start.strftime(fmt),
        ends_at=(start + timedelta(hours=2)).strftime(fmt),
        panel=[u.id for u in people[1:4]],
    )
    live = live_sessions.schedule(people[0], form)
    live_sessions.start(people[0], live.id)
    rng = random.Random(1)
    askers = [u.id for u in people[4:]]
    rows = [
        {
            "session_id": live.id,
            "author_id": askers[n % len(askers)],
            "body": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))) + "?",
            "state": "approved",
            "status": "answered" if n < 20 else "open",
            "vote_count": 0,
            "fingerprint": f"{n:032x}",
            "created_at": now,
            "anonymous": n % 9 == 0,
            "answered_live": n < 20,
        }
        for n in range(questions)
    ]
    db.session.execute(insert(SessionQuestion), rows)
    ids = list(db.session.scalars(select(SessionQuestion.id).where(SessionQuestion.session_id == live.id)))
    votes = {(rng.choice(ids), rng.choice(askers)) for _ in range(questions * 5)}
    db.session.execute(insert(QuestionVote), [{"question_id": q, "user_id": u} for q, u in votes])
    db.session.execute(
        db.text(
            "UPDATE session_questions SET vote_count = "
            "(SELECT count(*) FROM question_votes v WHERE v.question_id = session_questions.id)"
        )
    )
    db.session.commit()
    print(f"session {live.id}: {questions:,} questions from {len(askers)} askers, {len(votes):,} votes")
    return live.id, ids, askers


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    tmp, app = bench_app(LIVE_FLUSH_MS=0)
    from debate import broadcast
    from debate.extensions import db

    sent: list[tuple] = []
    broadcast.use(lambda *event: sent.append(event))
    with app.app_context():
        session_id, ids, askers = build(args.questions)
        engine = db.engine
    client = app.test_client()
    print(f"median of {args.runs} runs each (SQLite {__import__('sqlite3').sqlite_version})\n")
    print(f"{'request':<44}{'median ms':>10}{'queries':>9}")
    for label, url in (
        ("room, top (fair order)", f"/sessions/{session_id}"),
        ("room, newest", f"/sessions/{session_id}?sort=new"),
        ("room, answered", f"/sessions/{session_id}?sort=answered"),
        ("projector", f"/sessions/{session_id}/projector"),
        ("transcript", f"/sessions/{session_id}/transcript"),
        ("export.csv", f"/sessions/{session_id}/export.csv"),
    ):
        ms, queries = measure(client, engine, url, args.runs)
        print(f"{label:<44}{ms:>10.1f}{queries:>9}")

    from debate.models import LiveSession, User
    from debate.services.live import events as live_events
    from debate.services.live import pulse as live_pulse
    from debate.services.live import questions as live_questions

    with app.app_context():
        live = db.session.get(LiveSession, session_id)
        print(f"\n{'service call':<44}{'median ms':>10}")
        ms = timed(lambda: (live_events.snapshot(live), db.session.expire_all()), args.runs)
        print(f"{'join snapshot (all public questions)':<44}{ms:>10.1f}")
        voter = db.session.get(User, askers[-1])
        target = [q for q in live_events.public_questions(session_id) if q.author_id != voter.id and q.status == "open"]

        def vote_and_unvote() -> None:
            live_questions.set_vote(voter, target[0].id, True)
            live_questions.set_vote(voter, target[0].id, False)

        ms = timed(vote_and_unvote, args.runs) / 2
        print(f"{'one vote (commit + its flush, LIVE_FLUSH_MS=0)':<44}{ms:>10.1f}")
        app.config["LIVE_FLUSH_MS"] = 250
        live_pulse.ensure_running = lambda _app: None  # flush by hand below
        sent.clear()
        for question in target[:100]:
            live_pulse.vote_changed(session_id, question.id)
        ms = timed(live_pulse.flush, 1)
        events = [e for e in sent if e[0] == "live:event"]
        print(f"{'one flush of 100 changed counts':<44}{ms:>10.1f}   ({len(events)} message for 100 changes)")
    engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
