"""Run every production-path benchmark once and write bench/RESULTS.md.

    .venv/bin/python bench/run_all.py [--quick] [--out bench/RESULTS.md]

One command, so the figures in RESULTS.md can be reproduced exactly: the
live-session load (`live_load.py`: the app against bare Node socket.io and bare
Flask-SocketIO, driven by the Node loader) at today's load (2 questions and 10
votes a second, 100 and 1,000 residents) and at issue 17's goal load (5 + 50 a
second, 1,000 residents), the join storm and the capacity of one app process
against two (`live_scale.py`), a room answering a live poll
(`poll_load.py`: 1,000 residents within 10 s), the HTTP pages on a large dataset
(`http_pages.py`) and recomputing a round's opinion groups and a room's broad-support
order (`agreement_recompute.py`), and a round taking votes while its groups recompute
(`agreement_load.py`). The file starts with the machine and the command, because
figures from a shared 2-core machine mean nothing without them. Each part
runs even when another fails; a failure is written into the file, not hidden.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _version(command: list[str]) -> str:
    """First line a tool prints about its own version, or 'not found'."""
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "not found"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def machine() -> list[str]:
    """What the figures were measured on: hardware, software, code, and how busy the machine was."""
    commit = _version(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"])
    dirty = _version(["git", "-C", str(HERE.parent), "status", "--porcelain"])
    return [
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory_gib()}",
        f"- Load average when the run started: {_load()}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; Node {_version(['node', '--version'])}",
        f"- {_version(['psql', '--version'])}; {_version(['redis-server', '--version'])}",
        f"- Code: commit {commit}{' with uncommitted changes' if dirty != 'not found' else ''}",
    ]


def _part(title: str, run: Callable[[list[str]], str], argv: list[str]) -> tuple[str, float]:
    """One benchmark's Markdown section and how long it took; a failure becomes a section saying so."""
    started = time.monotonic()
    print(f"== {title} ({' '.join(argv) or 'defaults'})", file=sys.stderr, flush=True)
    try:
        body = run(argv)
    except Exception:  # noqa: BLE001 - a failed part is reported in the file, and the others still run
        body = f"## {title}\n\n**Failed:**\n\n```\n{traceback.format_exc()}```\n"
    return body.strip() + "\n", time.monotonic() - started


def run_capacity(argv: list[str]) -> str:
    """One app process with 1,000 residents against two with 500 each, at the goal load (its own section)."""
    import live_scale

    return live_scale.capacity_report(argv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not figures to quote")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--only", choices=["live", "goal", "storm", "capacity", "poll", "http", "agreement"], help="run one part"
    )
    args = parser.parse_args(argv)

    import agreement_load
    import agreement_recompute
    import http_pages
    import live_load
    import live_scale
    import poll_load

    extra = ["--quick"] if args.quick else []
    parts = [
        ("Live session load, today's load", lambda argv: live_load.report(["--clients", "100,1000", *argv]), "live"),
        ("Live session load, the goal load", lambda argv: live_load.report(["--goal", *argv]), "goal"),
        ("Join storm", lambda argv: live_scale.storm_report(argv), "storm"),
        ("Capacity: one process against two", run_capacity, "capacity"),
        ("Live poll", poll_load.report, "poll"),
        ("HTTP pages", http_pages.report, "http"),
        ("Where we agree: recomputation", agreement_recompute.report, "agreement"),
        ("Where we agree: votes while recomputing", agreement_load.report, "agreement"),
    ]
    command = "make bench" if not argv else "python bench/run_all.py " + shlex.join(argv)
    sections, timings = [], []
    for title, run, key in parts:
        if args.only and args.only != key:
            continue
        body, seconds = _part(title, run, extra)
        sections.append(body)
        timings.append(f"{title}: {seconds / 60:.1f} min")
    header = [
        "# Benchmark results",
        "",
        "Written by `bench/run_all.py`; do not edit by hand. Reproduce with:",
        "",
        f"    {command}",
        "",
        "## Machine",
        "",
        *machine(),
        f"- Run time: {'; '.join(timings)}",
        "",
        "This machine is shared and noisy: read medians and the ratios measured in the same run.",
        "" if not args.quick else "\n**Quick run: small sizes, not figures to quote.**",
        "",
    ]
    args.out.write_text("\n".join(header) + "\n".join(sections))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
