"""A live poll under load: N residents in one room answer a poll within a few seconds.

    .venv/bin/python bench/poll_load.py [--clients 1000] [--seconds 10] [--quick]

The app's production path as `live_load.py` runs it (`python -m debate` with
gevent on its own PostgreSQL database, REDIS_URL set, rate limits on, N
residents signed in by forged login rows and signed cookies), with a
single-choice poll of four options opened in the live session. The Node
loader (bench/loader/loader.js, `scenario: "poll"`) joins N clients; then
each answers once (`poll:answer`) at a random moment of a `--seconds` window,
as a room does when the host opens a poll, and every client keeps the poll's
results by the sequence rules of docs/realtime.md.

Reported: answers acked and stored (the database's count of answers against
the acks), the results every client ends with against the database's, p50 /
p95 / p99 from an answer sent until each client holds results that include it
(one sample per answer and client; `changes` in the ack and in the results
events says which answers a result includes), server CPU per answer (and the
PostgreSQL backends and Redis apart), and messages per answer: the numbered
events the room was sent over the window, and the messages every client
received, each divided by the answers (results are coalesced every
LIVE_FLUSH_MS, so both are far below one event per answer to every client).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import live_load  # noqa: E402 - beside this file
from live_tables import fmt, latency  # noqa: E402

OPTIONS = ("More buses in the evening", "Longer library hours", "Safer cycle lanes", "Cheaper parking")


def seed_poll(app, session_id: int) -> dict:
    """Open a single-choice poll in the session, as its host would: returns its id and option ids."""
    from debate.extensions import db
    from debate.models.live import LiveSession
    from debate.services.live import polls

    live = db.session.get(LiveSession, session_id)
    form = polls.PollForm(question="Which one change would help you most?", kind="single", options=list(OPTIONS))
    poll = polls.prepare(live.host, live.id, form)
    polls.open_poll(live.host, poll.id)
    return {"poll_id": poll.id, "poll_options": [o.id for o in poll.options]}


def database_results(poll_id: int) -> tuple[int, dict | None]:
    """The answers stored and the results everyone is shown, from the database."""
    from debate.extensions import db
    from debate.models.polls import Poll, PollAnswer
    from debate.services.live import poll_results

    db.session.rollback()
    poll = db.session.get(Poll, poll_id)
    stored = db.session.query(PollAnswer).filter_by(poll_id=poll_id).count()
    return stored, poll_results.plain(poll_results.results(poll))


def run_app(clients: int, seconds: float, workdir: Path, profile: Path | None = None) -> dict:
    def prepare(app, seeded: dict) -> dict:
        return {**seed_poll(app, seeded["session_id"]), "scenario": "poll"}

    out, (stored, expected) = live_load.drive_app(
        clients, seconds, workdir, profile, "poll", prepare, lambda seeded: database_results(seeded["poll_id"])
    )
    out["stored"] = stored
    out["db_results"] = expected
    out["state_matches"] = out["result"]["state"] == expected
    return out


def measure(clients: int, seconds: float, profile: Path | None = None) -> dict:
    why = live_load.check_loader()
    if why:
        raise SystemExit(f"poll_load: {why}")
    with tempfile.TemporaryDirectory(prefix="poll-load-") as tmp:
        print(f"poll_load: N={clients}: app", file=sys.stderr, flush=True)
        return run_app(clients, seconds, Path(tmp), profile)


def table(run: dict) -> list[str]:
    r = run["result"]
    acked = run["acked"]

    def count_per(n: int | None) -> str:
        return f"{fmt(n)} ({fmt(n / acked, 3) if acked and n is not None else '–'})"

    answered = r["actions"].get("answer", {"sent": 0, "refused": {}})
    lost = "yes" if run["stored"] == acked and r["unrecovered"] == 0 and r["to_room_ms"]["missing"] == 0 else "NO"
    same = "yes" if run["state_matches"] and r["clients_differing_from_reference"] == 0 else "NO"
    rows = [
        ("clients joined", f"{r['joined']:,}"),
        ("connect + join ack p50 / p95 ms", f"{fmt(r['connect_ms']['p50'])} / {fmt(r['connect_ms']['p95'])}"),
        ("answers sent / acked / refused", f"{answered['sent']:,} / {acked:,} / {run['refused']:,}"),
        ("answers stored in the database", f"{run['stored']:,}"),
        ("every answer stored and on every client", lost),
        ("answering window s", fmt(r["window_s"], 1)),
        ("answer to results on every client p50 / p95 / p99 ms", latency(r["to_room_ms"]["answers"])),
        ("samples (answers × clients)", f"{r['to_room_ms']['answers']['n']:,}"),
        ("final results on every client = database", same),
        ("numbered events over the window (per answer)", count_per(r["events_numbered"])),
        ("messages received by all clients (per answer)", count_per(r["messages_delivered"])),
        ("messages if one event per answer reached every client", f"{acked * r['joined']:,}"),
        ("server CPU ms per answer", fmt(run["server_ms_per_action"], 2)),
        ("PostgreSQL CPU ms per answer (its backends)", fmt(run.get("postgres_ms_per_action"), 2)),
        ("Redis CPU ms per answer (whole server, shared)", fmt(run.get("redis_ms_per_action"), 2)),
        ("server CPU % of a core", fmt(run["server_cpu_pct"], 0)),
        ("loader CPU % of a core", fmt(run["loader_cpu_pct"], 0)),
    ]
    return ["| | app |", "| --- | --- |", *[f"| {label} | {value} |" for label, value in rows], ""]


def render(run: dict, clients: int, seconds: float, argv: list[str]) -> str:
    command = "python bench/poll_load.py " + shlex.join(argv)
    return "\n".join(
        [
            "## A live poll: a room answers within seconds",
            "",
            f"    {command.strip()}",
            "",
            f"Settings: {clients:,} residents in one live session (the app as in the live load above: gevent, "
            "PostgreSQL, Redis message queue and rate limits on); a single-choice poll of four options is open; "
            f"each resident answers once (`poll:answer`) at a random moment of a {seconds:g} s window. "
            "**Answer to results** = the answer sent until a client holds results that include it (the ack's "
            "`changes` against the results event's), one sample per answer and client; results go out at once "
            "after a quiet spell, else coalesced every LIVE_FLUSH_MS (200 ms), so the figure includes that window. "
            "**Messages per answer**: the "
            "numbered events sent to the room over the window, and the messages all clients received, each "
            "divided by the answers acked.",
            "",
            *table(run),
        ]
    )


def report(argv: list[str] | None = None) -> str:
    """The Markdown section for bench/RESULTS.md (bench/run_all.py calls this)."""
    argv = list(argv or [])
    parser = argparse.ArgumentParser(prog="poll_load.py", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="residents in the room (2 to 1000)")
    parser.add_argument("--seconds", type=float, default=10.0, help="the window in which every resident answers")
    parser.add_argument("--quick", action="store_true", help="100 residents in 5 s: a smoke run, not figures")
    parser.add_argument("--profile", type=Path, help="folder for a py-spy profile of the app over the window")
    parser.add_argument("--json", action="store_true", help="print the raw summary (while fixing)")
    args = parser.parse_args(argv)
    clients, seconds = (100, 5.0) if args.quick else (args.clients, args.seconds)
    if not 2 <= clients <= 1000:
        raise SystemExit("--clients must be between 2 and 1000")
    run = measure(clients, seconds, args.profile)
    if args.json:
        run["result"].pop("state", None)
        return json.dumps(run, indent=1, default=str)
    return render(run, clients, seconds, argv)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
