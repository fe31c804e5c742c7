"""A member's votes and statements in "download my data"; deleting the account; an outcome citing a round."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, PermissionDenied
from debate.extensions import db
from debate.models.agreement import AgreementPlacement, AgreementRound, AgreementVote, Statement
from debate.models.forums import Thread
from debate.models.outcomes import Outcome
from debate.services import privacy
from debate.services.agreement import analysis, citing, results, statements, voting
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")


def _vote_all(user, round_, choice="agree") -> None:
    for statement in statements.public(round_):
        voting.vote(user, round_, statement.id, choice)


def test_download_my_data_has_the_votes_and_statements(app, make_round, people):
    made = make_round()
    _vote_all(people["alice"], made, "pass")
    statements.add_statement(people["alice"], made, "Keep the market on Thursdays.")
    data = privacy.export_user(people["alice"])["sections"]["agreement"]["data"]
    assert {v["choice"] for v in data["votes"]} == {"pass"} and len(data["votes"]) == 3
    assert [s["body"] for s in data["statements"]] == ["Keep the market on Thursdays."]
    assert privacy.export_user(people["bob"])["sections"]["agreement"]["data"] == {"votes": [], "statements": []}


@pytest.mark.parametrize("remove_content", [False, True])
def test_deleting_an_account_removes_its_votes_and_recomputes(app, make_round, people, remove_content):
    made = make_round()
    own = statements.add_statement(people["alice"], made, "Keep the market on Thursdays.")
    _vote_all(people["alice"], made)
    _vote_all(people["bob"], made, "disagree")
    db.session.add(AgreementPlacement(round_id=made.id, voter_id=people["alice"].id, group=0, x=0.0, y=0.0))
    db.session.commit()
    assert results.latest(made).participants == 2
    privacy.delete_user(people["alice"], password_ok=True, remove_content=remove_content)
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(AgreementVote).where(AgreementVote.voter_id == people["alice"].id)
        )
        == 0
    )
    assert db.session.scalar(select(func.count()).select_from(AgreementPlacement)) == 0
    counted = db.session.get(Statement, own.id)
    assert (counted.agree, counted.disagree) == (0, 1)  # only Bob's vote is left
    stored = results.latest(db.session.get(AgreementRound, made.id))
    assert stored.participants == 1  # recomputed once the deletion committed
    assert stored.changes == db.session.get(AgreementRound, made.id).changes
    if remove_content:
        assert (counted.body, counted.state) == ("", "withdrawn")
        assert stored.statements == 3
    else:
        assert counted.body == "Keep the market on Thursdays." and counted.is_public


def _enough(round_) -> list[int]:
    """A stored result with enough votes, its consensus order the round's statements newest first; a majority
    of both groups agrees with the first two, only Group A with the last. Returns the two the outcome cites."""
    order = sorted((s.id for s in statements.public(round_)), reverse=True)
    public = {"enough": True, "participants": 40, "clustered": 40, "statements": 3, "votes": 120, "k": 2}
    public["groups"] = [{"label": "A", "size": 25}, {"label": "B", "size": 15}]

    def result(statement_id: int, agree_b: int) -> dict:
        groups = [
            {"agree": 20, "disagree": 5, "pass": 0, "votes": 25, "p_agree": 0.78},
            {"agree": agree_b, "disagree": 15 - agree_b, "pass": 0, "votes": 15, "p_agree": (agree_b + 1) / 17},
        ]
        agree = 20 + agree_b
        return {
            "statement_id": statement_id,
            "agree": agree,
            "disagree": 40 - agree,
            "pass": 0,
            "votes": 40,
            "raw_agree": agree / 40,
            "consensus": 0.5,
            "groups": groups,
        }

    public["statement_results"] = [result(order[0], 12), result(order[1], 9), result(order[2], 3)]
    found = analysis.Analysis(public={**public, "consensus_order": order}, placements={}, k_state=analysis.KState())
    assert results.store(round_.id, 1000, found, 1)
    return order[:2]


@pytest.fixture
def outcome(app, people, topic):
    thread = Thread(topic_id=topic.id, author_id=people["bob"].id, title="Market days", body="Which days?")
    db.session.add(thread)
    db.session.flush()
    row = Outcome(thread_id=thread.id, author_id=people["admin"].id, heard="We heard you.", will_happen="A change.")
    db.session.add(row)
    db.session.commit()
    return row


def test_an_outcome_cites_the_rounds_consensus_statements(app, make_round, people, outcome):
    made = make_round()
    voting.vote(people["alice"], made, statements.public(made)[0].id, "agree")
    with pytest.raises(Conflict):
        citing.cite(people["moderator"], outcome.id, made.id)  # not enough votes yet
    order = _enough(made)
    with pytest.raises(PermissionDenied):
        citing.cite(people["alice"], outcome.id, made.id)
    citing.cite(people["moderator"], outcome.id, made.id)
    cited_round, shown = citing.cited(db.session.get(Outcome, outcome.id))
    assert cited_round.id == made.id and [s.id for s in shown] == order
    browser = app.test_client()
    page = browser.get(f"/outcomes/{outcome.id}").get_data(as_text=True)
    assert "What every group agreed on" in page
    assert all(s.body in page for s in shown)
    assert f"/rounds/{made.id}/results" in page


def test_the_cite_form_is_for_managers(app, make_round, people, outcome):
    made = make_round()
    _enough(made)
    browser = app.test_client()
    assert browser.post("/login", data={"email": people["alice"].email, "password": PASSWORD}).status_code == 302
    assert "Cite this round in an outcome" not in browser.get(f"/rounds/{made.id}").get_data(as_text=True)
    browser.post(f"/rounds/{made.id}/cite", data={"outcome_id": outcome.id})
    assert db.session.get(Outcome, outcome.id).agreement_round_id is None
    staff = app.test_client()
    assert staff.post("/login", data={"email": people["moderator"].email, "password": PASSWORD}).status_code == 302
    assert "Cite this round in an outcome" in staff.get(f"/rounds/{made.id}").get_data(as_text=True)
    assert staff.post(f"/rounds/{made.id}/cite", data={"outcome_id": outcome.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).agreement_round_id == made.id
