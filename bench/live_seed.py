"""The app side of bench/live_load.py: its own database, residents signed in by forged cookie, a live session.

Residents are made directly in the database with live login sessions, and
their session cookies are signed with the app's own session interface, so a
thousand clients cost no password hashing. Askers get earlier approved
questions (in a past session, days ago) so the moderation policy treats them
as established (no hold for first posts, no pace limit from the seed).
`BENCH_PG` (a SQLAlchemy URL without a database) and `BENCH_REDIS_URL` say
where PostgreSQL and Redis are; bench databases are named `BENCH_DB_PREFIX`_*
(default `bench_live`), so two people running the bench on one machine can
keep apart (e.g. `BENCH_REDIS_URL=redis://127.0.0.1:6379/1 BENCH_DB_PREFIX=bench_h1`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_live")
SEEDED_QUESTIONS = 40
MAX_ASKERS = 200


def _pg(database: str) -> str:
    return f"{PG_SERVER}/{database}"


def _connect(database: str):
    """A plain psycopg connection to `database` on the bench's PostgreSQL server (autocommit)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(_pg(database))
    return psycopg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username, dbname=database, autocommit=True
    )


def create_database(name: str) -> None:
    with _connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with _connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(database: str, secret: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LIVE_FLUSH_MS", "RATELIMIT_ENABLED")}
    env.update(
        DATABASE_URL=_pg(database),
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secret,
        HOST="127.0.0.1",
        PORT=str(port),
        SERVER_URL=f"http://127.0.0.1:{port}",
        DB_POOL_SIZE=os.environ.get("DB_POOL_SIZE", "10"),
        DB_MAX_OVERFLOW=os.environ.get("DB_MAX_OVERFLOW", "5"),
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(env: dict[str, str]) -> None:
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run(
        [flask, "--app", "debate", "db", "upgrade", "heads"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@contextlib.contextmanager
def bench_app(env: dict[str, str]):
    """The app object, in this process, on the bench database (to seed and to check the end state)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        sys.path.insert(0, str(ROOT))
        from debate import create_app
        from debate.extensions import db

        app = create_app({"REDIS_URL": None})  # no message-queue listener in the orchestrator
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def seed(app, residents: int) -> dict:
    """A live session (not pre-moderated) with a host, `residents` signed-in residents and open questions.

    Askers get earlier approved questions (in a past session, days ago) so
    the moderation policy treats them as established: no hold for first
    posts, and no pace limit from the seed. Returns what the loader needs.
    """
    from datetime import timedelta

    from sqlalchemy import insert, select

    from debate.extensions import db
    from debate.models import LoginSession, RepresentativeProfile, Role, SessionQuestion, User
    from debate.models.base import utcnow
    from debate.models.live import LiveSession
    from debate.services import council_time
    from debate.services.live import sessions as live_sessions

    now = utcnow()
    old = now - timedelta(days=30)
    rows = [
        {
            "display_name": ("Host", "Councillor")[n] if n < 2 else f"Resident {n}",
            "email": f"r{n}@bench.example",
            "password_hash": "!",  # an unusable hash: these accounts sign in by forged cookie only
            "role": (Role.ADMIN if n == 0 else Role.REPRESENTATIVE if n == 1 else Role.RESIDENT).value,
            "email_verified_at": old,
            "created_at": old,
        }
        for n in range(residents + 2)
    ]
    ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), rows))
    host, panelist, people = ids[0], ids[1], ids[2:]
    db.session.add(
        RepresentativeProfile(user_id=panelist, kind="councillor", title="Cllr", area="Riverside", verified_at=old)
    )
    nonces = {uid: secrets.token_urlsafe(32) for uid in people}
    db.session.execute(
        insert(LoginSession),
        [{"user_id": uid, "nonce": nonce, "created_at": now, "user_agent": "bench"} for uid, nonce in nonces.items()],
    )
    db.session.commit()
    host_user = db.session.get(User, host)
    fmt = live_sessions.DATETIME_FORMAT
    start = council_time.to_local(now + timedelta(minutes=5))
    form = live_sessions.SessionForm(
        title="Load benchmark",
        starts_at=start.strftime(fmt),
        ends_at=(start + timedelta(hours=2)).strftime(fmt),
        panel=[panelist],
        premoderate=False,
    )
    live = live_sessions.schedule(host_user, form)
    live_sessions.start(host_user, live.id)
    askers = people[: min(len(people), MAX_ASKERS)]
    past = LiveSession(
        title="Earlier session",
        host_id=host,
        starts_at=old,
        ends_at=old + timedelta(hours=1),
        started_at=old,
        ended_at=old + timedelta(hours=1),
        state=LiveSession.ENDED,
        premoderate=False,
    )
    db.session.add(past)
    db.session.flush()
    earlier = [
        {
            "session_id": past.id,
            "author_id": uid,
            "body": f"Earlier question {k} from resident {uid}",
            "state": "approved",
            "status": "answered",
            "fingerprint": f"seed-{uid}-{k}",
            "created_at": old,
        }
        for uid in askers
        for k in range(5)
    ]
    db.session.execute(insert(SessionQuestion), earlier)
    open_rows = [
        {
            "session_id": live.id,
            "author_id": askers[n % len(askers)],
            "body": f"Seeded open question {n} about the bus routes and the library hours?",
            "state": "approved",
            "status": "open",
            "fingerprint": f"open-{n}",
            "created_at": old + timedelta(minutes=n),
        }
        for n in range(SEEDED_QUESTIONS)
    ]
    db.session.execute(insert(SessionQuestion), open_rows)
    db.session.commit()
    questions = db.session.execute(
        select(SessionQuestion.id, SessionQuestion.author_id).where(SessionQuestion.session_id == live.id)
    ).all()
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = {
        uid: serializer.dumps({"login_nonce": nonce, "_user_id": str(uid), "_fresh": False, "_permanent": True})
        for uid, nonce in nonces.items()
    }
    return {
        "session_id": live.id,
        "clients": [{"user_id": uid, "cookie": cookies[uid]} for uid in people],
        "askers": askers,
        "questions": [{"id": qid, "author_id": author} for qid, author in questions],
    }


def database_state(session_id: int) -> dict[str, int]:
    """What the room should show, from the database: every public question's vote count."""
    from sqlalchemy import select

    from debate.extensions import db
    from debate.models import SessionQuestion

    db.session.rollback()
    rows = db.session.execute(
        select(SessionQuestion.id, SessionQuestion.vote_count).where(
            SessionQuestion.session_id == session_id,
            SessionQuestion.state.in_(SessionQuestion.PUBLIC_STATES),
            SessionQuestion.status != SessionQuestion.MERGED,
        )
    ).all()
    return {str(qid): count for qid, count in rows}


def backend_pids(database: str) -> list[int]:
    with _connect(database) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
        ).fetchall()
    return [pid for (pid,) in rows]


def redis_pid() -> list[int]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        pid = int(client.info("server")["process_id"])
    finally:
        client.close()
    return [pid] if Path(f"/proc/{pid}").exists() else []


def forget_rate_limits() -> None:
    """Rate-limit windows from an earlier run must not refuse this run's actions (only the limiter's keys)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter("LIMITS:*", count=1000):
            client.delete(key)
    finally:
        client.close()
