"""Two more live figures of issue 17: a join storm, and capacity with two app processes.

    .venv/bin/python bench/live_scale.py storm [--clients 1000] [--spread 10] [--servers app,node,bare-plain]
    .venv/bin/python bench/live_scale.py capacity [--clients 1000] [--seconds 25]

**Join storm**: N residents start connecting at an even rate over `--spread` seconds (open loop: client k
starts at k x spread / N whether or not the earlier ones have joined, as a town hall's residents arrive),
no other action; connect + join ack p50/p95/p99 and the server's CPU over the storm, the app against bare
Node and bare Flask-SocketIO (plain frames). Target (issue 17): the app's join p95 at most 250 ms.

**Capacity**: the goal load (5 questions + 50 votes a second) on one app process with N residents, then on
TWO app processes with N/2 each, as docs/deploy.md runs them (one database, one Redis message queue, one
SECRET_KEY and SERVER_URL; each client stays on one process): CPU per action of each process, Redis CPU
per numbered event (the message queue carries each event, vote flushes included, once to every
process), PostgreSQL apart, question and vote to room latency, loss, and final state = database.
Uses live_load.py's servers, seeding and loader; the same environment (BENCH_PG, BENCH_REDIS_URL,
BENCH_DB_PREFIX).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import live_load  # noqa: E402 - beside this file
import live_seed  # noqa: E402
import live_tables  # noqa: E402
from live_tables import GOAL, fmt, ratio, untrusted  # noqa: E402

STORM_SERVERS = ("app", "node", "bare-plain")


# --- the join storm ------------------------------------------------------------------------------------


def storm_one(kind: str, clients: int, spread: float, workdir: Path, load: live_load.Load) -> dict:
    if kind != "app":
        return live_load.run_bare(kind, clients, spread, workdir, load, scenario="storm")
    out, _ = live_load.drive_app(
        clients,
        spread,
        workdir,
        None,
        name="storm",
        prepare=lambda app, seeded: {"scenario": "storm", "stormSeconds": spread},
        load=load,
    )
    return out


def storm(clients: int, spread: float, servers: tuple[str, ...], load: live_load.Load) -> dict[str, dict]:
    why = live_load.check_loader()
    if why:
        raise SystemExit(f"live_scale: {why}")
    runs = {}
    with tempfile.TemporaryDirectory(prefix="live-storm-") as tmp:
        for kind in servers:
            print(f"live_scale: join storm, N={clients}: {kind}", file=sys.stderr, flush=True)
            runs[kind] = storm_one(kind, clients, spread, Path(tmp), load)
    return runs


def _ms_per_join(run: dict) -> float:
    return 1000 * run["server_cpu_s"] / max(1, run["result"]["joined"])


def render_storm(runs: dict[str, dict], clients: int, spread: float, argv: list[str]) -> str:
    names = {"app": "app", "node": "bare Node", "bare-plain": "bare Flask-SocketIO, plain frames", "bare": "bare"}
    kinds = list(runs)
    rows = [
        ("clients joined / connect errors", lambda r: f"{r['result']['joined']:,} / {r['result']['connect_errors']}"),
        (
            "connect + join ack p50 / p95 / p99 / max ms",
            lambda r: " / ".join(fmt(r["result"]["connect_ms"][k]) for k in ("p50", "p95", "p99", "max")),
        ),
        (
            "join p95 ratio app / this",
            lambda r: (
                ratio(runs["app"]["result"]["connect_ms"]["p95"], r["result"]["connect_ms"]["p95"])
                if "app" in runs
                else "–"
            ),
        ),
        (
            "server CPU s over the storm (ms per join)",
            lambda r: f"{fmt(r['server_cpu_s'], 2)} ({fmt(_ms_per_join(r), 2)})",
        ),
        ("server CPU % of a core over the storm", lambda r: fmt(r["server_cpu_pct"], 0)),
        ("PostgreSQL CPU s over the storm", lambda r: fmt(r.get("postgres_cpu_s"), 2)),
        ("memory per connection KiB", lambda r: fmt(r["mem_per_conn_kib"])),
        ("loader CPU % of a core: busiest / all", lambda r: live_tables.loader_cpu(r)),
    ]
    lines = [
        "## Join storm: residents arriving at a session",
        "",
        f"    python bench/live_scale.py {shlex.join(argv)}".rstrip(),
        "",
        f"{clients:,} residents start connecting at an even rate over {spread:g} s (open loop: client k starts at "
        f"k × {spread:g} s / {clients:,}, whether or not the earlier ones have joined), while no other action "
        "runs. **Connect + join ack**: from a client's start until its join is acknowledged (app: `live:join` "
        "with the room's snapshot; bare: `bench:join`). Server CPU between the first start and the last join.",
        "",
        *live_tables.grid([names[k] for k in kinds], rows, [runs[k] for k in kinds]),
    ]
    if "app" in runs:
        p95 = runs["app"]["result"]["connect_ms"]["p95"]
        judged = clients >= GOAL["clients"]
        note = f"; the target is for {GOAL['clients']:,} residents"
        verdict = (
            ("met" if p95 is not None and p95 <= GOAL["join_p95_ms"] else "**NOT met**") if judged else "not judged"
        )
        lines += [
            "",
            f"- Join p95 at most {GOAL['join_p95_ms']:.0f} ms for the app during the join storm: {verdict} "
            f"({fmt(p95)} ms{'' if judged else note})"
            f"{untrusted(runs['app'])}.",
        ]
    return "\n".join(lines) + "\n"


def storm_report(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="live_scale.py storm")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=10.0, help="seconds over which connects start")
    parser.add_argument("--servers", default=",".join(STORM_SERVERS))
    parser.add_argument("--quick", action="store_true", help="100 residents over 2 s: a smoke run")
    live_load.add_loader_options(parser)
    args = parser.parse_args(argv)
    clients, spread = (100, 2.0) if args.quick else (args.clients, args.spread)
    if not 2 <= clients <= 1000:
        raise SystemExit("--clients must be between 2 and 1000")
    load = live_load.Load(client=args.client, workers=args.workers)
    servers = tuple(s for s in args.servers.split(",") if s)
    return render_storm(storm(clients, spread, servers, load), clients, spread, ["storm", *argv])


# --- capacity: one process against two -------------------------------------------------------------------


def capacity_one(processes: int, clients: int, seconds: float, workdir: Path, load: live_load.Load) -> dict:
    out, expected = live_load.drive_app(
        clients,
        seconds,
        workdir,
        None,
        name=f"cap{processes}",
        read=lambda seeded: live_seed.database_state(seeded["session_id"]),
        load=load,
        processes=processes,
    )
    out = live_load.compare_with_database(out, expected)
    out["processes"] = processes
    out.setdefault("processes_cpu_s", [out["server_cpu_s"]])
    return out


def capacity(clients: int, seconds: float, load: live_load.Load) -> list[dict]:
    why = live_load.check_loader()
    if why:
        raise SystemExit(f"live_scale: {why}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="live-capacity-") as tmp:
        for processes in (1, 2):
            print(f"live_scale: capacity, N={clients}, {processes} process(es)", file=sys.stderr, flush=True)
            runs.append(capacity_one(processes, clients, seconds, Path(tmp), load))
    return runs


def _per_action(run: dict) -> str:
    acked = max(1, run["acked"])
    each = [fmt(1000 * s / acked, 2) for s in run["processes_cpu_s"]]
    total = 1000 * sum(run["processes_cpu_s"]) / acked
    return " + ".join(each) + (f" = {fmt(total, 2)}" if len(each) > 1 else "")


def _per_event(run: dict, group: str) -> str:
    events = run["result"]["events_numbered"]
    spent = run.get(f"{group}_cpu_s")
    return fmt(1000 * spent / events, 2) if events and spent is not None else "–"


def render_capacity(runs: list[dict], clients: int, seconds: float, load: live_load.Load, argv: list[str]) -> str:
    def lat(r: dict, kind: str) -> str:
        return live_tables.latency(r["result"]["to_room_ms"][kind])

    def state(r: dict) -> str:
        a = r["result"]
        lost = a["missed_broadcasts"] + a["unrecovered"]
        same = r["db_mismatches"] == 0 and a["clients_differing_from_reference"] == 0
        return f"{lost} lost; {'yes' if same else 'NO'} ({r['db_mismatches']} questions differ)"

    rows = [
        ("residents per process", lambda r: f"{clients // r['processes']:,}"),
        ("clients joined", lambda r: f"{r['result']['joined']:,}"),
        ("actions acked / refused", lambda r: f"{r['acked']:,} / {r['refused']:,}"),
        ("server CPU ms per action, each process (sum)", _per_action),
        ("server CPU % of a core, busiest process", lambda r: fmt(100 * max(r["processes_cpu_s"]) / r["window_s"], 0)),
        ("numbered events over the window", lambda r: fmt(r["result"]["events_numbered"])),
        ("Redis CPU ms per numbered event (whole server)", lambda r: _per_event(r, "redis")),
        ("Redis CPU ms per action", lambda r: fmt(r.get("redis_ms_per_action"), 2)),
        ("PostgreSQL CPU ms per action", lambda r: fmt(r.get("postgres_ms_per_action"), 2)),
        ("question to room p50 / p95 / p99 ms", lambda r: lat(r, "questions")),
        ("vote to room p50 / p95 / p99 ms", lambda r: lat(r, "votes")),
        (
            "fan-out p50 / p99 ms",
            lambda r: f"{fmt(r['result']['fanout_ms']['p50'])} / {fmt(r['result']['fanout_ms']['p99'])}",
        ),
        ("loss; final state = database", state),
        ("loader CPU % of a core: busiest / all", lambda r: live_tables.loader_cpu(r)),
    ]
    lines = [
        "## Capacity: one app process against two",
        "",
        f"    python bench/live_scale.py {shlex.join(argv)}".rstrip(),
        "",
        f"The goal load ({load.ask_rate:g} questions and {load.vote_rate:g} votes a second for {seconds:g} s) on "
        f"one app process with {clients:,} residents, then on two app processes with {clients // 2:,} each, as "
        "docs/deploy.md runs several: one PostgreSQL database, one Redis message queue (REDIS_URL), one "
        "SECRET_KEY and SERVER_URL, each process on its own port; resident k talks to process k mod 2 all "
        "along (sticky, as nginx's ip_hash). Every event goes through Redis to every process, which delivers "
        "it to its own sockets. **Redis per numbered event**: the Redis server's CPU over the window over the "
        "events numbered (questions, coalesced vote flushes and the rest). Both processes share this "
        "machine's 2 cores with PostgreSQL, Redis and the loader, so two processes show the cost of the split, "
        "not the capacity of two machines.",
        "",
        *live_tables.grid(["one process", "two processes"], rows, runs),
    ]
    return "\n".join(lines) + "\n"


def capacity_report(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="live_scale.py capacity")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--quick", action="store_true", help="100 residents for 8 s: a smoke run")
    live_load.add_loader_options(parser)
    args = parser.parse_args(argv)
    clients, seconds = (100, 8.0) if args.quick else (args.clients, args.seconds)
    if not 4 <= clients <= 1000:
        raise SystemExit("--clients must be between 4 and 1000")
    load = live_load.Load(live_load.GOAL_ASK_RATE, live_load.GOAL_VOTE_RATE, args.client, args.workers)
    return render_capacity(capacity(clients, seconds, load), clients, seconds, load, ["capacity", *argv])


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("storm", "capacity"):
        raise SystemExit(__doc__)
    run = storm_report if sys.argv[1] == "storm" else capacity_report
    print(run(sys.argv[2:]))


if __name__ == "__main__":
    main()
