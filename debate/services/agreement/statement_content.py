"""A round's statements in the moderation registry (`services/content.py`), as forum replies are.

Moderators find, review, approve, hide and edit statements in the existing queue. A decision changes
which statements are votable and which votes count, so it is a change of the round: its counter moves
and its result is recomputed (`recompute.mark`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

import moderation
from debate.extensions import db
from debate.models.agreement import AgreementRound, Statement
from debate.services import content, recompute
from debate.services.agreement import results  # noqa: F401 - registers the "agreement" recompute job


def describe(statement: Statement) -> content.ContentRef:
    round = db.session.get(AgreementRound, statement.round_id)
    question = round.question if round is not None else ""
    return content.ContentRef(
        type="agreement_statement",
        id=statement.id,
        author_id=statement.author_id,
        text=statement.body,
        title=None,
        context_kind=moderation.ContextKind.FORUM,
        context_id=f"round:{statement.round_id}",
        context_label=_("Statement in the round “%(question)s”", question=question),
        url=f"/rounds/{statement.round_id}",
        created_at=statement.created_at,
        state=statement.state,
    )


def set_text(statement: Statement, text: str) -> None:
    statement.body = text


def after_change(statement: Statement) -> None:
    """Approved, hidden, removed or edited: the round's votable statements changed; recompute its result."""
    db.session.execute(
        update(AgreementRound)
        .where(AgreementRound.id == statement.round_id)
        .values(changes=AgreementRound.changes + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    recompute.mark("agreement", statement.round_id)


content.register(
    content.ContentType(
        "agreement_statement", moderation.ContentKind.REPLY, Statement, describe, set_text, after_change
    )
)
