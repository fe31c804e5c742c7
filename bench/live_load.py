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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import live_seed  # noqa: E402 - beside this file
import live_tables  # noqa: E402

ROOT = HERE.parent
LOADER = HERE / "loader" / "loader.js"
ASK_RATE, VOTE_RATE = 2.0, 10.0


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
            with urllib.request.urlopen(url, timeout=5) as response:
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


def run_bare(clients: int, seconds: float, workdir: Path, plain: bool = False) -> dict:
    """The baseline: by default as Flask-SocketIO comes (frames compressed per recipient when offered);
    `plain` declines compression as the app does, so the two differ only in what the app does per action."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, str(HERE / "bare_server.py"), "--mode", "gevent", "--port", str(port)]
    cmd += ["--plain-frames"] if plain else []
    log = workdir / f"bare-{'plain-' if plain else ''}{clients}.log"
    with server(cmd, dict(os.environ), log, url + "/socket.io/?EIO=4&transport=polling") as proc:
        window = Window(proc.pid)
        extra = {"clients": [{} for _ in range(clients)]}
        result = run_loader(loader_config("bare", url, seconds, extra), window, [], seconds + 300)
    return summarise(result, window, clients)


def start_profile(pid: int, out: Path, seconds: float) -> subprocess.Popen:
    """py-spy over the action window (collapsed stacks, one line per stack: grep and sort them)."""
    spy = str(Path(sys.executable).with_name("py-spy"))
    cmd = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200"]
    cmd += ["--nonblocking", "--format", "raw", "--output", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drive_app(
    clients: int,
    seconds: float,
    workdir: Path,
    profile: Path | None,
    name: str = "app",
    prepare: Callable[[Any, dict], dict] | None = None,
    read: Callable[[dict], Any] = lambda seeded: None,
) -> tuple[dict, Any]:
    """The app on its own migrated database with N seeded residents, driven by the loader: its summary, and
    what `read(seeded)` finds in the database afterwards. `prepare(app, seeded)` adds to the loader's config
    (a scenario and what it needs) before the server starts. The database is dropped at the end."""
    database = f"{live_seed.DB_PREFIX}_{os.getpid()}_{name}_{clients}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = live_seed.app_env(database, secrets.token_hex(32), port)
    live_seed.create_database(database)
    try:
        live_seed.migrate(env)
        live_seed.forget_rate_limits()
        with live_seed.bench_app(env) as app:
            seeded = live_seed.seed(app, clients)
            if prepare:
                seeded.update(prepare(app, seeded))
            log = workdir / f"{name}-{clients}.log"
            with server([sys.executable, "-m", "debate"], env, log, url + "/sessions") as proc:
                window = Window(
                    proc.pid, {"postgres": live_seed.backend_pids(database), "redis": live_seed.redis_pid()}
                )
                original_mark = window.mark

                def mark(phase: str) -> None:
                    if phase == "actions":  # the pool has opened its connections by now
                        window.extra_pids["postgres"] = live_seed.backend_pids(database)
                        if profile:
                            spies.append(start_profile(proc.pid, profile / f"{name}-{clients}.txt", seconds))
                    original_mark(phase)

                window.mark = mark  # type: ignore[method-assign]
                config = loader_config("app", url, seconds, seeded)
                spies: list[subprocess.Popen] = []
                result = run_loader(config, window, [], seconds + 300)
                for spy in spies:
                    spy.wait(timeout=60)
                found = read(seeded)
        out = summarise(result, window, clients)
        out["log"] = str(log)
        return out, found
    finally:
        with contextlib.suppress(Exception):
            live_seed.drop_database(database)


def run_app(clients: int, seconds: float, workdir: Path, profile: Path | None = None) -> dict:
    out, expected = drive_app(
        clients, seconds, workdir, profile, read=lambda seeded: live_seed.database_state(seeded["session_id"])
    )
    state = out["result"]["state"] or {}
    out["db_questions"] = len(expected)
    out["db_mismatches"] = sum(1 for qid in set(expected) | set(state) if expected.get(qid) != state.get(qid))
    return out


def measure(sizes: list[int], seconds: float, profile: Path | None = None) -> dict[int, tuple[dict, dict, dict]]:
    """For each N: the bare baseline, the bare server with plain frames, then the app. Returns their summaries."""
    why = check_loader()
    if why:
        raise SystemExit(f"live_load: {why}")
    runs: dict[int, tuple[dict, dict, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="live-load-") as tmp:
        workdir = Path(tmp)
        for n in sizes:
            print(f"live_load: N={n}: bare baseline, then with plain frames", file=sys.stderr, flush=True)
            bare = run_bare(n, seconds, workdir)
            plain = run_bare(n, seconds, workdir, plain=True)
            print(f"live_load: N={n}: app", file=sys.stderr, flush=True)
            runs[n] = (run_app(n, seconds, workdir, profile), bare, plain)
    return runs


def measure_one(which: str, n: int, seconds: float, profile: Path | None = None) -> dict:
    """One server only, while fixing: its summary (without the room state) for a quick look or a profile."""
    with tempfile.TemporaryDirectory(prefix="live-load-") as tmp:
        if which == "app":
            one = run_app(n, seconds, Path(tmp), profile)
        else:
            one = run_bare(n, seconds, Path(tmp), plain=which == "bare-plain")
    one["result"].pop("state", None)
    return one


def render(runs: dict[int, tuple[dict, dict, dict]], seconds: float, argv: list[str]) -> str:
    command = "python bench/live_load.py " + shlex.join(argv)
    lines = [
        "## Live session load: the app against a bare Flask-SocketIO room",
        "",
        f"    {command.strip()}",
        "",
        f"Settings: N residents in one session; {ASK_RATE:g} questions and {VOTE_RATE:g} votes a second for "
        f"{seconds:g} s after every client joined; one Node process (socket.io-client 4.8.3, websocket) drives "
        "all clients. App: `python -m debate` (gevent) on PostgreSQL with REDIS_URL (message queue and rate "
        "limits, on), LIVE_FLUSH_MS default (250), a session that is not pre-moderated, "
        f"{live_seed.SEEDED_QUESTIONS} open questions at the start. Bare: `bench/bare_server.py` (gevent, no message "
        "queue): one broadcast per action, run twice: as Flask-SocketIO comes (simple-websocket compresses "
        "every frame for every recipient when the client offers permessage-deflate, as browsers and this "
        "loader do) and with plain frames, which the app uses (`debate/realtime/frames.py`), so the last "
        "column compares only what the app does per action.",
        "",
        DEFINITIONS,
        "",
    ]
    for n, (app, bare, plain) in runs.items():
        lines += live_tables.table(n, app, bare, plain)
    lines += live_tables.verdicts(runs)
    return "\n".join(lines)


DEFINITIONS = (
    "Definitions: **fan-out** = client receipt time minus the `at` stamp in the event envelope (the app "
    "stamps when it numbers the event, inside the transaction, so commit, Redis and delivery are all "
    "included; the bare server stamps just before its emit); one sample per client per event. **To room** "
    "= the action sent until a client has it in its state, one sample per action and client; the app's "
    "votes are coalesced, so that figure includes the LIVE_FLUSH_MS window. **Lost**: numbers after a "
    "client's join that never arrived by broadcast (missed) and that it still lacked at the end after "
    "filling gaps (unrecovered). **CPU per action**: the server process's utime + stime over the action "
    "window divided by the actions acked; the app's PostgreSQL backends (of its database) and the Redis "
    "server (shared with other users of this machine) are shown apart. The machine is shared: compare the "
    "columns of one run, not runs."
)


def report(argv: list[str] | None = None) -> str:
    """The Markdown section for bench/RESULTS.md (bench/run_all.py calls this)."""
    argv = list(argv or [])
    parser = argparse.ArgumentParser(prog="live_load.py", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000", help="comma-separated N (at most 1000 each)")
    parser.add_argument("--seconds", type=float, default=25.0, help="action window after every client joined")
    parser.add_argument("--quick", action="store_true", help="100 clients for 8 s: a smoke run, not figures")
    parser.add_argument("--profile", type=Path, help="folder for py-spy profiles of the app over the window")
    parser.add_argument("--only", choices=["app", "bare", "bare-plain"], help="one server, JSON out (while fixing)")
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else [int(n) for n in args.clients.split(",") if n.strip()]
    seconds = 8.0 if args.quick else args.seconds
    if not sizes or any(n < 2 or n > 1000 for n in sizes):
        raise SystemExit("--clients: each N must be between 2 and 1000")
    if args.only:
        return json.dumps([measure_one(args.only, n, seconds, args.profile) for n in sizes], indent=1, default=str)
    return render(measure(sizes, seconds, args.profile), seconds, argv)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
