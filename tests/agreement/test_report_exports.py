"""The report page and its CSV and JSON exports: what they carry, formulas defused, and nobody in them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models import Role
from debate.models.agreement import AgreementPlacement, Statement
from debate.services.agreement import report, results, rounds
from tests.agreement.pages_fixtures import C, P, Round70, build_round70
from tests.conftest import PASSWORD

PRIVATE_KEYS = {
    "voter",
    "voter_id",
    "voters",
    "author",
    "author_id",
    "user",
    "user_id",
    "placement",
    "placements",
    "email",
}


@pytest.fixture
def round70(app, topic, make_user) -> Round70:
    return build_round70(topic, make_user, PASSWORD)


def _keys(data: object) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def _csv_sections(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    facts_part, _blank, table_part = text.partition("\r\n\r\n")
    facts = {row[0]: row[1] for row in list(csv.reader(io.StringIO(facts_part)))[1:]}
    return facts, list(csv.DictReader(io.StringIO(table_part)))


def test_the_json_export_carries_the_round_counts_consensus_and_parameters(client, round70):
    data = client.get(f"/rounds/{round70.round.id}/report.json").get_json()
    assert data["round"]["question"] == "What should the town do next?"
    assert data["participation"]["participants"] == 103 and data["participation"]["clustered"] == 100
    assert data["participation"]["statements"] == 14
    assert [g["label"] for g in data["groups"]] == ["A", "B"]
    assert round70.statements[C] in data["consensus_statements"]
    assert round70.statements[P] not in data["consensus_statements"]
    assert set(data["representative"]) == {"A", "B"}
    assert data["params"]["min_votes"] == 7 and data["computed_at"].endswith("Z")
    texts = {row["statement_id"]: row for row in data["statements"]}
    assert texts[round70.statements[P]]["agree"] == 70 and texts[round70.statements[P]]["disagree"] == 30


def test_the_csv_has_the_facts_then_a_row_per_statement(client, round70):
    answer = client.get(f"/rounds/{round70.round.id}/report.csv")
    assert answer.mimetype == "text/csv" and "attachment" in answer.headers["Content-Disposition"]
    facts, rows = _csv_sections(answer.get_data(as_text=True))
    assert facts["round.question"] == "What should the town do next?"
    assert facts["participants"] == "103" and facts["param.min_votes"] == "7"
    assert len(rows) == 14
    p_row = next(row for row in rows if row["text"] == P)
    assert p_row["agree"] == "70" and p_row["majority_in_every_group"] == "False"
    assert {"group_A_agree", "group_B_votes", "represents"} <= set(rows[0])


def test_nobody_is_in_the_exports_or_the_report(client, round70):
    """No names, no account ids as such, no membership: only counts per group."""
    data = client.get(f"/rounds/{round70.round.id}/report.json").get_json()
    assert not (_keys(data) & PRIVATE_KEYS)
    everything = json.dumps(data) + client.get(f"/rounds/{round70.round.id}/report.csv").get_data(as_text=True)
    everything += client.get(f"/rounds/{round70.round.id}/report").get_data(as_text=True)
    for person in (*round70.bloc_a[:5], *round70.bloc_b[:5], round70.moderator):
        assert person.display_name not in everything and person.email not in everything
    placed = db.session.scalars(select(AgreementPlacement)).all()
    assert len(placed) == 100
    for spot in placed[:20]:
        assert f"{spot.x:.6f}" not in everything and f"{spot.y:.6f}" not in everything


def test_formulas_are_defused_in_the_csv(client, round70):
    hostile = rounds.add_seed_statement(round70.moderator, round70.round, '=HYPERLINK("http://x.example","click")')
    assert hostile.is_public
    voters = round70.bloc_a[:10]
    from debate.services.agreement import voting

    for voter in voters:
        voting.vote(voter, round70.round, hostile.id, "agree")
    results.recompute(round70.round.id)
    facts, rows = _csv_sections(client.get(f"/rounds/{round70.round.id}/report.csv").get_data(as_text=True))
    cell = next(row["text"] for row in rows if "HYPERLINK" in row["text"])
    assert cell.startswith("'=")
    assert report.defused(" +1") == "' +1" and report.defused(3) == 3


def test_the_report_page_lists_the_consensus_statements_and_counts(client, round70):
    html = client.get(f"/rounds/{round70.round.id}/report").get_data(as_text=True)
    start = html.index('id="consensus"')
    consensus = html[start : html.index("</section>", start)]
    assert C in consensus and P not in consensus
    assert "Statements rejected by moderation" in html and re.search(r"Group A: \d+ of \d+ agree", html)


def test_held_and_rejected_statements_are_counted(app, round70):
    for state in ("held", "held", "removed"):
        db.session.add(
            Statement(round_id=round70.round.id, author_id=round70.moderator.id, body=f"x {state}", state=state)
        )
    db.session.commit()
    assert report.moderation_counts(round70.round.id) == report.Moderation(held=2, rejected=1)


def test_a_draft_round_s_report_is_not_found_for_residents(client, login, app, topic, make_user):
    moderator = make_user(Role.MODERATOR)
    draft = rounds.create_round(moderator, topic_id=topic.id, question="A draft question?", seed_statements=())
    for suffix in ("", ".csv", ".json"):
        assert client.get(f"/rounds/{draft.id}/report{suffix}").status_code == 404
    login(make_user(Role.RESIDENT))
    assert client.get(f"/rounds/{draft.id}/results").status_code == 404


def test_before_any_result_the_report_says_not_enough(client, app, topic, make_user):
    moderator = make_user(Role.MODERATOR)
    created = rounds.create_round(moderator, topic_id=topic.id, question="Too early to say?", seed_statements=("One.",))
    rounds.open_round(moderator, created)
    assert "Not enough votes yet" in client.get(f"/rounds/{created.id}/report").get_data(as_text=True)
    data = client.get(f"/rounds/{created.id}/report.json").get_json()
    assert data["enough"] is False and data["consensus_statements"] == [] and data["statements"] == []
