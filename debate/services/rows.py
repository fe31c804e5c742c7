"""An UPDATE or DELETE whose row count matters: run it in the current transaction and say how many rows it touched.

SQLAlchemy returns a CursorResult (which has `rowcount`) for these statements, but
`Session.execute` is typed to return a plain Result; this is the one place that says so.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.sql.dml import UpdateBase

from debate.extensions import db


def changed(statement: UpdateBase) -> int:
    """Execute (no commit) and return the number of rows matched."""
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount
