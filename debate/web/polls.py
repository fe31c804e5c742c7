"""Live poll pages: the host's list and form under a session, open and close, and answering from the room.

Every action is a plain form (POST, then redirect back with a message), so polls work without
JavaScript; the room's script only keeps the results current. Each form calls the same service as
the JSON API (debate/web/polls_api.py) and the socket events (debate/realtime/polls.py), under the
same limits.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from debate.ratelimit import limited
from debate.services.live import poll_pages, polls
from debate.web.helpers import attempt, flash_error

bp = Blueprint("polls", __name__, url_prefix="/sessions")
KINDS = {
    "single": _l("Single choice: one option"),
    "multiple": _l("Multiple choice: any number of options"),
    "scale": _l("A scale from 1 to 5"),
    "text": _l("A short text (a word or a phrase), shown as a word list"),
}


def _user():
    return current_user if current_user.is_authenticated else None


def poll_form() -> polls.PollForm:
    f = request.form
    return polls.PollForm(
        question=f.get("question", ""),
        question_cy=f.get("question_cy", ""),
        kind=f.get("kind", ""),
        options=f.getlist("options"),
        options_cy=f.getlist("options_cy"),
        hide_results=f.get("hide_results", ""),
    )


def _manage_page(session_id: int, editing=None, error=None, status: int = 200):
    data = poll_pages.manage(_user(), session_id, editing)
    typed = request.form if error else None
    return render_template("live/polls.html", data=data, error=error, typed=typed, kinds=KINDS), status


@bp.route("/<int:session_id>/polls", methods=["GET", "POST"])
@login_required
@limited(polls.MANAGE)
def manage(session_id: int):
    """The session's polls and the form to prepare one (or, with ?edit=<id>, to change a draft)."""
    editing = request.args.get("edit")
    if request.method == "GET":
        return _manage_page(session_id, editing)
    if editing:
        result, error = attempt(lambda: polls.edit(current_user, editing, poll_form(), session_id))
    else:
        result, error = attempt(lambda: polls.prepare(current_user, session_id, poll_form()))
    if error:
        return _manage_page(session_id, editing, error, error.http_status)
    flash(_("Poll saved. Open it from the room when you are ready."), "success")
    return redirect(url_for("polls.manage", session_id=session_id, _anchor=f"poll-{result.id}"))


@bp.post("/<int:session_id>/polls/<int:poll_id>/delete")
@login_required
@limited(polls.MANAGE)
def delete(session_id: int, poll_id: int):
    _result, error = attempt(lambda: polls.delete(current_user, poll_id, session_id))
    if error:
        flash_error(error)
    else:
        flash(_("Poll deleted."), "success")
    return redirect(url_for("polls.manage", session_id=session_id))


def _run(session_id: int, poll_id: int, action, done: str):
    _result, error = attempt(lambda: action(current_user, poll_id, session_id))
    if error:
        flash_error(error)
    else:
        flash(done, "success")
    return redirect(url_for("live.room", session_id=session_id, _anchor=f"poll-{poll_id}"))


@bp.post("/<int:session_id>/polls/<int:poll_id>/open")
@login_required
@limited(polls.MANAGE)
def open_poll(session_id: int, poll_id: int):
    return _run(session_id, poll_id, polls.open_poll, _("The poll is open: everyone in the room can answer."))


@bp.post("/<int:session_id>/polls/<int:poll_id>/close")
@login_required
@limited(polls.MANAGE)
def close_poll(session_id: int, poll_id: int):
    return _run(session_id, poll_id, polls.close_poll, _("The poll is closed: its results are final."))


@bp.post("/<int:session_id>/polls/<int:poll_id>/answer")
@login_required
@limited(polls.ANSWER)
def answer(session_id: int, poll_id: int):
    f = request.form
    row, error = attempt(
        lambda: polls.answer(
            current_user,
            poll_id,
            choices=f.getlist("choices"),
            value=f.get("value"),
            text=f.get("text"),
            session_id=session_id,
        )
    )
    if error:
        flash_error(error)
    elif row.state == "held":
        flash(_("Your answer is saved. It is counted in the word list once a moderator approves it."), "success")
    else:
        flash(_("Your answer is saved. You can change it until the poll closes."), "success")
    return redirect(url_for("live.room", session_id=session_id, _anchor=f"poll-{poll_id}"))
