"""A live session under load: the app's production path against a bare Flask-SocketIO baseline.

    .venv/bin/python bench/live_load.py [--clients 100,500,1000] [--seconds 25] [--quick]

For each N, starts two servers on free 127.0.0.1 ports, one after the other,
and drives each with the Node loader (bench/loader/loader.js: N socket.io
clients over websocket from one Node process, 2 questions and 10 votes a
second for `--seconds` after every client has joined):

- the bare baseline, `bench/bare_server.py` (gevent): every action is one
  event that the server broadcasts as one message to the room;
- the app, `python -m debate` (gevent) on its own PostgreSQL database migrated
  by `flask db upgrade`, with REDIS_URL set (Socket.IO message queue and rate
  limits, which stay on), LIVE_FLUSH_MS at its default, and a live session
  that is not pre-moderated. N residents are made directly in the database
  with live login sessions and signed session cookies (no password hashing);
  clients join with `live:join` and keep the room's state by the sequence
  rules of docs/realtime.md; residents ask and vote on others' questions.

Reported per server: fan-out latency (receipt minus the `at` stamp in the
event envelope), action-to-room latency (the action sent until each client
has it; votes are coalesced, so theirs includes the LIVE_FLUSH_MS window),
messages missed and never recovered, the final state against the database,
connection time (connect + join ack), server CPU seconds per acknowledged
action (utime + stime from /proc over the action window; PostgreSQL
backends of the bench database and the Redis server separately), memory per
connection (server RSS after joining minus before, over N), and app/bare
ratios. Bounded: at most 1,000 clients, fixed windows, every child process
stopped at the end; traffic to 127.0.0.1 only.

Needs the loader's packages: `npm ci --prefix bench/loader`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOADER = HERE / "loader" / "loader.js"
PG_SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
DB_PREFIX = "bench_live"
ASK_RATE, VOTE_RATE = 2.0, 10.0
SEEDED_QUESTIONS = 40
MAX_ASKERS = 200
TARGETS = {"p99_fanout_ms": 250.0, "clients": 1000}


# --- processes and /proc ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_of(pids: list[int]) -> dict[int, float]:
    found = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            found[pid] = cpu_seconds(pid)
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it answered {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


@contextlib.contextmanager
def server(cmd: list[str], env: dict[str, str], log_path: Path, ready_url: str):
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_http(ready_url, proc)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


# --- the loader ---------------------------------------------------------------------------------


@dataclass
class Window:
    """Samples the servers' CPU and memory at the loader's phase marks."""

    server_pid: int
    extra_pids: dict[str, list[int]] = field(default_factory=dict)
    marks: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, dict[str, dict[int, float]]] = field(default_factory=dict)
    rss: dict[str, int] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks[name] = time.monotonic()
        self.rss[name] = rss_kib(self.server_pid)
        sampled = {"server": cpu_of([self.server_pid])}
        for group, pids in self.extra_pids.items():
            sampled[group] = cpu_of(pids)
        self.cpu[name] = sampled

    def spent(self, group: str, start: str = "actions", end: str = "actions_done") -> float:
        before, after = self.cpu[start].get(group, {}), self.cpu[end].get(group, {})
        return sum(after[pid] - before[pid] for pid in after if pid in before)

    def seconds(self, start: str = "actions", end: str = "actions_done") -> float:
        return self.marks[end] - self.marks[start]


def check_loader() -> str | None:
    """Why the loader cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "loader" / "node_modules" / "socket.io-client").is_dir():
        return "the loader's packages are missing: run `npm ci --prefix bench/loader`"
    return None


