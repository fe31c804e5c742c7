"""One vote per person per thing, kept as a row: the rule every vote follows.

A helpful vote on a reply (`forums.votes`) and a vote for a live question
(`live.questions`) are the same act, so they behave the same: voting is
idempotent. Voting when the vote is already there, or taking back a vote that
is not there, is a success that changes nothing; the caller answers with the
current state either way. `set_row` says whether the row changed, so the
caller moves its count (and announces it) only when it did.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from debate.extensions import db
from debate.models.base import utcnow
from debate.models.forums import HelpfulVote
from debate.models.live import QuestionVote
from debate.services import rows

VoteModel = type[HelpfulVote] | type[QuestionVote]


def set_row(model: VoteModel, voted: bool, **key: int) -> bool:
    """Make the vote row keyed by `key` (e.g. reply_id=, user_id=) exist or not; True if that changed anything.

    The insert skips a duplicate through the unique key (also under a race, and without a savepoint);
    the delete's row count says whether there was one. Neither commits.
    """
    if voted:
        insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = (
            insert(model)
            .values(**key, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=list(key))
            .returning(model.id)
        )
        return db.session.execute(stmt).scalar() is not None  # no row back: the vote was there already
    where = [getattr(model, name) == value for name, value in key.items()]
    return bool(rows.changed(delete(model).where(*where)))
