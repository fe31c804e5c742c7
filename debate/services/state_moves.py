"""One way to change a row's state when two people may act at once: a conditional UPDATE.

`UPDATE ... SET state = after WHERE id = ? AND state = before`: the row count
says who won, on SQLite and PostgreSQL alike; the other is told why, and
their transaction is rolled back so nothing of theirs is half-written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from debate.errors import Conflict, Text
from debate.extensions import db
from debate.services import rows


def move(row: Any, column: str, before: str, after: str, refusal: Text) -> None:
    """Set `row.<column>` from `before` to `after`, or raise Conflict(refusal) if someone changed it first."""
    model = type(row)
    changed = rows.changed(
        update(model)
        .where(model.id == row.id, getattr(model, column) == before)
        .values({column: after})
        .execution_options(synchronize_session=False)
    )
    if not changed:
        db.session.rollback()
        raise Conflict(refusal)
    setattr(row, column, after)
