"""A "Where do we agree?" round under load: the votes a second it takes while its groups recompute.

    .venv/bin/python bench/agreement_load.py [--clients 500] [--rate 50] [--seconds 20]
                                             [--voters 2000] [--statements 600] [--quick]

The app's production path as `live_load.py` runs it (`python -m debate` with gevent on its own
PostgreSQL database, REDIS_URL set, rate limits on). A round is seeded with `statements` statements
and the votes of `voters` synthetic residents in two blocs with noise (about 19 % of the cells: some
225,000 votes at 2,000 x 600, Bowling Green's 2018 scale), and its groups are computed once. Then the
Node loader's `clients` signed-in residents vote over `agree:vote` at `rate` votes a second (open
loop: on schedule whether or not the last was acked) for `seconds`, each vote a random client on a
random statement, while the server recomputes the groups every RECOMPUTE_MS (1,000 ms) in the
background. The same run with RECOMPUTE_MS=-1 (no recomputation) is the baseline.

Reported for each: votes acked a second, ack latency p50 / p95 / p99 / max, votes stored against
votes acked, and the recomputations the window saw (sampled from the stored result every 200 ms:
how many, and their durations).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import live_load  # noqa: E402 - beside this file
from live_tables import fmt  # noqa: E402

BLOC_SHARE = 0.65  # the larger bloc's share of the synthetic voters
DENSITY = 0.19  # the share of (voter, statement) cells voted on


def seed_round(app, seeded: dict, voters: int, statements: int) -> dict:
    """An open round on a topic with `statements` statements and `voters` synthetic voters' votes."""
    import numpy as np
    from sqlalchemy import insert, select, text, update

    from debate.extensions import db
    from debate.models import Topic, User
    from debate.models.agreement import AgreementRound, AgreementVote, Statement
    from debate.models.base import utcnow
    from debate.services.agreement import results, rounds

    host = db.session.scalar(select(User).where(User.email == "r0@bench.example"))  # live_seed's admin host
    topic = Topic(title="Benchmark topic", slug="bench-topic", description="")
    db.session.add(topic)
    db.session.commit()
    created = rounds.create_round(host, topic_id=topic.id, question="What should the council do next?")
    rounds.open_round(host, created)
    now = utcnow()
    statement_rows = [
        {"round_id": created.id, "author_id": host.id, "body": f"Statement number {n}", "is_seed": True}
        for n in range(statements)
    ]
    statement_ids = list(
        db.session.scalars(insert(Statement).returning(Statement.id, sort_by_parameter_order=True), statement_rows)
    )
    voter_rows = [
        {
            "display_name": f"Voter {n}",
            "email": f"v{n}@bench.example",
            "password_hash": "!",
            "role": "resident",
            "email_verified_at": now,
            "created_at": now,
        }
        for n in range(voters)
    ]
    voter_ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), voter_rows))
    rng = np.random.default_rng(2018)
    leaning = np.where(rng.random(statements) < 0.5, 0.8, 0.2)  # how likely bloc A agrees with each statement
    bloc_a = rng.random(voters) < BLOC_SHARE
    voted = rng.random((voters, statements)) < DENSITY
    agree_a = rng.random((voters, statements)) < leaning[None, :]
    agree_b = rng.random((voters, statements)) < (1 - leaning)[None, :]
    agrees = np.where(bloc_a[:, None], agree_a, agree_b)
    choice = np.where(rng.random((voters, statements)) < 0.1, 0, np.where(agrees, 1, -1))
    rows, cols = np.nonzero(voted)
    votes = [
        {
            "round_id": created.id,
            "statement_id": statement_ids[c],
            "voter_id": voter_ids[r],
            "choice": int(choice[r, c]),
            "created_at": now,
            "updated_at": now,
        }
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    for start in range(0, len(votes), 20_000):
        db.session.execute(insert(AgreementVote), votes[start : start + 20_000])
    db.session.execute(
        update(AgreementRound).where(AgreementRound.id == created.id).values(changes=len(votes) + statements)
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))  # as autovacuum would have by the time a round is this large
    db.session.commit()
    started = time.perf_counter()
    results.recompute(created.id)
    first = time.perf_counter() - started
    return {"round_id": created.id, "statements": statement_ids, "seed_votes": len(votes), "first_compute_s": first}


class Sampler:
    """Reads the round's stored result every 200 ms during the run: which recomputations happened."""

    def __init__(self, app, round_id: int) -> None:
        self.app, self.round_id = app, round_id
        self.seen: dict[str, int] = {}  # computed_at -> duration_ms
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        from sqlalchemy import select

        from debate.extensions import db
        from debate.models.agreement import AgreementResult

        with self.app.app_context():
            while not self.stop.wait(0.2):
                row = db.session.execute(
                    select(AgreementResult.computed_at, AgreementResult.duration_ms).where(
                        AgreementResult.round_id == self.round_id
                    )
                ).first()
                db.session.rollback()
                if row:
                    self.seen.setdefault(row[0].isoformat(), int(row[1]))

    def finish(self) -> list[int]:
        self.stop.set()
        self.thread.join(timeout=5)
        return list(self.seen.values())


def stored_votes(round_id: int) -> int:
    from sqlalchemy import func, select

    from debate.extensions import db
    from debate.models.agreement import AgreementVote

    db.session.rollback()
    return int(db.session.scalar(select(func.count()).where(AgreementVote.round_id == round_id)) or 0)


