"""Recomputing a round's opinion groups, and a live room's bridging order: how long it takes here.

    .venv/bin/python bench/agreement_recompute.py [--runs 7] [--quick] [--json]

Pure computation, no server and no database: what `results.recompute` and the broad-support order
spend in numpy and scikit-learn, through `offload.run` as the server runs them (one BLAS/OpenMP
thread, so the other core stays with the server).

Rounds are synthetic but shaped like real ones: three opinion groups of 50, 30 and 20 % of the
voters; a statement is either divisive (one group agrees, the others mostly not), common ground
(every group mostly agrees) or noise (a coin toss); a voter votes on a heavy-tailed number of
statements (many vote on a few, some on most), older statements more often, passing one time in
ten. Sizes: 2,000 voters × 600 statements with about 225,000 votes (Bowling Green's 2018 Pol.is
conversation) and 1,000 × 300 at the same density. Timed, median of `--runs` runs:

- **matrix**: `Votes.from_rows` on the (voter, statement, choice) rows the database gives;
- **analyse**: `analyse` (PCA, k-means for 2 to 5 groups with silhouettes, consensus, repness);
- **bridging**: `bridging.scores` for a live room of 1,000 voters and 300 questions (two blocs of
  60 and 40 %, every question on the list for every voter: the densest matrix a room makes).

Also shown, as a check that the figures are for a working computation: the groups found and how
well they match the planted ones (adjusted Rand index, 1 = exactly).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from live_tables import fmt  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from debate.services import offload  # noqa: E402
from debate.services.agreement.analysis import KState, Votes, analyse  # noqa: E402
from debate.services.live import bridging  # noqa: E402

SEED = 2018
GROUP_SHARES = (0.5, 0.3, 0.2)
PASS_SHARE = 0.1


@dataclass(frozen=True)
class Size:
    label: str
    voters: int
    statements: int
    votes: int
    target_s: float | None


ROUNDS = (
    Size("Bowling Green scale", 2000, 600, 225_000, 10.0),
    Size("1,000 × 300", 1000, 300, 56_250, 2.0),
)
ROOM = (1000, 300)  # bridging: voters × questions
QUICK_ROUNDS = (Size("quick", 120, 40, 1_800, None),)
QUICK_ROOM = (60, 40)


def synthetic_round(size: Size, seed: int = SEED) -> tuple[list[tuple[int, int, int]], np.ndarray]:
    """(voter, statement, choice) rows with opinion structure, and each voter's planted group."""
    rng = np.random.default_rng(seed)
    planted = rng.choice(len(GROUP_SHARES), size=size.voters, p=GROUP_SHARES)
    agree = _statement_leanings(rng, size.statements)  # (groups, statements): chance of agreeing
    per_voter = _votes_per_voter(rng, size)
    popularity = np.linspace(2.0, 0.0, size.statements)  # older statements are seen by more voters
    keys = popularity[None, :] + rng.gumbel(size=(size.voters, size.statements))  # weighted draw, no repeats
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    voted = ranks < per_voter[:, None]
    draw = rng.random((size.voters, size.statements))
    choice = np.where(draw < PASS_SHARE, 0, np.where(rng.random(draw.shape) < agree[planted], 1, -1))
    rows_at, columns_at = np.nonzero(voted)
    rows = list(zip(rows_at.tolist(), columns_at.tolist(), choice[rows_at, columns_at].tolist(), strict=True))
    return rows, planted


def _statement_leanings(rng: np.random.Generator, statements: int) -> np.ndarray:
    groups = len(GROUP_SHARES)
    kind = rng.choice(3, size=statements, p=(0.6, 0.2, 0.2))  # divisive, common ground, noise
    leaning = np.full((groups, statements), 0.15)
    leaning[rng.integers(groups, size=statements), np.arange(statements)] = 0.85
    leaning[:, kind == 1] = 0.8
    leaning[:, kind == 2] = 0.5
    return leaning


def _votes_per_voter(rng: np.random.Generator, size: Size) -> np.ndarray:
    """Heavy-tailed, clipped to 1..statements, scaled so the round has about `size.votes` votes."""
    raw = rng.lognormal(mean=0.0, sigma=1.0, size=size.voters)
    counts = raw
    for _ in range(5):  # clipping the heaviest voters loses votes: scale the rest up again
        counts = np.clip(np.round(counts * size.votes / counts.sum()), 1, size.statements)
    return counts.astype(int)


def synthetic_room(
    voters: int, questions: int, upvotes_each: float = 15.0, seed: int = SEED
) -> tuple[list[tuple[int, int]], dict[int, range]]:
    """A live room's upvotes: blocs of 60 and 40 %, each mostly upvoting its own half of the questions,
    and every tenth question drawing upvotes from both; about `upvotes_each` upvotes per voter."""
    rng = np.random.default_rng(seed)
    bloc = rng.random(voters) < 0.6
    half = max(questions // 2, 1)
    own_half = (np.arange(questions) < half)[None, :] == bloc[:, None]
    bridge = (np.arange(questions) % 10 == 0)[None, :]
    chance = np.where(own_half, 0.75, 0.1) * upvotes_each / half + bridge * 1.5 * upvotes_each / questions
    voter_at, question_at = np.nonzero(rng.random((voters, questions)) < np.minimum(chance, 0.9))
    upvotes = list(zip(voter_at.tolist(), question_at.tolist(), strict=True))
    return upvotes, {v: range(questions) for v in range(voters)}


def _timed(work: Callable[[], Any], runs: int) -> tuple[dict[str, float], Any]:
    """Wall-clock seconds of `runs` runs (median, min, max) and the median CPU seconds of this process."""
    seconds, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = offload.run(work)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    spread = {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds), "runs": runs}
    return spread | {"cpu_median": statistics.median(cpu)}, result


