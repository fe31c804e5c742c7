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
NODE_SERVER = HERE / "loader" / "bare_server.js"
ASK_RATE, VOTE_RATE = 2.0, 10.0  # today's load (issue 7)
GOAL_ASK_RATE, GOAL_VOTE_RATE = 5.0, 50.0  # the goal load (issue 17)
CLIENT_NAMES = {"raw": "a minimal Socket.IO client on ws, websocket only", "socket.io-client": "socket.io-client 4.8.3"}
LOADER_BOUND_PCT = 80.0  # a loader process busier than this may have slowed what it measured
SERVERS = ("app", "node", "bare-plain", "bare")  # bare: Flask-SocketIO as it comes (compressed frames)


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
        return sum(self.per_pid(group, start, end).values())

    def per_pid(self, group: str, start: str = "actions", end: str = "actions_done") -> dict[int, float]:
        """CPU seconds of each process of `group` between two marks."""
        before, after = self.cpu[start].get(group, {}), self.cpu[end].get(group, {})
        return {pid: after[pid] - before.get(pid, 0.0) for pid in after}

    def seconds(self, start: str = "actions", end: str = "actions_done") -> float:
        return self.marks[end] - self.marks[start]


def check_loader() -> str | None:
    """Why the loader cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not all((HERE / "loader" / "node_modules" / name).is_dir() for name in ("socket.io-client", "socket.io", "ws")):
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
                if line.startswith("WORKERS "):  # the coordinator's worker processes: sample them all
                    window.extra_pids["loader"] = [proc.pid, *map(int, line.split()[1:])]
                elif line.startswith("PHASE "):
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


@dataclass(frozen=True)
class Load:
    """What the loader does in the action window (rates) and how it is built (client library, processes)."""

    ask_rate: float = ASK_RATE
    vote_rate: float = VOTE_RATE
    client: str = "raw"
    workers: int = 2

    def options(self) -> dict:
        return {"askRate": self.ask_rate, "voteRate": self.vote_rate, "client": self.client, "workers": self.workers}


def loader_config(target: str, url: str, seconds: float, extra: dict, load: Load | None = None) -> dict:
    return {
        "target": target,
        "url": url,
        "origin": url,
        "seconds": seconds,
        **(load or Load()).options(),
        "run": secrets.token_hex(4),
        "deadlineMs": int((seconds + 240) * 1000),
        **extra,
    }


def marks(scenario: str | None) -> tuple[str, str]:
    """The loader's phase marks between which a run's CPU is counted: the join storm's joins, or the actions."""
    return ("connecting", "joined") if scenario == "storm" else ("actions", "actions_done")


def summarise(result: dict, window: Window, clients: int, start: str = "actions", end: str = "actions_done") -> dict:
    acked = sum(a["acked"] for a in result["actions"].values())
    refused = sum(sum(a["refused"].values()) for a in result["actions"].values())
    seconds = window.seconds(start, end)
    loader = window.per_pid("loader", start, end)
    busiest = 100 * max(loader.values(), default=0.0) / seconds
    joined_mark = "actions" if "actions" in window.rss else "drained"  # RSS once every client has joined
    out = {
        "result": result,
        "acked": acked,
        "refused": refused,
        "window_s": seconds,
        "server_cpu_s": window.spent("server", start, end),
        "server_cpu_pct": 100 * window.spent("server", start, end) / seconds,
        "loader_cpu_pct": busiest,
        "loader_cpu_total_pct": 100 * sum(loader.values()) / seconds,
        "loader_processes": len(loader),
        "loader_bound": busiest > LOADER_BOUND_PCT,
        # the loader's cost per message received, whole run after the joins (what the client library costs)
        "loader_us_per_message": 1e6
        * sum(window.per_pid("loader", start, "drained").values())
        / max(1, result["messages_delivered"]),
        "mem_per_conn_kib": (window.rss[joined_mark] - window.rss["connecting"]) / max(1, result["joined"]),
        "rss_mib": window.rss[joined_mark] / 1024,
    }
    for group in ("server", "postgres", "redis"):
        if group == "server" or group in window.cpu[start]:
            spent = window.spent(group, start, end)
            out[f"{group}_ms_per_action"] = 1000 * spent / acked if acked else float("nan")
            out[f"{group}_cpu_s"] = spent
    return out


