"""bench/http_pages.py still runs end to end (a tiny dataset on SQLite, a real server), so the benchmark cannot rot.

The figures themselves are not judged here: timings live in bench/, never in tests.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_report_has_a_row_of_figures_for_every_page(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "bench")  # the bench's apps set it; put back what was there afterwards
    sys.path.insert(0, str(BENCH))
    try:
        import http_pages
    finally:
        sys.path.remove(str(BENCH))

    report = http_pages.report(["--dataset", "tiny", "--backend", "sqlite", "--runs", "2", "--warmup", "1", "--quiet"])

    assert report.startswith("## HTTP pages with a large dataset")
    assert "Command: `python bench/http_pages.py --dataset tiny" in report
    assert "through a real server process" in report
    rows = {
        match[0]: match[1:]
        for match in re.findall(
            r"^\| (.+?) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| (\d+) \| ([\d.]+) \|$", report, re.MULTILINE
        )
    }
    labels = [page.label for page in http_pages.pages(_ids())]
    assert sorted(rows) == sorted(labels)
    for label, (p50, p95, small, large, cpu) in rows.items():
        assert 0 < float(p50) <= float(p95), label
        assert int(small) > 0 and int(large) > 0, label
        assert float(cpu) > 0, label  # the server did work for it
    assert re.search(r"^- (every page|over target|queries grow)", report, re.MULTILINE)


def _ids() -> dict:
    """Any ids: the labels do not depend on them."""
    keys = ("big_thread", "reply", "topic", "live_session", "ended_session", "councillor")
    return dict.fromkeys(keys, 1) | {"thread_pages": 1, "topic_pages": 1}


def test_reuse_keeps_a_postgresql_dataset_of_the_same_sizes_and_generator(monkeypatch, tmp_path):
    """`--reuse` skips the ~2.5 minute build only for a database built with the same sizes and generator."""
    from dataclasses import replace

    from tests.conftest import POSTGRES_URL, postgres_reachable, skip_or_fail

    skip_or_fail(postgres_reachable())
    monkeypatch.setenv("SECRET_KEY", "bench")
    sys.path.insert(0, str(BENCH))
    try:
        import http_pages
    finally:
        sys.path.remove(str(BENCH))
    url = POSTGRES_URL + "_http_reuse"
    try:
        built = http_pages.make("postgresql", http_pages.TINY, "", tmp_path, url)
        http_pages._dispose(built)
        kept = http_pages.make("postgresql", http_pages.TINY, "", tmp_path, url, reuse=True)
        http_pages._dispose(kept)
        assert not built.reused and kept.reused and kept.ids == built.ids

        monkeypatch.setattr(http_pages, "DATASET_REVISION", http_pages.DATASET_REVISION + 1)
        newer = http_pages.make("postgresql", http_pages.TINY, "", tmp_path, url, reuse=True)
        http_pages._dispose(newer)
        other = http_pages.make("postgresql", replace(http_pages.TINY, threads=41), "", tmp_path, url, reuse=True)
        http_pages._dispose(other)
        assert not newer.reused and not other.reused
    finally:
        http_pages._drop_postgres(url)
