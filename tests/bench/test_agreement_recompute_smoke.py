"""The agreement benchmark still runs: tiny synthetic rounds and a tiny room, timed and reported.

Not a performance test (no timing is asserted): it keeps bench/agreement_recompute.py and the
analysis and bridging modules from drifting apart, and checks what must hold at any speed: the
synthetic round has opinion groups the analysis finds, the room is scored, and the report has its
figures.
"""

from __future__ import annotations

import json
import math
import sys

import pytest

from tests.bench.test_live_load_smoke import BENCH

sys.path.insert(0, str(BENCH))

import agreement_recompute  # noqa: E402 - beside the other benchmarks


def test_the_benchmark_measures_working_computations():
    size = agreement_recompute.Size("tiny", 90, 24, 1_400, 10.0)
    run = agreement_recompute.measure((size,), (40, 30), runs=2)
    (round_,) = run["rounds"]
    assert round_["voters"] == 90 and 0 < round_["votes"] <= 90 * 24
    assert round_["enough"] is True and round_["k"] in range(2, 6) and sum(round_["group_sizes"]) == round_["clustered"]
    assert round_["adjusted_rand"] > 0.3  # the planted groups are found, roughly
    assert round_["analyse_s"]["runs"] == 2
    room = run["room"]
    assert room["fallback"] is False and room["scored_questions"] > 0
    figures = [round_["matrix_s"]["median"], round_["analyse_s"]["median"], room["bridging_s"]["median"]]
    figures += [round_["analyse_s"]["cpu_median"], room["bridging_s"]["cpu_median"]]
    assert all(math.isfinite(x) and x > 0 for x in figures)
    json.dumps(run)
    text = agreement_recompute.render(run, [])
    assert "| tiny | 90 × 24 |" in text and "| broad support | 40 × 30 |" in text
    assert "met (under 10 s)" in text or "NOT MET" in text


def test_the_synthetic_round_is_seeded():
    size = agreement_recompute.Size("tiny", 30, 12, 200, None)
    assert agreement_recompute.synthetic_round(size)[0] == agreement_recompute.synthetic_round(size)[0]
    assert agreement_recompute.synthetic_room(20, 10) == agreement_recompute.synthetic_room(20, 10)


def test_too_few_runs_are_refused():
    with pytest.raises(SystemExit, match="at least 5"):
        agreement_recompute.report(["--runs", "3"])