def bare_command(kind: str, port: int) -> list[str]:
    """node: bench/loader/bare_server.js (socket.io 4, plain frames); bare / bare-plain: bench/bare_server.py
    (Flask-SocketIO, gevent) as it comes (frames compressed when offered) / declining compression as the app."""
    if kind == "node":
        return ["node", str(NODE_SERVER), "--port", str(port)]
    cmd = [sys.executable, str(HERE / "bare_server.py"), "--mode", "gevent", "--port", str(port)]
    return cmd + (["--plain-frames"] if kind == "bare-plain" else [])


def run_bare(
    kind: str, clients: int, seconds: float, workdir: Path, load: Load | None = None, scenario: str | None = None
) -> dict:
    """A bare room server (no database, no auth: one broadcast per action) driven by the loader."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / f"{kind}-{scenario or 'load'}-{clients}.log"
    with server(bare_command(kind, port), dict(os.environ), log, url + "/socket.io/?EIO=4&transport=polling") as proc:
        window = Window(proc.pid)
        extra: dict[str, Any] = {"clients": [{} for _ in range(clients)]}
        if scenario:
            extra["scenario"] = scenario
        if scenario == "storm":
            extra["stormSeconds"] = seconds  # connects spread evenly over `seconds`, no actions
        result = run_loader(loader_config("bare", url, seconds, extra, load), window, [], seconds + 300)
    return summarise(result, window, clients, *marks(scenario))


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
    load: Load | None = None,
    processes: int = 1,
) -> tuple[dict, Any]:
    """The app on its own migrated database with N seeded residents, driven by the loader: its summary, and
    what `read(seeded)` finds in the database afterwards. `prepare(app, seeded)` adds to the loader's config
    (a scenario and what it needs) before the server starts. The database is dropped at the end.

    `processes` > 1 starts that many app processes as production runs them (docs/deploy.md): one database,
    one Redis message queue, one SECRET_KEY and SERVER_URL, each on its own port; client k talks to process
    k mod `processes` (sticky, as nginx's ip_hash keeps a client on one process). The summary then has each
    process's CPU apart (`processes_cpu_s`); `server_*` is the first process's."""
    database = f"{live_seed.DB_PREFIX}_{os.getpid()}_{name}_{clients}"
    ports = [free_port() for _ in range(processes)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    env = live_seed.app_env(database, secrets.token_hex(32), ports[0])
    live_seed.create_database(database)
    try:
        live_seed.migrate(env)
        live_seed.forget_rate_limits()
        with live_seed.bench_app(env) as app:
            seeded = live_seed.seed(app, clients)
            if prepare:
                seeded.update(prepare(app, seeded))
            if processes > 1:
                for k, spec in enumerate(seeded["clients"]):
                    spec["url"] = urls[k % processes]
            log = workdir / f"{name}-{clients}.log"
            with contextlib.ExitStack() as stack:
                procs = []
                for n, port in enumerate(ports):
                    each = {**env, "PORT": str(port)}  # SERVER_URL stays the first's: one site, one origin
                    cmd = [sys.executable, "-m", "debate"]
                    started = server(cmd, each, log.with_suffix(f".{n}.log"), urls[n] + "/sessions")
                    procs.append(stack.enter_context(started))
                proc = procs[0]
                groups = {"postgres": live_seed.backend_pids(database), "redis": live_seed.redis_pid()}
                if processes > 1:
                    groups["processes"] = [p.pid for p in procs]
                window = Window(proc.pid, groups)
                original_mark = window.mark
                start, _ = marks(seeded.get("scenario"))

                def mark(phase: str) -> None:
                    # backends come and go with each pool: sampled at every mark (a new one counts from zero)
                    window.extra_pids["postgres"] = live_seed.backend_pids(database)
                    if phase == start and profile:
                        spies.append(start_profile(proc.pid, profile / f"{name}-{clients}.txt", seconds))
                    original_mark(phase)

                window.mark = mark  # type: ignore[method-assign]
                config = loader_config("app", urls[0], seconds, seeded, load)
                spies: list[subprocess.Popen] = []
                result = run_loader(config, window, [], seconds + 300)
                for spy in spies:
                    spy.wait(timeout=60)
                found = read(seeded)
        out = summarise(result, window, clients, *marks(seeded.get("scenario")))
        if processes > 1:
            out["processes_cpu_s"] = list(window.per_pid("processes", *marks(seeded.get("scenario"))).values())
        out["log"] = str(log)
        return out, found
    finally:
        with contextlib.suppress(Exception):
            live_seed.drop_database(database)


def compare_with_database(out: dict, expected: dict) -> dict:
    state = out["result"]["state"] or {}
    out["db_questions"] = len(expected)
    out["db_mismatches"] = sum(1 for qid in set(expected) | set(state) if expected.get(qid) != state.get(qid))
    return out


def run_app(clients: int, seconds: float, workdir: Path, profile: Path | None = None, load: Load | None = None) -> dict:
    out, expected = drive_app(
        clients,
        seconds,
        workdir,
        profile,
        read=lambda seeded: live_seed.database_state(seeded["session_id"]),
        load=load,
    )
    return compare_with_database(out, expected)


def run_server(kind: str, n: int, seconds: float, workdir: Path, load: Load, profile: Path | None = None) -> dict:
    if kind == "app":
        return run_app(n, seconds, workdir, profile, load)
    return run_bare(kind, n, seconds, workdir, load)


def measure(
    sizes: list[int],
    seconds: float,
    profile: Path | None = None,
    load: Load | None = None,
    servers: tuple[str, ...] = ("app", "node", "bare-plain"),
) -> dict[int, dict[str, dict]]:
    """For each N, each server in turn (the same load): {N: {server: its summary}}."""
    why = check_loader()
    if why:
        raise SystemExit(f"live_load: {why}")
    load = load or Load()
    runs: dict[int, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="live-load-") as tmp:
        for n in sizes:
            runs[n] = {}
            for kind in servers:
                print(f"live_load: N={n}: {kind}", file=sys.stderr, flush=True)
                runs[n][kind] = run_server(kind, n, seconds, Path(tmp), load, profile)
    return runs


def render(
    runs: dict[int, dict[str, dict]], seconds: float, argv: list[str], load: Load | None = None, goal: bool = False
) -> str:
    load = load or Load()
    command = "python bench/live_load.py " + shlex.join(argv)
    title = "at the goal load (issue 17)" if goal else "today's load (issue 7)"
    lines = [
        f"## Live session load, {title}: the app against bare Node socket.io and bare Flask-SocketIO",
        "",
        f"    {command.strip()}",
        "",
        f"Settings: N residents in one session; {load.ask_rate:g} questions and {load.vote_rate:g} votes a second "
        f"for {seconds:g} s after every client joined; the loader (bench/loader/loader.js) runs its clients in "
        f"{load.workers} worker processes ({CLIENT_NAMES[load.client]}) "
        "coordinated by one more. App: `python -m debate` (gevent) on PostgreSQL with REDIS_URL (message queue "
        "and rate limits, on), LIVE_FLUSH_MS default (200: vote counts at once after a quiet spell, else "
        "coalesced in that window, as each votes event says), a session that is not pre-moderated, "
        f"{live_seed.SEEDED_QUESTIONS} open questions at the start. **Node**: `bench/loader/bare_server.js`, "
        "socket.io 4.8.3 with plain frames (perMessageDeflate off, its default). **Bare, plain frames**: "
        "`bench/bare_server.py` (Flask-SocketIO, gevent) declining websocket compression as the app does "
        "(`debate/realtime/frames.py`). **Bare as it comes** (when run): the same compressing every frame for "
        "every recipient that offers permessage-deflate. Bare servers: one broadcast per action, no database, "
        "no message queue.",
        "",
        DEFINITIONS,
        "",
    ]
    for n, by_server in runs.items():
        lines += live_tables.table(n, by_server)
    lines += live_tables.goal_verdicts(runs) if goal else live_tables.verdicts(runs)
    return "\n".join(lines)


DEFINITIONS = (
    "Definitions: **fan-out** = client receipt time minus the `at` stamp in the event envelope (the app "
    "stamps when it numbers the event, inside the transaction, so commit, Redis and delivery are all "
    "included; the bare servers stamp just before their emit); one sample per client per event. **To room** "
    "= the action sent until a client has it in its state, one sample per action and client; the app's "
    "votes are coalesced under load, so that figure includes any LIVE_FLUSH_MS wait. **Lost**: numbers after a "
    "client's join that never arrived by broadcast (missed) and that it still lacked at the end after "
    "filling gaps (unrecovered). **CPU per action**: the server process's utime + stime over the action "
    "window divided by the actions acked; the app's PostgreSQL backends (of its database) and the Redis "
    "server (shared with other users of this machine) are shown apart. **Memory per connection**: the "
    "server's RSS once every client has joined minus its RSS before the first connected, over N, the same "
    "for every server. **Loader CPU**: the busiest loader process's share of a core over the window, and "
    f"all its processes together; a run where one passed {LOADER_BOUND_PCT:.0f} % is marked "
    "*loader-bound: not trustworthy*. The machine is shared: compare the columns of one run, not runs."
)


def measure_one(which: str, n: int, seconds: float, profile: Path | None = None, load: Load | None = None) -> dict:
    """One server only, while fixing: its summary (without the room state) for a quick look or a profile."""
    with tempfile.TemporaryDirectory(prefix="live-load-") as tmp:
        one = run_server(which, n, seconds, Path(tmp), load or Load(), profile)
    one["result"].pop("state", None)
    return one


def add_loader_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", choices=["raw", "socket.io-client"], default="raw", help="the loader's client")
    parser.add_argument("--workers", type=int, default=2, help="loader worker processes (1 to 8)")


def report(argv: list[str] | None = None) -> str:
    """The Markdown section for bench/RESULTS.md (bench/run_all.py calls this)."""
    argv = list(argv or [])
    parser = argparse.ArgumentParser(prog="live_load.py", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,1000", help="comma-separated N (at most 1000 each)")
    parser.add_argument("--seconds", type=float, default=25.0, help="action window after every client joined")
    parser.add_argument("--ask-rate", type=float, default=None, help=f"questions a second (default {ASK_RATE:g})")
    parser.add_argument("--vote-rate", type=float, default=None, help=f"votes a second (default {VOTE_RATE:g})")
    parser.add_argument(
        "--goal", action="store_true", help="issue 17's goal load: 1000 residents, 5 questions + 50 votes a second"
    )
    parser.add_argument("--servers", default="app,node,bare-plain", help=f"comma-separated, of {', '.join(SERVERS)}")
    parser.add_argument("--quick", action="store_true", help="100 clients for 8 s: a smoke run, not figures")
    parser.add_argument("--profile", type=Path, help="folder for py-spy profiles of the app over the window")
    parser.add_argument("--only", choices=SERVERS, help="one server, JSON out (while fixing)")
    add_loader_options(parser)
    args = parser.parse_args(argv)
    clients = "1000" if args.goal and "--clients" not in argv else args.clients
    sizes = [100] if args.quick else [int(n) for n in clients.split(",") if n.strip()]
    seconds = 8.0 if args.quick else args.seconds
    if not sizes or any(n < 2 or n > 1000 for n in sizes):
        raise SystemExit("--clients: each N must be between 2 and 1000")
    servers = tuple(s for s in args.servers.split(",") if s)
    if not servers or any(s not in SERVERS for s in servers):
        raise SystemExit(f"--servers: of {', '.join(SERVERS)}")
    rates = (GOAL_ASK_RATE, GOAL_VOTE_RATE) if args.goal else (ASK_RATE, VOTE_RATE)
    load = Load(args.ask_rate or rates[0], args.vote_rate or rates[1], args.client, args.workers)
    if args.only:
        return json.dumps(
            [measure_one(args.only, n, seconds, args.profile, load) for n in sizes], indent=1, default=str
        )
    return render(measure(sizes, seconds, args.profile, load, servers), seconds, argv, load, goal=args.goal)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
