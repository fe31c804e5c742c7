"""Where we agree in "download my data" and "delete my account".

Export: the member's votes (each statement's text, their choice, when) and the statements they wrote, with
each one's moderation state. Erase: their votes go (a vote is a choice about others' words, and a round's
groups must not keep counting someone who left), so the rounds they voted in are recomputed once the
deletion commits; where they sat (their placements) goes too. Their statements stay, under "former
member", unless they ask for their content to go: then each is wiped and withdrawn, as posts are, and its
votes stop counting.
"""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementPlacement, AgreementVote, Statement
from debate.services import after_commit, privacy, recompute
from debate.services.agreement import results, voting


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat() + "Z"


def export_agreement(user: User) -> dict[str, list[dict[str, Any]]]:
    votes = db.session.execute(
        select(AgreementVote, Statement.body)
        .join(Statement, Statement.id == AgreementVote.statement_id)
        .where(AgreementVote.voter_id == user.id)
        .order_by(AgreementVote.id)
    ).all()
    written = db.session.scalars(select(Statement).where(Statement.author_id == user.id).order_by(Statement.id))
    return {
        "votes": [
            {
                "round_id": vote.round_id,
                "statement": body,
                "choice": voting.NAMES[vote.choice],
                "voted_at": _iso(vote.created_at),
                "changed_at": _iso(vote.updated_at),
                "url": f"/rounds/{vote.round_id}",
            }
            for vote, body in votes
        ],
        "statements": [
            {
                "round_id": s.round_id,
                "body": s.body,
                "state": s.state,
                "written_at": _iso(s.created_at),
                "url": f"/rounds/{s.round_id}",
            }
            for s in written
        ],
    }


def erase_agreement(user: User, remove_content: bool) -> None:
    touched = set(db.session.scalars(select(AgreementVote.round_id).where(AgreementVote.voter_id == user.id)))
    counted = set(db.session.scalars(select(AgreementVote.statement_id).where(AgreementVote.voter_id == user.id)))
    db.session.execute(delete(AgreementVote).where(AgreementVote.voter_id == user.id))
    db.session.execute(delete(AgreementPlacement).where(AgreementPlacement.voter_id == user.id))
    if remove_content:
        for statement in db.session.scalars(select(Statement).where(Statement.author_id == user.id)):
            statement.body, statement.fingerprint, statement.state_note = "", "", None
            if statement.state != "removed":
                statement.state = "withdrawn"
            touched.add(statement.round_id)
    db.session.flush()
    for statement_id in counted:
        recount(statement_id)
    for round_id in touched:
        results.changed(round_id)
        after_commit.run(functools.partial(recompute.mark, "agreement", round_id))


def recount(statement_id: int) -> None:
    """A statement's counters from its votes (after votes were removed)."""
    counts = dict(
        db.session.execute(
            select(AgreementVote.choice, func.count())
            .where(AgreementVote.statement_id == statement_id)
            .group_by(AgreementVote.choice)
        )
        .tuples()
        .all()
    )
    db.session.execute(
        update(Statement)
        .where(Statement.id == statement_id)
        .values(agree=counts.get(1, 0), disagree=counts.get(-1, 0), passes=counts.get(0, 0))
        .execution_options(synchronize_session=False)
    )


privacy.register(
    "agreement",
    _l("Your votes on statements in “Where do we agree?” rounds, and the statements you wrote."),
    export_agreement,
    erase_agreement,
)
