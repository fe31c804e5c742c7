"""A round's report for representatives and policy, and its CSV and JSON exports.

Public wherever the round's results page is (an open or closed round; drafts only for those who manage them):
it carries what the results page shows, in full, plus counts. No names, no account ids and no group
membership: the statements are named by their id and their words, people only by how many they are. Below the
thresholds (or before the first computation) it says so, with the thresholds, and carries no order.

"Consensus statements" are the statements a majority of every group agrees with (more than half of each
group's votes on it agree), in the group-aware consensus order: the ones an outcome can cite as agreed across
the groups. A strict majority in a group is the same test as its smoothed chance of agreeing, (agree + 1) /
(votes + 2), being above one half.

The CSV is sectioned, so one file opens in a spreadsheet: a "field,value" section (the round, the dates, the
counts, the parameters), a blank row, then one row per statement with its raw counts overall and in each
group, its places in both orders and what it represents. Every text cell a spreadsheet would run as a
formula is kept as text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from debate.extensions import db
from debate.models.agreement import AgreementRound, Statement
from debate.services.agreement import pages, results, rounds
from debate.services.council_time import iso
from debate.services.live.export import FORMULA_STARTS

HELD_STATES = ("held", "flag_hidden")  # waiting for a moderator
REJECTED_STATES = ("hidden", "removed")  # refused or taken down by moderation


@dataclass(frozen=True)
class Moderation:
    """How many residents' statements moderation holds or has rejected (the public ones are in the results)."""

    held: int
    rejected: int


@dataclass(frozen=True)
class Report:
    round: AgreementRound
    where: pages.Subject
    results: pages.Results
    moderation: Moderation

    @property
    def consensus_statements(self) -> list[pages.Row]:
        return [row for row in self.results.consensus if row.every_group_majority]


def moderation_counts(round_id: int) -> Moderation:
    stmt = (
        select(Statement.state, func.count())
        .where(Statement.round_id == round_id, Statement.state.in_(HELD_STATES + REJECTED_STATES))
        .group_by(Statement.state)
    )
    counts = dict(db.session.execute(stmt).tuples().all())
    return Moderation(sum(counts.get(s, 0) for s in HELD_STATES), sum(counts.get(s, 0) for s in REJECTED_STATES))


def build(round_id: int, viewer: Any) -> Report:
    """The report of a round the viewer may see (NotFound otherwise)."""
    round_ = rounds.get_visible(round_id, viewer)
    shown = pages.of_result(round_, results.latest(round_))
    return Report(round_, pages.subject_of(round_), shown, moderation_counts(round_.id))


def _row(row: pages.Row, consensus_rank: dict[int, int], most_rank: dict[int, int]) -> dict[str, Any]:
    return {
        "statement_id": row.statement_id,
        "text": row.text,
        "consensus_rank": consensus_rank.get(row.statement_id),
        "most_agreed_rank": most_rank.get(row.statement_id),
        "consensus": row.consensus,
        "majority_in_every_group": row.every_group_majority,
        "agree": row.agree,
        "disagree": row.disagree,
        "pass": row.passes,
        "votes": row.votes,
        "groups": {share.label: {"agree": share.agree, "votes": share.votes} for share in row.groups},
    }


def as_data(report: Report) -> dict[str, Any]:
    """The report as plain data (the JSON export): everything public, nothing about any one person."""
    res = report.results
    round_ = report.round
    consensus_rank = {row.statement_id: n for n, row in enumerate(res.consensus, 1)}
    most_rank = {row.statement_id: n for n, row in enumerate(res.most_agreed, 1)}
    return {
        "round": {
            "id": round_.id,
            "question": round_.question,
            "question_cy": round_.question_cy,
            "description": round_.description,
            "description_cy": round_.description_cy,
            "on": report.where.title,
            "state": round_.state,
            "created_at": iso(round_.created_at),
            "opens_at": iso(round_.opens_at),
            "closes_at": iso(round_.closes_at),
        },
        "enough": res.enough,
        "thresholds": {"min_participants": res.thresholds.min_participants, "min_votes": res.thresholds.min_votes},
        "participation": {
            "participants": res.participants,
            "clustered": res.clustered,
            "statements": res.statements,
            "votes": res.votes,
            "statements_held": report.moderation.held,
            "statements_rejected": report.moderation.rejected,
        },
        "computed_at": iso(res.computed_at),
        "duration_ms": res.duration_ms,
        "groups": [{"label": g.label, "size": g.size} for g in res.groups],
        "consensus_statements": [row.statement_id for row in report.consensus_statements],
        "representative": {
            g.label: [
                {
                    "statement_id": r.row.statement_id,
                    "direction": r.direction,
                    "percent_group": r.p_group,
                    "percent_rest": r.p_rest,
                    "z": r.z,
                    "p_below": r.p_below,
                }
                for r in g.representative
            ]
            for g in res.groups
        },
        "statements": [_row(row, consensus_rank, most_rank) for row in res.consensus or res.most_agreed],
        "params": res.params,
    }


def to_json(report: Report) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2)


def defused(value: object) -> object:
    """A text cell a spreadsheet would run as a formula is kept as text; numbers pass as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _facts(data: dict[str, Any]) -> list[tuple[str, object]]:
    facts: list[tuple[str, object]] = [(f"round.{k}", v) for k, v in data["round"].items()]
    facts += [("enough", data["enough"]), ("computed_at", data["computed_at"]), ("duration_ms", data["duration_ms"])]
    facts += [(f"threshold.{k}", v) for k, v in data["thresholds"].items()]
    facts += [(k, v) for k, v in data["participation"].items()]
    facts += [(f"group.{g['label']}.size", g["size"]) for g in data["groups"]]
    facts += [(f"param.{k}", v) for k, v in data["params"].items()]
    return facts


def _represents(data: dict[str, Any]) -> dict[int, str]:
    """statement id -> "A agree z=9.1; B disagree z=3.0": what each statement represents, for its CSV row."""
    shown: dict[int, list[str]] = {}
    for label, items in data["representative"].items():
        for item in items:
            shown.setdefault(item["statement_id"], []).append(f"{label} {item['direction']} z={item['z']}")
    return {sid: "; ".join(parts) for sid, parts in shown.items()}


def to_csv(report: Report) -> str:
    data = as_data(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["field", "value"])
    for key, value in _facts(data):
        writer.writerow([key, defused("" if value is None else value)])
    writer.writerow([])
    labels = [g["label"] for g in data["groups"]]
    group_columns = [f"group_{label}_{what}" for label in labels for what in ("agree", "votes")]
    head = ["statement_id", "text", "consensus_rank", "most_agreed_rank", "consensus", "majority_in_every_group"]
    writer.writerow([*head, "agree", "disagree", "pass", "votes", *group_columns, "represents"])
    represents = _represents(data)
    for row in data["statements"]:
        cells = [row[k] for k in head] + [row["agree"], row["disagree"], row["pass"], row["votes"]]
        cells += [row["groups"].get(label, {}).get(what) for label in labels for what in ("agree", "votes")]
        writer.writerow([defused("" if c is None else c) for c in [*cells, represents.get(row["statement_id"], "")]])
    return out.getvalue()
