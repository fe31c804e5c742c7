"""Rounds of "Where do we agree?" in the JSON API under /api/v1 (documented in docs/api.md): the same
services as the voting page and the `agree:vote` socket event, under the same limits.

Routes are added to the API's blueprint (`debate.web.api.bp`). Reading the next statement needs no
account (a signed-out reader gets the least-voted statement and no progress of their own); writing acts as
the signed-in member and needs the CSRF token in an X-CSRFToken header, like every other write of the API.
"""

from __future__ import annotations

from flask_login import current_user

from debate.ratelimit import limited
from debate.services.agreement import rounds, statements, vote_page, voting
from debate.web.api import bp
from debate.web.helpers import json_body as _body
from debate.web.helpers import json_ok as _ok


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/rounds/<int:round_id>/next")
def round_next(round_id: int):
    """The statement this reader should vote on next (null: none left), and their progress."""
    found = rounds.get_visible(round_id, _user())
    return _ok(vote_page.card(_user(), found).as_json())


@bp.post("/rounds/<int:round_id>/votes")
@limited(voting.VOTE)
def round_vote(round_id: int):
    data = _body()
    found = rounds.get_visible(round_id, current_user if current_user.is_authenticated else None)
    outcome = voting.vote(current_user, found, data.get("statement_id"), data.get("choice"))
    return _ok(
        {
            "statement_id": outcome.statement.id,
            "choice": outcome.choice,
            "previous": outcome.previous,
            "next": vote_page.card(current_user, found).as_json(),
        }
    )


@bp.post("/rounds/<int:round_id>/statements")
@limited(statements.ADD)
def round_statement(round_id: int):
    data = _body()
    found = rounds.get_visible(round_id, current_user if current_user.is_authenticated else None)
    row = statements.add_statement(current_user, found, data.get("body"), data.get("submission_key"))
    return _ok(vote_page.mine_json(row), 201)
