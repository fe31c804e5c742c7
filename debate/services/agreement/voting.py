"""Votes on a round's statements, and which statement a resident sees next.

One vote per (statement, voter): agree, disagree or pass, changeable while the round is open. Only
public statements of an open round take votes. A vote moves the statement's counters and the round's
`changes` in the same transaction (UPDATEs in SQL, so two votes at once both count), and after the
commit marks the round for recomputation (`recompute.mark`): the vote never waits for the analysis.

Which statement next: those this voter has not voted on, the least-voted first and, among equals, the
newest, so a new statement gets its first votes quickly (Pol.is does the same). Authors are offered
their own statements too, as Pol.is lets them vote on their own: their vote is then a choice they
make, not one assumed for them, and a resident with their own statement still sees the whole round.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.models.base import utcnow
from debate.permissions import Permission, require, signed_in
from debate.services import recompute
from debate.services.agreement import (
    results,  # noqa: F401 - registers the "agreement" recompute job
    rounds,
)
from debate.services.moderation import standing as moderation_standing

VOTE = ratelimit.limit(
    "agreement.vote",
    "120/minute",
    _l("You can vote on statements at most 120 times a minute. Please wait a moment and try again."),
)

CHOICES = AgreementVote.CHOICES  # "agree" 1, "disagree" -1, "pass" 0
COUNTERS = {AgreementVote.AGREE: "agree", AgreementVote.DISAGREE: "disagree", AgreementVote.PASS: "passes"}
NAMES = {value: name for name, value in CHOICES.items()}


@dataclass(frozen=True)
class VoteOutcome:
    """What a vote did: the statement, the choice now stored, the one before (None for a first vote)."""

    statement: Statement
    choice: str
    previous: str | None

    @property
    def changed(self) -> bool:
        return self.previous != self.choice


def clean_choice(value: object) -> int:
    if not isinstance(value, str) or value not in CHOICES:
        raise ValidationError(_("Choose agree, disagree or pass."), "choice")
    return CHOICES[value]


def check_vote(user: User | None, round: AgreementRound) -> None:
    """Raise why this person cannot vote in the round now (pages ask before showing the buttons)."""
    require(user, Permission.POST)
    assert user is not None  # require() refuses anyone not signed in
    rounds.require_taking_part(round)
    moderation_standing.require_capability(user, moderation.Capability.VOTE)


def public_statement(round: AgreementRound, statement_id: object) -> Statement:
    """A public statement of this round; anything else (held, hidden, another round's) is not found."""
    try:
        key = bounds.whole(statement_id)
    except (TypeError, ValueError):
        raise NotFound(_("That statement does not exist, or it was removed.")) from None
    row = db.session.get(Statement, key) if 0 < key <= bounds.INT_MAX else None
    if row is None or row.round_id != round.id or not row.is_public:
        raise NotFound(_("That statement does not exist, or it was removed."))
    return row


def vote(user: User, round: AgreementRound, statement_id: object, choice: object) -> VoteOutcome:
    """Store this person's vote on a statement, or change it."""
    check_vote(user, round)
    value = clean_choice(choice)
    statement = public_statement(round, statement_id)
    previous = _store(user, round, statement, value)
    if previous != value:
        _count(round, statement, previous, value)
    db.session.commit()
    if previous != value:
        recompute.mark("agreement", round.id)
    db.session.refresh(statement)
    return VoteOutcome(statement, NAMES[value], None if previous is None else NAMES[previous])


def _store(user: User, round: AgreementRound, statement: Statement, value: int) -> int | None:
    """Insert or update the vote; returns the choice it replaced (None when it is the first)."""
    row = _existing(user, statement)
    if row is None:
        row = AgreementVote(round_id=round.id, statement_id=statement.id, voter_id=user.id, choice=value)
        db.session.add(row)
        try:
            db.session.flush()
            return None
        except IntegrityError:
            # The same person's two votes at once: the other one is stored, so change it. This insert is the
            # transaction's first write (no savepoint needed), so rolling it back loses nothing else.
            db.session.rollback()
            row = _existing(user, statement)
            if row is None:
                raise Conflict(_("Your vote could not be saved. Please try again.")) from None
    previous = row.choice
    if previous != value:
        row.choice = value
        row.updated_at = utcnow()
    return previous


def _existing(user: User, statement: Statement) -> AgreementVote | None:
    return db.session.scalar(
        select(AgreementVote).where(AgreementVote.statement_id == statement.id, AgreementVote.voter_id == user.id)
    )


def _count(round: AgreementRound, statement: Statement, previous: int | None, value: int) -> None:
    """Move the statement's counters and the round's changes; refuse (and roll back) if it just closed.

    The round's UPDATE holds only while it is open: a vote racing the host's "close" waits for it on the
    round's row and is then refused, so nothing is stored after a round closed.
    """
    counters = {COUNTERS[value]: getattr(Statement, COUNTERS[value]) + 1}
    if previous is not None:
        counters[COUNTERS[previous]] = getattr(Statement, COUNTERS[previous]) - 1
    db.session.execute(
        update(Statement)
        .where(Statement.id == statement.id)
        .values(counters)
        .execution_options(synchronize_session=False)
    )
    counted = db.session.execute(
        update(AgreementRound)
        .where(AgreementRound.id == round.id, AgreementRound.state == AgreementRound.OPEN)
        .values(changes=AgreementRound.changes + 1)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
    if not counted:
        db.session.rollback()
        raise Conflict(_("This round is closed: votes and statements are no longer taken."))


def _voted_ids(user: User, round: AgreementRound) -> Select[tuple[int]]:
    return select(AgreementVote.statement_id).where(
        AgreementVote.round_id == round.id, AgreementVote.voter_id == user.id
    )


def next_statement(user: User | None, round: AgreementRound) -> Statement | None:
    """The next public statement this person has not voted on: fewest votes first, then the newest."""
    query = select(Statement).where(Statement.round_id == round.id, Statement.state.in_(Statement.PUBLIC_STATES))
    if signed_in(user):
        query = query.where(Statement.id.not_in(_voted_ids(user, round)))
    total = Statement.agree + Statement.disagree + Statement.passes
    return db.session.scalar(query.order_by(total, Statement.created_at.desc(), Statement.id.desc()).limit(1))


def progress(user: User | None, round: AgreementRound) -> tuple[int, int]:
    """(how many of the round's public statements this person has voted on, how many there are)."""
    public = select(Statement.id).where(Statement.round_id == round.id, Statement.state.in_(Statement.PUBLIC_STATES))
    total = db.session.scalar(select(func.count()).select_from(public.subquery())) or 0
    if not signed_in(user):
        return 0, int(total)
    voted = db.session.scalar(
        select(func.count())
        .select_from(AgreementVote)
        .where(
            AgreementVote.round_id == round.id,
            AgreementVote.voter_id == user.id,
            AgreementVote.statement_id.in_(public),
        )
    )
    return int(voted or 0), int(total)


def my_vote(user: User | None, statement: Statement) -> str | None:
    """This person's vote on the statement, if any ("agree", "disagree" or "pass")."""
    if not signed_in(user):
        return None
    row = _existing(user, statement)
    return None if row is None else NAMES[row.choice]