def run_loader(config: dict, window: Window, loader_pid_box: list[int], timeout: float) -> dict:
    """Run the Node loader on `config`; sample the window at its phase marks; return its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
        path = handle.name
    try:
        proc = subprocess.Popen(
            ["node", str(LOADER), path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        loader_pid_box.append(proc.pid)
        window.extra_pids["loader"] = [proc.pid]
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        err_lines: list[str] = []
        err_reader = threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True)
        err_reader.start()
        result = None
        try:
            for line in proc.stdout:
                if line.startswith("PHASE "):
                    window.mark(line.split()[1])
                elif line.startswith("RESULT "):
                    result = json.loads(line[len("RESULT ") :])
            proc.wait()
        finally:
            killer.cancel()
        err_reader.join(timeout=5)
        if result is None:
            raise RuntimeError(f"the loader exited with {proc.returncode}: {''.join(err_lines)[-2000:]}")
        return result
    finally:
        os.unlink(path)


# --- the app's database: users, forged logins, the session ---------------------------------------


def _pg(database: str) -> str:
    return f"{PG_SERVER}/{database}"


def create_database(name: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 dbname=postgres", autocommit=True) as conn:
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
        [flask, "--app", "debate", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
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
    from debate.services import live_sessions

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
    start = live_sessions.to_local(now + timedelta(minutes=5))
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
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port=5432 dbname={database}", autocommit=True) as conn:
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


def flush_redis() -> None:
    """Rate-limit windows from an earlier run must not refuse this run's actions (db 10 is the bench's)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


# --- one run per server ---------------------------------------------------------------------------


def loader_config(target: str, url: str, seconds: float, extra: dict) -> dict:
    return {
        "target": target,
        "url": url,
        "origin": url,
        "seconds": seconds,
        "askRate": ASK_RATE,
        "voteRate": VOTE_RATE,
        "run": secrets.token_hex(4),
        "deadlineMs": int((seconds + 240) * 1000),
        **extra,
    }


def summarise(result: dict, window: Window, clients: int) -> dict:
    acked = sum(a["acked"] for a in result["actions"].values())
    refused = sum(sum(a["refused"].values()) for a in result["actions"].values())
    seconds = window.seconds()
    out = {
        "result": result,
        "acked": acked,
        "refused": refused,
        "window_s": seconds,
        "server_cpu_s": window.spent("server"),
        "server_cpu_pct": 100 * window.spent("server") / seconds,
        "loader_cpu_pct": 100 * window.spent("loader") / seconds,
        "mem_per_conn_kib": (window.rss["actions"] - window.rss["connecting"]) / max(1, result["joined"]),
        "rss_mib": window.rss["actions"] / 1024,
    }
    for group in ("server", "postgres", "redis"):
        if group == "server" or group in window.cpu["actions"]:
            out[f"{group}_ms_per_action"] = 1000 * window.spent(group) / acked if acked else float("nan")
    return out


def run_bare(clients: int, seconds: float, workdir: Path) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, str(HERE / "bare_server.py"), "--mode", "gevent", "--port", str(port)]
    with server(
        cmd, dict(os.environ), workdir / f"bare-{clients}.log", url + "/socket.io/?EIO=4&transport=polling"
    ) as proc:
        window = Window(proc.pid)
        extra = {"clients": [{} for _ in range(clients)]}
        result = run_loader(loader_config("bare", url, seconds, extra), window, [], seconds + 300)
    return summarise(result, window, clients)


def run_app(clients: int, seconds: float, workdir: Path) -> dict:
    database = f"{DB_PREFIX}_{os.getpid()}_{clients}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = app_env(database, secrets.token_hex(32), port)
    create_database(database)
    try:
        migrate(env)
        flush_redis()
        with bench_app(env) as app:
            seeded = seed(app, clients)
            with server(
                [sys.executable, "-m", "debate"], env, workdir / f"app-{clients}.log", url + "/sessions"
            ) as proc:
                window = Window(proc.pid, {"postgres": backend_pids(database), "redis": redis_pid()})
                original_mark = window.mark

                def mark(name: str) -> None:
                    if name == "actions":  # the pool has opened its connections by now
                        window.extra_pids["postgres"] = backend_pids(database)
                    original_mark(name)

                window.mark = mark  # type: ignore[method-assign]
                config = loader_config("app", url, seconds, seeded)
                result = run_loader(config, window, [], seconds + 300)
                expected = database_state(seeded["session_id"])
        out = summarise(result, window, clients)
        out["db_questions"] = len(expected)
        out["db_mismatches"] = sum(
            1
            for qid in set(expected) | set(result["state"] or {})
            if expected.get(qid) != (result["state"] or {}).get(qid)
        )
        out["log"] = str(workdir / f"app-{clients}.log")
        return out
    finally:
        with contextlib.suppress(Exception):
            drop_database(database)


