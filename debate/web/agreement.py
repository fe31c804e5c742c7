"""The voting page of a "Where do we agree?" round: one statement at a time, agree / disagree / pass.

Every action is a plain form (POST, then redirect back), so voting works without JavaScript; the page's
script (static/js/agreement.js) sends the same vote over the socket (`agree:vote`) and swaps in the next
card. Each form calls the same service as the JSON API (debate/web/agreement_api.py) and the socket event
(debate/realtime/agreement.py), under the same limits. The results, report and manage pages are
debate/web/agreement_results.py.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.models.agreement import AgreementRound, Statement
from debate.models.outcomes import Outcome
from debate.ratelimit import limited
from debate.services import bilingual
from debate.services.agreement import citing, rounds, statements, vote_page, voting
from debate.web.helpers import attempt, flash_error

bp = Blueprint("agreement", __name__)


@bp.context_processor
def round_helpers() -> dict:
    return {"pick": bilingual.pick}


@bp.app_template_global("agreement_cited")
def agreement_cited(outcome: Outcome) -> tuple[AgreementRound, list[Statement]] | None:
    """For the outcome page: the round it cites and that round's top consensus statements."""
    return citing.cited(outcome)


def _user():
    return current_user if current_user.is_authenticated else None


def _key() -> str:
    """A fresh key per rendered form: sending the same statement twice adds it once."""
    return secrets.token_urlsafe(16)


def _page(round_id: int, *, error=None, typed: str = "", key: str | None = None, status: int = 200):
    shown = vote_page.page(_user(), round_id, request.args.get("statement"))
    return (
        render_template(
            "agreement/round.html",
            page=shown,
            card=shown.card,
            progress=vote_page.progress_text(shown.card),
            body_max=statements.BODY_MAX,
            error=error,
            typed=typed,
            key=key or _key(),
        ),
        status,
    )


@bp.get("/rounds/<int:round_id>")
def round_page(round_id: int):
    """The round's question, the next statement to vote on, progress, and the form to add a statement."""
    return _page(round_id)


@bp.post("/rounds/<int:round_id>/vote")
@login_required
@limited(voting.VOTE)
def vote(round_id: int):
    f = request.form
    outcome, error = attempt(
        lambda: voting.vote(
            current_user, rounds.get_visible(round_id, current_user), f.get("statement_id"), f.get("choice")
        )
    )
    if error:
        flash_error(error)
    else:
        flash(vote_page.saved_message(outcome), "success")
    return redirect(url_for("agreement.round_page", round_id=round_id, _anchor="agree-card"))


@bp.post("/rounds/<int:round_id>/statements")
@login_required
@limited(statements.ADD)
def add_statement(round_id: int):
    f = request.form
    row, error = attempt(
        lambda: statements.add_statement(
            current_user, rounds.get_visible(round_id, current_user), f.get("body"), f.get("submission_key")
        )
    )
    if error:
        return _page(
            round_id, error=error, typed=f.get("body", ""), key=f.get("submission_key"), status=error.http_status
        )
    if row.is_public:
        flash(_("Your statement is added: others can vote on it now."), "success")
    else:
        flash(_("Your statement is saved. Others can vote on it once a moderator approves it."), "success")
    return redirect(url_for("agreement.round_page", round_id=round_id, _anchor="your-statements"))


@bp.post("/rounds/<int:round_id>/cite")
@login_required
@limited(rounds.MANAGE)
def cite(round_id: int):
    """A manager makes an outcome cite the round's consensus statements."""
    _outcome, error = attempt(lambda: citing.cite(current_user, request.form.get("outcome_id"), round_id))
    if error:
        flash_error(error)
    else:
        flash(_("The outcome now cites what every group agreed on in this round."), "success")
    return redirect(url_for("agreement.round_page", round_id=round_id, _anchor="cite-heading"))
