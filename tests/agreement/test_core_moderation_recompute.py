"""Statements through the moderation gate, and the round's coalesced background recomputation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.errors import NotFound
from debate.extensions import db
from debate.models.agreement import AgreementRound
from debate.models.moderation import ReviewItem
from debate.services import recompute
from debate.services.agreement import analysis, results, statements, voting
from debate.services.moderation import decisions as moderation_decisions
from tests.conftest import PASSWORD


def _item(statement) -> ReviewItem:
    return db.session.scalar(
        select(ReviewItem).where(
            ReviewItem.content_type == "agreement_statement", ReviewItem.content_id == statement.id
        )
    )


def _page(app, user, round_) -> str:
    browser = app.test_client()
    assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return browser.get(f"/rounds/{round_.id}").get_data(as_text=True)


def test_a_held_statement_is_shown_only_to_its_author_until_a_moderator_approves_it(app, make_round, people):
    made = make_round()  # the default policy: a new account's first posts wait for review
    held = statements.add_statement(people["alice"], made, "Close the high street to cars on Saturdays.")
    assert held.state == "held"
    (mine,) = statements.mine(people["alice"], made)
    assert statements.state_label(mine) == "Waiting for a moderator to review it"
    assert statements.reason(mine)  # the engine's reason, for the author
    assert held.id not in {s.id for s in statements.public(made)}
    for _ in range(3):
        shown = voting.next_statement(people["bob"], made)
        assert shown.id != held.id
        voting.vote(people["bob"], made, shown.id, "agree")
    assert voting.next_statement(people["bob"], made) is None
    with pytest.raises(NotFound):
        voting.vote(people["bob"], made, held.id, "agree")
    assert "Close the high street" not in _page(app, people["bob"], made)
    page = _page(app, people["alice"], made)
    assert "Close the high street" in page and "Waiting for a moderator to review it" in page
    before = db.session.get(AgreementRound, made.id).changes
    moderation_decisions.decide(people["moderator"], _item(held).id, "approve")
    db.session.refresh(held)
    assert held.is_public and statements.reason(held) == ""
    assert voting.next_statement(people["bob"], made).id == held.id
    assert voting.vote(people["bob"], made, held.id, "disagree").choice == "disagree"
    db.session.expire_all()
    assert db.session.get(AgreementRound, made.id).changes == before + 2  # the approval, then the vote


def test_a_hidden_statement_tells_its_author_the_category(app, make_round, people, forum_policy):
    made = make_round()
    posted = statements.add_statement(people["alice"], made, "Buy my cheap watches at this address.")
    assert posted.is_public
    voting.vote(people["bob"], made, posted.id, "disagree")
    moderation_decisions.decide(people["moderator"], _flagged(posted, people).id, "hide", "spam", "Advert")
    db.session.refresh(posted)
    assert statements.state_label(posted) == "Hidden by a moderator"
    assert statements.reason(posted) == "Spam"
    assert posted.id not in {s.id for s in statements.public(made)}
    assert voting.progress(people["bob"], made) == (0, 3)  # a hidden statement's vote no longer counts
    assert posted.id not in results.votes_of(made.id).statements


def _flagged(statement, people) -> ReviewItem:
    from debate.services.moderation import flags as moderation_flags

    moderation_flags.raise_flag(people["cara"], "agreement_statement", statement.id, "spam", "")
    return _item(statement)


@pytest.fixture
def by_hand(app, monkeypatch):
    """RECOMPUTE_MS > 0 as on the server, but no background loop: the test runs what is pending; each job
    call is counted."""
    calls: list[int] = []
    kind = recompute._kinds["agreement"]

    def counted(key: int) -> None:
        calls.append(key)
        kind.job(key)

    monkeypatch.setattr(recompute, "ensure_running", lambda app: None)
    monkeypatch.setitem(app.config, "RECOMPUTE_MS", 2000)
    monkeypatch.setitem(recompute._kinds, "agreement", recompute.Kind("agreement", counted, kind.stale))
    recompute._dirty.clear()
    yield calls
    recompute._dirty.clear()


def test_many_votes_make_one_recomputation_and_stale_finds_rounds_behind(app, make_round, people, make_user, by_hand):
    made = make_round()
    voters = [make_user() for _ in range(4)]
    for voter in voters:
        for statement in statements.public(made):
            voting.vote(voter, made, statement.id, "agree")
    assert by_hand == []  # a vote never waits for the analysis
    assert list(results.stale()) == [made.id]
    recompute.run_pending()
    assert by_hand == [made.id]  # twelve votes, one recomputation
    db.session.expire_all()
    stored = results.latest(made)
    current = db.session.get(AgreementRound, made.id)
    assert stored.changes == current.changes == current.computed_changes
    assert (stored.participants, stored.votes, stored.statements) == (4, 12, 3)
    assert stored.public["enough"] is False  # four voters: "not enough votes yet"
    assert list(results.stale()) == []
    recompute.run_pending()
    assert by_hand == [made.id]


def test_an_older_computation_never_overwrites_a_newer_result(app, make_round, people):
    made = make_round()
    empty = analysis.analyse(analysis.Votes.from_rows([]), analysis.KState(), 1)
    assert results.store(made.id, 10, empty, 5)
    assert not results.store(made.id, 7, empty, 99)  # computed from fewer changes: dropped
    assert not results.store(made.id, 10, empty, 99)  # the same changes again: the first stands
    db.session.expire_all()
    assert (results.latest(made).changes, results.latest(made).duration_ms) == (10, 5)
    assert results.store(made.id, 11, empty, 7)