# --- the report ------------------------------------------------------------------------------------


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value != value:  # NaN
            return "–"
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _ratio(app, bare) -> str:
    try:
        return f"{app / bare:.2f}×" if bare else "–"
    except TypeError:
        return "–"


def _lat(d: dict) -> str:
    return f"{_fmt(d['p50'])} / {_fmt(d['p95'])} / {_fmt(d['p99'])}"


def _loss(r: dict) -> str:
    return f"{r['missed_broadcasts']} missed, {r['unrecovered']} unrecovered"


def table(n: int, app: dict, bare: dict) -> list[str]:
    a, b = app["result"], bare["result"]
    rows = [
        ("clients joined", f"{a['joined']:,}", f"{b['joined']:,}", ""),
        (
            "connect + join ack p50 / p95 ms",
            f"{_fmt(a['connect_ms']['p50'])} / {_fmt(a['connect_ms']['p95'])}",
            f"{_fmt(b['connect_ms']['p50'])} / {_fmt(b['connect_ms']['p95'])}",
            _ratio(a["connect_ms"]["p95"], b["connect_ms"]["p95"]),
        ),
        (
            "fan-out p50 / p95 / p99 ms",
            _lat(a["fanout_ms"]),
            _lat(b["fanout_ms"]),
            _ratio(a["fanout_ms"]["p99"], b["fanout_ms"]["p99"]),
        ),
        ("deliveries measured", f"{a['fanout_ms']['n']:,}", f"{b['fanout_ms']['n']:,}", ""),
        (
            "question to room p50 / p95 / p99 ms",
            _lat(a["to_room_ms"]["questions"]),
            _lat(b["to_room_ms"]["questions"]),
            _ratio(a["to_room_ms"]["questions"]["p99"], b["to_room_ms"]["questions"]["p99"]),
        ),
        (
            "vote to room p50 / p95 / p99 ms",
            _lat(a["to_room_ms"]["votes"]),
            _lat(b["to_room_ms"]["votes"]),
            _ratio(a["to_room_ms"]["votes"]["p99"], b["to_room_ms"]["votes"]["p99"]),
        ),
        ("messages lost", _loss(a), _loss(b), ""),
        (
            "final state = database",
            f"{'yes' if app['db_mismatches'] == 0 else 'NO'} ({app['db_questions']} questions, "
            f"{app['db_mismatches']} differ; {a['clients_differing_from_reference']} clients differ)",
            "(no state)",
            "",
        ),
        (
            "actions acked / refused",
            f"{app['acked']:,} / {app['refused']:,}",
            f"{bare['acked']:,} / {bare['refused']:,}",
            "",
        ),
        (
            "server CPU ms per action",
            _fmt(app["server_ms_per_action"], 2),
            _fmt(bare["server_ms_per_action"], 2),
            _ratio(app["server_ms_per_action"], bare["server_ms_per_action"]),
        ),
        (
            "server CPU % of a core",
            _fmt(app["server_cpu_pct"], 0),
            _fmt(bare["server_cpu_pct"], 0),
            _ratio(app["server_cpu_pct"], bare["server_cpu_pct"]),
        ),
        ("PostgreSQL CPU ms per action (its backends)", _fmt(app.get("postgres_ms_per_action"), 2), "–", ""),
        ("Redis CPU ms per action (whole server, shared)", _fmt(app.get("redis_ms_per_action"), 2), "–", ""),
        (
            "memory per connection KiB (RSS delta / N)",
            _fmt(app["mem_per_conn_kib"]),
            _fmt(bare["mem_per_conn_kib"]),
            _ratio(app["mem_per_conn_kib"], bare["mem_per_conn_kib"]),
        ),
        ("loader CPU % of a core", _fmt(app["loader_cpu_pct"], 0), _fmt(bare["loader_cpu_pct"], 0), ""),
    ]
    out = [f"### {n:,} residents", "", "| | app | bare | app/bare |", "| --- | --- | --- | --- |"]
    out += [f"| {name} | {x} | {y} | {z} |" for name, x, y, z in rows]
    refusals = {k: v["refused"] for k, v in a["actions"].items() if v["refused"]}
    if refusals:
        out += ["", f"App refusals: `{json.dumps(refusals)}`; samples: `{json.dumps(a['refusal_samples'][:3])}`"]
    return out + [""]


