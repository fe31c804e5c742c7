"""What the voting page (`/rounds/<id>`) shows one person: the card to vote on, their progress, their own
statements with their moderation state, and why they may not vote or add one when they may not.

The page, the socket's ack (the next card as a fragment) and the JSON API read the same `Card`, so the
card a resident sees next is decided in one place (`voting.next_statement`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from debate.errors import NotFound, ServiceError
from debate.models.accounts import User
from debate.models.agreement import AgreementRound, Statement
from debate.permissions import signed_in
from debate.services.agreement import rounds, statements, voting


@dataclass(frozen=True)
class Card:
    """The statement to vote on now (None: none left), this person's vote on it, and their progress."""

    round: AgreementRound
    statement: Statement | None
    my_vote: str | None
    voted: int
    total: int

    @property
    def done(self) -> bool:
        return self.statement is None

    def as_json(self) -> dict[str, object]:
        shown = self.statement
        return {
            "round_id": self.round.id,
            "statement": None if shown is None else {"id": shown.id, "body": shown.body, "your_vote": self.my_vote},
            "progress": {"voted": self.voted, "total": self.total},
        }


@dataclass(frozen=True)
class Mine:
    """One of this person's own statements, as they see it: its state and why it is not shown, if not."""

    statement: Statement
    label: str
    reason: str


@dataclass(frozen=True)
class Page:
    round: AgreementRound
    card: Card
    mine: list[Mine]
    vote_refusal: str | None  # why this person cannot vote now (None: they can)
    add_refusal: str | None  # why they cannot add a statement now (None: they can)
    manage: bool


def card(user: User | None, round: AgreementRound, statement_id: object = None) -> Card:
    """The next card for this person, or (with `statement_id`) that public statement, to change a vote."""
    shown = _chosen(round, statement_id) if statement_id not in (None, "") else voting.next_statement(user, round)
    voted, total = voting.progress(user, round)
    mine = voting.my_vote(user, shown) if shown is not None else None
    return Card(round, shown, mine, voted, total)


def _chosen(round: AgreementRound, statement_id: object) -> Statement | None:
    try:
        return voting.public_statement(round, statement_id)
    except NotFound:
        return None


def _refusal(check: object, *args: object) -> str | None:
    try:
        check(*args)  # type: ignore[operator]  # a service's refusal check
    except ServiceError as exc:
        return exc.message
    return None


def page(user: User | None, round_id: object, statement_id: object = None) -> Page:
    """Everything the voting page shows this person (NotFound for a draft unless they run rounds)."""
    round = rounds.get_visible(round_id, user)
    mine = [Mine(s, statements.state_label(s), statements.reason(s)) for s in statements.mine(user, round)]
    return Page(
        round=round,
        card=card(user, round, statement_id),
        mine=mine,
        vote_refusal=_refusal(voting.check_vote, user, round) if signed_in(user) else None,
        add_refusal=_refusal(statements.check_add, user, round) if signed_in(user) else None,
        manage=rounds.can_manage(user, round),
    )


def saved_message(outcome: voting.VoteOutcome) -> str:
    """What a voter is told after a vote (the page's status line, the socket's ack)."""
    if outcome.previous is not None and outcome.changed:
        return _("Your vote is changed.")
    return {
        "agree": _("Saved: you agree."),
        "disagree": _("Saved: you disagree."),
        "pass": _("Saved: you passed."),
    }[outcome.choice]


def progress_text(card: Card) -> str:
    """ "You have voted on 5 of 12 statements", as the page and the socket's ack say it."""
    return ngettext(
        "You have voted on %(voted)s of %(num)s statement.",
        "You have voted on %(voted)s of %(num)s statements.",
        card.total,
        voted=card.voted,
    )


def mine_json(statement: Statement) -> dict[str, object]:
    """One of the author's own statements for the API: its state, and why it is not shown (if not)."""
    return {
        "id": statement.id,
        "round_id": statement.round_id,
        "body": statement.body,
        "state": statement.state,
        "public": statement.is_public,
        "state_label": statements.state_label(statement),
        "reason": statements.reason(statement),
    }