def caught_up(round_id: int, wait_s: float) -> bool:
    """Whether the stored result comes to include every change (vote) within `wait_s` after the votes stop."""
    from debate.extensions import db
    from debate.models.agreement import AgreementRound

    deadline = time.monotonic() + wait_s
    while True:
        db.session.rollback()
        found = db.session.get(AgreementRound, round_id)
        if found.computed_changes >= found.changes:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def run_once(
    clients: int,
    rate: float,
    seconds: float,
    voters: int,
    statements: int,
    recompute_ms: int,
    profile: Path | None = None,
) -> dict:
    """One run (see the module's docstring) with the server recomputing every `recompute_ms` (-1: never)."""
    os.environ["RECOMPUTE_MS"] = str(recompute_ms)
    state: dict = {}

    def prepare(app, seeded: dict) -> dict:
        found = seed_round(app, seeded, voters, statements)
        state.update(found)
        state["sampler"] = Sampler(app, found["round_id"])
        return {"scenario": "agree", "round_id": found["round_id"], "statements": found["statements"], "voteRate": rate}

    def read(seeded: dict) -> dict:
        done = caught_up(state["round_id"], 30.0) if recompute_ms > 0 else None
        return {"stored": stored_votes(state["round_id"]), "recomputes_ms": state["sampler"].finish(), "done": done}

    try:
        with tempfile.TemporaryDirectory(prefix="agree-bench-") as tmp:
            out, found = live_load.drive_app(
                clients, seconds, Path(tmp), profile, f"agree{max(recompute_ms, 0)}", prepare, read
            )
    finally:
        os.environ.pop("RECOMPUTE_MS", None)
    result = out["result"]
    votes = result["actions"].get("vote", {"sent": 0, "acked": 0, "refused": {}})
    return {
        "recompute_ms": recompute_ms,
        "seed_votes": state["seed_votes"],
        "first_compute_s": round(state["first_compute_s"], 2),
        "joined": result["joined"],
        "sent": votes["sent"],
        "acked": votes["acked"],
        "refused": votes["refused"],
        "acked_per_s": round(votes["acked"] / result["window_s"], 1) if result["window_s"] else None,
        "latency_ms": result["to_room_ms"]["votes"],
        "stored": found["stored"],
        "recomputes": len(found["recomputes_ms"]) - 1,  # the first is the seed's own computation
        "recompute_ms_each": sorted(found["recomputes_ms"]),
        "caught_up": found["done"],
        "server_cpu_pct": round(out["server_cpu_pct"], 1),
    }


QUICK = {"clients": 20, "rate": 20.0, "seconds": 3.0, "voters": 60, "statements": 30}
FULL = {"clients": 500, "rate": 50.0, "seconds": 20.0, "voters": 2000, "statements": 600}


def measure(sizes: dict, intervals: tuple[int, ...] = (1000, -1)) -> list[dict]:
    return [run_once(**sizes, recompute_ms=ms) for ms in intervals]


def render(runs: list[dict], sizes: dict, argv: list[str]) -> str:
    """The Markdown section for bench/RESULTS.md."""
    lines = [
        "## Where we agree: votes while the groups recompute",
        "",
        f"    python bench/agreement_load.py {shlex.join(argv)}".rstrip(),
        "",
        f"A round of {sizes['statements']:,} statements seeded with {runs[0]['seed_votes']:,} votes of "
        f"{sizes['voters']:,} residents (first computation {runs[0]['first_compute_s']} s in the seeding "
        f"process); {sizes['clients']:,} signed-in clients then vote over `agree:vote` at {fmt(sizes['rate'])} "
        f"votes a second for {fmt(sizes['seconds'])} s (open loop). The same load with the groups recomputed "
        "every second in the background, and with no recomputation.",
        "",
        "| run | votes acked / sent | votes a second | ack p50 / p95 / p99 / max ms | recomputations in the run"
        " (fastest / slowest ms) | server CPU % |",
        "|---|---|---|---|---|---|",
    ]
    for r in runs:
        each = r["recompute_ms_each"]
        name = f"recomputing every {r['recompute_ms']} ms" if r["recompute_ms"] > 0 else "no recomputation"
        lat = "/".join(fmt(r["latency_ms"][k]) for k in ("p50", "p95", "p99", "max"))
        spread = f"{each[0]} / {each[-1]}" if each else "-"
        lines.append(
            f"| {name} | {r['acked']:,} / {r['sent']:,} | {fmt(r['acked_per_s'])} | {lat} |"
            f" {r['recomputes']} ({spread}) | {fmt(r['server_cpu_pct'])} |"
        )
    on = [r for r in runs if r["recompute_ms"] > 0]
    if on:
        done = "yes" if on[0]["caught_up"] else "NO"
        lines += ["", f"- The stored result caught up with every vote after the run: {done}."]
    return "\n".join(lines) + "\n"


def report(argv: list[str] | None = None) -> str:
    """The section for bench/RESULTS.md (bench/run_all.py calls this)."""
    argv = list(argv or [])
    parser = argparse.ArgumentParser(prog="agreement_load.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run, to check the bench works")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    for name, value in FULL.items():
        parser.add_argument(f"--{name}", type=type(value), default=value)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else {name: getattr(args, name) for name in FULL}
    runs = measure(sizes)
    return json.dumps(runs, indent=1) if args.json else render(runs, sizes, argv)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