def verdicts(runs: dict[int, tuple[dict, dict]]) -> list[str]:
    out = ["### Verdict per target", ""]
    biggest = max(runs)
    app, bare = runs[biggest]
    a = app["result"]
    joined = a["joined"] >= TARGETS["clients"]
    out.append(
        f"- {TARGETS['clients']:,} residents in one session: {'met' if joined else 'NOT met'} ({a['joined']:,} joined at N = {biggest:,})."
    )
    p99 = a["fanout_ms"]["p99"]
    out.append(
        f"- p99 fan-out at most {TARGETS['p99_fanout_ms']:.0f} ms: "
        f"{'met' if p99 is not None and p99 <= TARGETS['p99_fanout_ms'] else 'NOT met'} ({_fmt(p99)} ms at N = {biggest:,})."
    )
    lost = sum(
        r[0]["result"]["missed_broadcasts"] + r[0]["result"]["unrecovered"] + r[0]["db_mismatches"]
        for r in runs.values()
    )
    out.append(
        f"- Zero loss (every client has every event after its join; final state = database): {'met' if lost == 0 else 'NOT met'}."
    )
    worst = max((r[0]["server_ms_per_action"] / r[1]["server_ms_per_action"]) for r in runs.values())
    out.append(
        f"- Server CPU per action no higher than the bare baseline's: {'met' if worst <= 1.0 else 'NOT met'} "
        f"(worst app/bare ratio {worst:.2f}×; the app process only, PostgreSQL and Redis shown apart)."
    )
    return out + [""]


def report(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="live_load.py", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000", help="comma-separated N (at most 1000 each)")
    parser.add_argument("--seconds", type=float, default=25.0, help="action window after every client joined")
    parser.add_argument("--quick", action="store_true", help="100 clients for 8 s: a smoke run, not figures")
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else [int(n) for n in args.clients.split(",") if n.strip()]
    seconds = 8.0 if args.quick else args.seconds
    if any(n < 2 or n > 1000 for n in sizes):
        raise SystemExit("--clients: each N must be between 2 and 1000")
    why = check_loader()
    if why:
        raise SystemExit(f"live_load: {why}")
    runs: dict[int, tuple[dict, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="live-load-") as tmp:
        workdir = Path(tmp)
        for n in sizes:
            print(f"live_load: N={n}: bare baseline", file=sys.stderr, flush=True)
            bare = run_bare(n, seconds, workdir)
            print(f"live_load: N={n}: app", file=sys.stderr, flush=True)
            app = run_app(n, seconds, workdir)
            runs[n] = (app, bare)
    command = "python bench/live_load.py " + shlex.join(argv or [])
    lines = [
        "## Live session load: the app against a bare Flask-SocketIO room",
        "",
        f"    {command.strip()}",
        "",
        f"Settings: N residents in one session; {ASK_RATE:g} questions and {VOTE_RATE:g} votes a second for "
        f"{seconds:g} s after every client joined; one Node process (socket.io-client 4.8.3, websocket) drives "
        "all clients. App: `python -m debate` (gevent) on PostgreSQL with REDIS_URL (message queue and rate "
        "limits, on), LIVE_FLUSH_MS default (250), a session that is not pre-moderated, "
        f"{SEEDED_QUESTIONS} open questions at the start. Bare: `bench/bare_server.py` (gevent, no message "
        "queue): one broadcast per action.",
        "",
        "Definitions: **fan-out** = client receipt time minus the `at` stamp in the event envelope (the app "
        "stamps when it numbers the event, inside the transaction, so commit, Redis and delivery are all "
        "included; the bare server stamps just before its emit); one sample per client per event. **To room** "
        "= the action sent until a client has it in its state, one sample per action and client; the app's "
        "votes are coalesced, so that figure includes the LIVE_FLUSH_MS window. **Lost**: numbers after a "
        "client's join that never arrived by broadcast (missed) and that it still lacked at the end after "
        "filling gaps (unrecovered). **CPU per action**: the server process's utime + stime over the action "
        "window divided by the actions acked; the app's PostgreSQL backends (of its database) and the Redis "
        "server (shared with other users of this machine) are shown apart.",
        "",
    ]
    for n, (app, bare) in runs.items():
        lines += table(n, app, bare)
    lines += verdicts(runs)
    return "\n".join(lines)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
