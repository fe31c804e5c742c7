"""The Markdown tables of bench/live_load.py: one per N (the app against bare Node and bare Flask-SocketIO), and
the verdicts of issue 7 (today's load) and issue 17 (the goal load)."""

from __future__ import annotations

import json
from collections.abc import Callable

TARGETS = {"p99_fanout_ms": 250.0, "clients": 1000}
GOAL = {"question_p99_ms": 150.0, "vote_p99_ms": 300.0, "join_p95_ms": 250.0, "kib_per_connection": 50.0}
GOAL["clients"] = 1000
NAMES = {"node": "bare Node", "bare-plain": "bare, plain frames", "bare": "bare as it comes"}
SHORT = {"node": "Node", "bare-plain": "plain", "bare": "bare"}
UNTRUSTED = "loader-bound: not trustworthy"


def fmt(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def ratio(app, bare) -> str:
    if not isinstance(app, int | float) or not isinstance(bare, int | float) or not bare:
        return "–"
    return f"{app / bare:.2f}×"


def latency(d: dict) -> str:
    """A loader summary's p50 / p95 / p99."""
    return f"{fmt(d['p50'])} / {fmt(d['p95'])} / {fmt(d['p99'])}"


def grid(headings: list[str], rows: list[tuple[str, Callable[[dict], str]]], runs: list[dict]) -> list[str]:
    """A Markdown table: one column per run under its heading, one row per (label, cell of a run)."""
    out = ["| | " + " | ".join(headings) + " |", "| --- " * (1 + len(headings)) + "|"]
    return out + [f"| {label} | " + " | ".join(cell(run) for run in runs) + " |" for label, cell in rows]


def _state(run: dict) -> str:
    if "db_mismatches" not in run:
        return "(no state)"
    r = run["result"]
    verdict = "yes" if run["db_mismatches"] == 0 and r["clients_differing_from_reference"] == 0 else "NO"
    return (
        f"{verdict} ({run['db_questions']} questions, {run['db_mismatches']} differ from the database; "
        f"{r['clients_differing_from_reference']} clients differ from the others)"
    )


# (row label, text of one run, the number compared across runs or None)
Row = tuple[str, Callable[[dict], str], Callable[[dict], float | None] | None]
ROWS: list[Row] = [
    ("clients joined", lambda x: f"{x['result']['joined']:,}", None),
    (
        "connect + join ack p50 / p95 ms",
        lambda x: f"{fmt(x['result']['connect_ms']['p50'])} / {fmt(x['result']['connect_ms']['p95'])}",
        lambda x: x["result"]["connect_ms"]["p95"],
    ),
    (
        "fan-out p50 / p95 / p99 ms",
        lambda x: latency(x["result"]["fanout_ms"]),
        lambda x: x["result"]["fanout_ms"]["p99"],
    ),
    ("deliveries measured", lambda x: f"{x['result']['fanout_ms']['n']:,}", lambda x: x["result"]["fanout_ms"]["n"]),
    (
        "event size p50 / max, bytes of JSON",
        lambda x: f"{fmt(x['result']['event_bytes']['p50'], 0)} / {fmt(x['result']['event_bytes']['max'], 0)}",
        lambda x: x["result"]["event_bytes"]["p50"],
    ),
    (
        "question to room p50 / p95 / p99 ms",
        lambda x: latency(x["result"]["to_room_ms"]["questions"]),
        lambda x: x["result"]["to_room_ms"]["questions"]["p99"],
    ),
    (
        "vote to room p50 / p95 / p99 ms",
        lambda x: latency(x["result"]["to_room_ms"]["votes"]),
        lambda x: x["result"]["to_room_ms"]["votes"]["p99"],
    ),
    (
        "messages lost: missed / unrecovered",
        lambda x: f"{x['result']['missed_broadcasts']} / {x['result']['unrecovered']}",
        None,
    ),
    ("final state = database", _state, None),
    ("actions acked / refused", lambda x: f"{x['acked']:,} / {x['refused']:,}", None),
    ("server CPU ms per action", lambda x: fmt(x["server_ms_per_action"], 2), lambda x: x["server_ms_per_action"]),
    ("server CPU % of a core", lambda x: fmt(x["server_cpu_pct"], 0), lambda x: x["server_cpu_pct"]),
    (
        "PostgreSQL CPU ms per action (its backends)",
        lambda x: fmt(x.get("postgres_ms_per_action"), 2),
        None,
    ),
    ("Redis CPU ms per action (whole server, shared)", lambda x: fmt(x.get("redis_ms_per_action"), 2), None),
    (
        "memory per connection KiB (RSS delta / N)",
        lambda x: fmt(x["mem_per_conn_kib"]),
        lambda x: x["mem_per_conn_kib"],
    ),
    ("loader CPU % of a core: busiest process / all", lambda x: loader_cpu(x), None),
]


def loader_cpu(run: dict) -> str:
    text = f"{fmt(run['loader_cpu_pct'], 0)} / {fmt(run.get('loader_cpu_total_pct'), 0)}"
    return text + (f" (**{UNTRUSTED}**)" if run.get("loader_bound") else "")


def untrusted(*runs: dict) -> str:
    """What a verdict says when a run it rests on was loader-bound."""
    return f" (**{UNTRUSTED}**)" if any(r.get("loader_bound") for r in runs) else ""


def table(n: int, runs: dict[str, dict]) -> list[str]:
    """The app against each bare server that ran, with the ratio app/server beside each."""
    app = runs["app"]
    others = [k for k in ("node", "bare-plain", "bare") if k in runs]
    head = "| | app | " + " | ".join(f"{NAMES[k]} | app/{SHORT[k]}" for k in others) + " |"
    out = [f"### {n:,} residents", "", head, "| --- " * (2 + 2 * len(others)) + "|"]
    for label, text, number in ROWS:
        cells = [text(app)]
        for k in others:
            cells += [text(runs[k]), ratio(number(app), number(runs[k])) if number is not None else ""]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    refusals = {k: v["refused"] for k, v in app["result"]["actions"].items() if v["refused"]}
    if refusals:
        samples = json.dumps(app["result"]["refusal_samples"][:3])
        out += ["", f"App refusals: `{json.dumps(refusals)}`; samples: `{samples}`"]
    return out + [""]


def _lost(app: dict) -> int:
    r = app["result"]
    return r["missed_broadcasts"] + r["unrecovered"] + app["db_mismatches"] + r["clients_differing_from_reference"]


def verdicts(runs: dict[int, dict[str, dict]]) -> list[str]:
    """One line per issue 7 target. The targets are stated for 1,000 residents: judged on the largest N run
    (loss on every N); the CPU ratios of the smaller rooms are listed beside it, not hidden."""
    biggest = max(runs)
    app, base = runs[biggest]["app"], runs[biggest].get("bare-plain") or runs[biggest].get("bare")
    a = app["result"]
    p99 = a["fanout_ms"]["p99"]
    lost = sum(_lost(r["app"]) for r in runs.values())
    cpu = app["server_ms_per_action"]

    def met(ok: bool, any_size: bool = False) -> str:
        """A run smaller than the targets' size shows its figures without judging them (loss: at any size)."""
        if biggest < TARGETS["clients"] and not any_size:
            return "not judged"
        return "met" if ok else "**NOT met**"

    lines = [
        "### Verdict per target (issue 7)",
        "",
        *(
            [f"The targets are for {TARGETS['clients']:,} residents; this run stopped at {biggest:,}.", ""]
            if biggest < TARGETS["clients"]
            else []
        ),
        f"- {TARGETS['clients']:,} residents in one session: {met(a['joined'] >= TARGETS['clients'])} "
        f"({a['joined']:,} joined at N = {biggest:,}).",
        f"- p99 fan-out at most {TARGETS['p99_fanout_ms']:.0f} ms: "
        f"{met(p99 is not None and p99 <= TARGETS['p99_fanout_ms'])} ({fmt(p99)} ms at N = {biggest:,})"
        f"{untrusted(app)}.",
        "- Zero loss (every client has every event after its join; final state = database; all clients agree), "
        f"every N: {met(lost == 0, any_size=True)}.",
    ]
    if base is not None:
        others = ", ".join(
            f"{ratio(r['app']['server_ms_per_action'], r[k]['server_ms_per_action'])} at N = {n:,}"
            for n, r in runs.items()
            for k in ("bare-plain", "bare")
            if n != biggest and k in r and r[k] is not None
        )
        lines.append(
            f"- Server CPU per action no higher than bare Flask-SocketIO's, at N = {biggest:,}: "
            f"{met(cpu <= base['server_ms_per_action'])} ({ratio(cpu, base['server_ms_per_action'])})"
            f"{untrusted(app, base)}. "
            + (f"Smaller rooms: {others}. " if others else "")
            + "The app process only; PostgreSQL and Redis are shown apart."
        )
    return lines + [""]


def goal_verdicts(runs: dict[int, dict[str, dict]], storm: dict[str, dict] | None = None) -> list[str]:
    """One line per issue 17 target at the goal load, the app against bare Node in the same run."""
    n = max(runs)
    app, node = runs[n]["app"], runs[n].get("node")
    a = app["result"]
    judged = n >= GOAL["clients"]

    def met(ok: bool) -> str:
        return ("met" if ok else "**NOT met**") if judged else "not judged"

    q99, v99 = a["to_room_ms"]["questions"]["p99"], a["to_room_ms"]["votes"]["p99"]
    kib = app["mem_per_conn_kib"]
    lines = ["### Verdict per target (issue 17, the goal load)", ""]
    if not judged:
        lines += [f"The targets are for {GOAL['clients']:,} residents; this run had {n:,}.", ""]
    if node is not None:
        cpu, ref = app["server_ms_per_action"], node["server_ms_per_action"]
        lines.append(
            f"- Server CPU per action at most bare Node's: {met(cpu <= ref)} ({fmt(cpu, 2)} against {fmt(ref, 2)} "
            f"ms, {ratio(cpu, ref)}; the app's PostgreSQL {fmt(app.get('postgres_ms_per_action'), 2)} and Redis "
            f"{fmt(app.get('redis_ms_per_action'), 2)} ms per action apart){untrusted(app, node)}."
        )
    lines += [
        f"- Question to room p99 at most {GOAL['question_p99_ms']:.0f} ms: "
        f"{met(q99 is not None and q99 <= GOAL['question_p99_ms'])} ({fmt(q99)} ms"
        + (f"; Node {fmt(node['result']['to_room_ms']['questions']['p99'])}" if node else "")
        + f"){untrusted(app)}.",
        f"- Vote to room p99 at most {GOAL['vote_p99_ms']:.0f} ms, coalescing included: "
        f"{met(v99 is not None and v99 <= GOAL['vote_p99_ms'])} ({fmt(v99)} ms"
        + (f"; Node {fmt(node['result']['to_room_ms']['votes']['p99'])}" if node else "")
        + f"){untrusted(app)}.",
        f"- Memory per connection at most {GOAL['kib_per_connection']:.0f} KiB (RSS after join minus before, "
        f"over N): {met(kib <= GOAL['kib_per_connection'])} ({fmt(kib)} KiB"
        + (f"; Node {fmt(node['mem_per_conn_kib'])}" if node else "")
        + ").",
        f"- Zero loss, final state = database: {'met' if _lost(app) == 0 else '**NOT met**'} "
        f"({a['missed_broadcasts']} missed, {a['unrecovered']} unrecovered, {app['db_mismatches']} questions "
        f"differ from the database, {a['clients_differing_from_reference']} clients differ).",
    ]
    if storm and "app" in storm:
        p95 = storm["app"]["result"]["connect_ms"]["p95"]
        lines.append(
            f"- Join p95 at most {GOAL['join_p95_ms']:.0f} ms during the join storm: "
            f"{met(p95 is not None and p95 <= GOAL['join_p95_ms'])} ({fmt(p95)} ms){untrusted(storm['app'])}."
        )
    else:
        lines.append(f"- Join p95 at most {GOAL['join_p95_ms']:.0f} ms during the join storm: in its own section.")
    return lines + [""]