def measure_round(size: Size, runs: int) -> dict[str, Any]:
    rows, planted = synthetic_round(size)
    matrix_s, votes = _timed(lambda: Votes.from_rows(rows), runs)
    analyse_s, result = _timed(lambda: analyse(votes, KState(), SEED), runs)
    placed = sorted(result.placements)
    found = [result.placements[v].group for v in placed]
    per_voter = np.count_nonzero(~np.isnan(votes.values), axis=1)
    return {
        "label": size.label,
        "voters": size.voters,
        "statements": size.statements,
        "votes": len(rows),
        "votes_per_voter_median": float(np.median(per_voter)),
        "matrix_s": matrix_s,
        "analyse_s": analyse_s,
        "total_median_s": matrix_s["median"] + analyse_s["median"],
        "target_s": size.target_s,
        "enough": result.public["enough"],
        "clustered": result.public["clustered"],
        "k": result.public["k"],
        "silhouette": result.public["silhouette"],
        "group_sizes": [g["size"] for g in result.public["groups"]],
        "adjusted_rand": float(adjusted_rand_score(planted[placed], found)) if placed else None,
    }


def measure_room(voters: int, questions: int, runs: int) -> dict[str, Any]:
    upvotes, seen = synthetic_room(voters, questions)
    seconds, result = _timed(lambda: bridging.scores(upvotes, seen), runs)
    return {
        "voters": voters,
        "questions": questions,
        "upvotes": len(upvotes),
        "bridging_s": seconds,
        "counted_voters": result.voters,
        "scored_questions": result.questions,
        "fallback": result.fallback,
    }


def measure(rounds: tuple[Size, ...], room: tuple[int, int], runs: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    out = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": runs,
        "rounds": [measure_round(size, runs) for size in rounds],
        "room": measure_room(*room, runs),
    }
    out["load_before"], out["load_after"] = list(load_before), list(os.getloadavg())
    return out


def _seconds(d: dict[str, float]) -> str:
    return f"{d['median']:.3f} ({d['min']:.3f}–{d['max']:.3f}; CPU {d['cpu_median']:.3f})"


def _verdict(r: dict[str, Any]) -> str:
    if r["target_s"] is None:
        return "–"
    return f"{'met' if r['total_median_s'] < r['target_s'] else 'NOT MET'} (under {r['target_s']:g} s)"


def table(run: dict[str, Any]) -> list[str]:
    lines = [
        "| round | voters × statements | votes (median per voter) | matrix s | analyse s | total s | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in run["rounds"]:
        lines.append(
            f"| {r['label']} | {r['voters']:,} × {r['statements']:,}"
            f" | {r['votes']:,} ({fmt(r['votes_per_voter_median'], 0)})"
            f" | {_seconds(r['matrix_s'])} | {_seconds(r['analyse_s'])} | {r['total_median_s']:.3f} | {_verdict(r)} |"
        )
    lines += ["", "| round | placed voters | groups (sizes) | silhouette | planted groups recovered (adjusted Rand) |"]
    lines.append("| --- | ---: | --- | ---: | ---: |")
    for r in run["rounds"]:
        sizes = ", ".join(f"{n:,}" for n in r["group_sizes"]) or "none"
        lines.append(
            f"| {r['label']} | {r['clustered']:,} | {r['k'] or 0} ({sizes}) | {fmt(r['silhouette'], 2)}"
            f" | {fmt(r['adjusted_rand'], 3)} |"
        )
    room = run["room"]
    lines += [
        "",
        "| live room | voters × questions | upvotes | bridging.scores s | voters counted | questions scored |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        f"| broad support | {room['voters']:,} × {room['questions']:,} | {room['upvotes']:,}"
        f" | {_seconds(room['bridging_s'])} | {room['counted_voters']:,} | {room['scored_questions']:,} |",
        "",
    ]
    return lines


def render(run: dict[str, Any], argv: list[str]) -> str:
    command = ("python bench/agreement_recompute.py " + shlex.join(argv)).strip()
    before, after = run["load_before"], run["load_after"]
    return "\n".join(
        [
            "## Where we agree: recomputing opinion groups and the broad-support order",
            "",
            f"    {command}",
            "",
            "Pure computation through `offload.run` as the server does it (one BLAS/OpenMP thread), no "
            "database: **matrix** = `Votes.from_rows` on the rows a query returns, **analyse** = PCA, k-means "
            "for 2 to 5 groups with silhouettes, consensus and representative statements; **bridging** = "
            "`bridging.scores` on a live room where every question was on every voter's list. Synthetic "
            "rounds with three planted opinion groups (50/30/20 %), heavy-tailed votes per voter, older "
            "statements voted more. Seconds: wall-clock median (min–max; CPU = the median CPU time of the "
            f"process, which a busy machine inflates less) of {run['runs']} runs. Measured {run['date']}; "
            f"load average {before[0]:.2f} before, {after[0]:.2f} after (1 min, 2 cores shared with other "
            "sessions).",
            "",
            *table(run),
        ]
    )


def report(argv: list[str] | None = None) -> str:
    """The Markdown section for bench/RESULTS.md (bench/run_all.py calls this)."""
    argv = list(argv or [])
    parser = argparse.ArgumentParser(prog="agreement_recompute.py", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (the median is shown), 5 or more")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 2 runs: a smoke run, not figures")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        run = measure(QUICK_ROUNDS, QUICK_ROOM, 2)
    else:
        if args.runs < 5:
            raise SystemExit("--runs must be at least 5")
        run = measure(ROUNDS, ROOM, args.runs)
    if args.json:
        return json.dumps(run, indent=1)
    return render(run, argv)


def main() -> None:
    print(report(sys.argv[1:]))


if __name__ == "__main__":
    main()
