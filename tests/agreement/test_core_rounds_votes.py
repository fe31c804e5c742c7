"""Rounds, statements and votes through the services: who may do what, and every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.services.agreement import rounds, statements, voting
from debate.services.moderation import sanctions as moderation_sanctions
from tests.agreement.conftest import SEEDS


def _seeds(round_):
    return sorted(statements.public(round_), key=lambda s: s.id)


def test_staff_create_open_and_close_a_round(app, make_round, people):
    made = make_round(open_=False)
    assert made.state == AgreementRound.DRAFT
    assert [s.body for s in _seeds(made)] == list(SEEDS)
    assert all(s.is_seed and s.state == "published" for s in _seeds(made))
    with pytest.raises(NotFound):
        rounds.get_visible(made.id, people["alice"])  # a draft exists for staff only
    assert rounds.get_visible(made.id, people["admin"]).id == made.id
    assert rounds.for_topic(made.topic_id) == []
    rounds.open_round(people["admin"], made)
    assert made.state == AgreementRound.OPEN and rounds.taking_part(made)
    assert [r.id for r in rounds.for_topic(made.topic_id)] == [made.id]
    with pytest.raises(Conflict):
        rounds.open_round(people["admin"], made)
    rounds.close_round(people["moderator"], made)
    assert made.state == AgreementRound.CLOSED and not rounds.taking_part(made)
    with pytest.raises(Conflict):
        rounds.update_round(people["moderator"], made, question="Another question entirely?")


def test_residents_and_representatives_cannot_run_rounds(app, make_round, people, make_user, topic):
    made = make_round(open_=False)
    for user in (people["alice"], make_user(Role.REPRESENTATIVE)):
        assert not rounds.can_manage(user, made)
        with pytest.raises(PermissionDenied):
            rounds.create_round(user, topic_id=topic.id, question="Is this allowed for me?")
        with pytest.raises(PermissionDenied):
            rounds.open_round(user, made)
    assert db.session.scalar(select(func.count()).select_from(AgreementRound)) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "x" * 301}, "question"),
        ({"question": "Fine question?", "seed_statements": ["y" * 141]}, "seeds"),
        ({"question": "Fine question?", "seed_statements": ["Same", "same"]}, "seeds"),
    ],
)
def test_bad_rounds_are_refused_and_nothing_is_stored(app, people, topic, fields, field):
    with pytest.raises(ValidationError) as refused:
        rounds.create_round(people["moderator"], topic_id=topic.id, **fields)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AgreementRound)) == 0


def test_a_round_belongs_to_one_topic_or_one_thread(app, people, topic):
    with pytest.raises(ValidationError):
        rounds.create_round(people["moderator"], question="Neither topic nor thread?")
    with pytest.raises(NotFound):
        rounds.create_round(people["moderator"], topic_id=999_999, question="A missing topic?")


def test_a_vote_is_stored_counted_and_changeable(app, make_round, people):
    made = make_round()
    first = voting.next_statement(people["alice"], made)
    outcome = voting.vote(people["alice"], made, first.id, "agree")
    assert (outcome.choice, outcome.previous, outcome.changed) == ("agree", None, True)
    assert (outcome.statement.agree, outcome.statement.votes) == (1, 1)
    changed = voting.vote(people["alice"], made, first.id, "disagree")
    assert (changed.choice, changed.previous) == ("disagree", "agree")
    assert (changed.statement.agree, changed.statement.disagree) == (0, 1)
    again = voting.vote(people["alice"], made, first.id, "disagree")
    assert not again.changed
    db.session.refresh(made)
    assert made.changes == len(SEEDS) + 2  # the seeds, then a vote and its change (not the repeat)
    assert db.session.scalar(select(func.count()).select_from(AgreementVote)) == 1
    assert voting.progress(people["alice"], made) == (1, 3)
    assert voting.my_vote(people["alice"], first) == "disagree"


def test_next_statement_is_the_least_voted_then_the_newest_and_never_one_already_voted(app, make_round, people):
    made = make_round()
    oldest, middle, newest = _seeds(made)
    assert voting.next_statement(people["alice"], made).id == newest.id  # all unvoted: the newest
    voting.vote(people["bob"], made, newest.id, "agree")
    voting.vote(people["bob"], made, middle.id, "pass")
    voting.vote(people["cara"], made, newest.id, "pass")
    assert voting.next_statement(people["alice"], made).id == oldest.id  # 0 votes
    voting.vote(people["alice"], made, oldest.id, "agree")
    assert voting.next_statement(people["alice"], made).id == middle.id  # 1 vote, before newest's 2
    voting.vote(people["alice"], made, middle.id, "agree")
    voting.vote(people["alice"], made, newest.id, "agree")
    assert voting.next_statement(people["alice"], made) is None
    assert voting.progress(people["alice"], made) == (3, 3)


def test_authors_are_offered_their_own_statements(app, make_round, people, forum_policy):
    made = make_round(seeds=())
    own = statements.add_statement(people["alice"], made, "More benches by the river.")
    assert voting.next_statement(people["alice"], made).id == own.id


@pytest.mark.parametrize("choice", ["", "yes", "AGREE", None, 1, "agree "])
def test_a_bad_choice_is_refused(app, make_round, people, choice):
    made = make_round()
    with pytest.raises(ValidationError) as refused:
        voting.vote(people["alice"], made, _seeds(made)[0].id, choice)
    assert refused.value.field == "choice"
    assert db.session.scalar(select(func.count()).select_from(AgreementVote)) == 0


def test_votes_are_refused_on_a_closed_or_draft_round(app, make_round, people):
    draft = make_round(open_=False)
    with pytest.raises(Conflict):
        voting.vote(people["alice"], draft, _seeds(draft)[0].id, "agree")
    closed = make_round()
    rounds.close_round(people["moderator"], closed)
    with pytest.raises(Conflict):
        voting.vote(people["alice"], closed, _seeds(closed)[0].id, "agree")
    with pytest.raises(Conflict):
        statements.add_statement(people["alice"], closed, "Too late for this one.")
    assert db.session.scalar(select(func.count()).select_from(AgreementVote)) == 0


def test_votes_on_hidden_or_foreign_statements_are_refused(app, make_round, people):
    made, other = make_round(), make_round()
    hidden = _seeds(made)[0]
    hidden.state = "hidden"
    db.session.commit()
    for statement_id in (hidden.id, _seeds(other)[0].id, 0, -1, 2**40, "x", None):
        with pytest.raises(NotFound):
            voting.vote(people["alice"], made, statement_id, "agree")
    assert voting.progress(people["alice"], made) == (0, 2)


def test_signed_out_unverified_and_suspended_members_cannot_vote(app, make_round, people, make_user):
    made = make_round()
    statement = _seeds(made)[0]
    with pytest.raises(Exception) as signed_out:
        voting.vote(None, made, statement.id, "agree")
    assert signed_out.value.code == "login_required"
    with pytest.raises(PermissionDenied):
        voting.vote(make_user(verified=False), made, statement.id, "agree")
    moderation_sanctions.issue(people["moderator"], people["bob"].id, "suspension", "spam", "", "1d")
    with pytest.raises(PermissionDenied):
        voting.vote(people["bob"], made, statement.id, "agree")
    with pytest.raises(PermissionDenied):
        statements.add_statement(people["bob"], made, "Let me post anyway.")
    assert db.session.scalar(select(func.count()).select_from(AgreementVote)) == 0


def test_a_statement_over_140_characters_as_people_see_them_is_refused(app, make_round, people, forum_policy):
    made = make_round()
    thumb = "👍🏽"  # one character as people see it, two code points
    fits = statements.add_statement(people["alice"], made, thumb * 140)
    assert fits.is_public
    with pytest.raises(ValidationError) as refused:
        statements.add_statement(people["alice"], made, "a" * 141)
    assert refused.value.field == "body" and "141" in refused.value.message
    for empty in ("", "   ", None, 5):
        with pytest.raises(ValidationError):
            statements.add_statement(people["alice"], made, empty)
    assert len(statements.mine(people["alice"], made)) == 1


def test_a_replayed_submission_key_adds_one_statement(app, make_round, people, forum_policy):
    made = make_round()
    first = statements.add_statement(people["alice"], made, "Plant more trees.", "key-0123456789")
    again = statements.add_statement(people["alice"], made, "Plant more trees.", "key-0123456789")
    assert again.id == first.id
    other = statements.add_statement(people["alice"], made, "Plant more hedges.", "key-9876543210")
    assert other.id != first.id
    count = db.session.scalar(select(func.count()).select_from(Statement).where(Statement.is_seed.is_(False)))
    assert count == 2


def test_a_round_that_takes_no_statements_refuses_them(app, make_round, people, forum_policy):
    made = make_round(allow_statements=False)
    with pytest.raises(Conflict):
        statements.add_statement(people["alice"], made, "May I add one?")
