"""Outcome pages ("you said, we did"): the public list, one outcome with its history, and the publish/update form.

The form is a plain POST that redirects to the outcome, so it works without
JavaScript; a form that fails is shown again with what was typed and why.
The same form publishes the first outcome and updates it afterwards.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.models.live import LiveSession
from debate.models.outcomes import Outcome
from debate.ratelimit import limited
from debate.services import bilingual
from debate.services.accountability import outcomes
from debate.web.helpers import attempt

bp = Blueprint("outcomes", __name__)
FIELDS = ("heard", "will_happen", "heard_cy", "will_happen_cy", "status", "due_on", "note")


@bp.app_template_global("outcome_for_session")
def outcome_for_session(session_id: int) -> Outcome | None:
    """For the session room and transcript: link to "what happens next" when there is one."""
    return outcomes.for_session(session_id)


@bp.app_template_global("outcome_for_thread")
def outcome_for_thread(thread_id: int) -> Outcome | None:
    return outcomes.for_thread(thread_id)


@bp.app_template_global("may_publish_outcome")
def may_publish_outcome(subject) -> bool:
    """For a "Publish the outcome" link: shown to those who may, when the subject is ready for one."""
    user = current_user if current_user.is_authenticated else None
    return outcomes.may_publish(user, subject) and outcomes.subject_refusal(subject) is None


@bp.context_processor
def outcome_helpers() -> dict:
    return {
        "status_labels": outcomes.STATUS_LABELS,
        "subject_title": outcomes.subject_title,
        "subject_shown": outcomes.subject_shown,
        "pick": bilingual.pick,
        "text_max": outcomes.TEXT_MAX,
        "note_max": outcomes.NOTE_MAX,
    }


# --- public pages -----------------------------------------------------------------------------


@bp.get("/outcomes")
def index():
    page = request.args.get("page", "1")
    if not page.isdigit() or len(page) > 6:
        abort(404)
    return render_template("outcomes/index.html", data=outcomes.listing(request.args.get("kind"), page))


@bp.get("/outcomes/<int:outcome_id>")
def detail(outcome_id: int):
    outcome = outcomes.get(outcome_id)
    return render_template(
        "outcomes/detail.html",
        outcome=outcome,
        history=outcomes.history(outcome),
        may_update=outcomes.may_publish(
            current_user if current_user.is_authenticated else None, outcomes.subject_of(outcome)
        ),
    )


# --- the form ---------------------------------------------------------------------------------


def _typed() -> outcomes.OutcomeForm:
    return outcomes.OutcomeForm(**{name: request.form.get(name, "") for name in FIELDS})


def _shown(outcome: Outcome | None) -> dict:
    """What the form shows: the typed values after a POST, else the outcome as it is, else the defaults."""
    if request.method == "POST":
        return {name: request.form.get(name, "") for name in FIELDS}
    if outcome is None:
        return {"status": Outcome.PLANNED}
    return {
        "heard": outcome.heard,
        "will_happen": outcome.will_happen,
        "heard_cy": outcome.heard_cy,
        "will_happen_cy": outcome.will_happen_cy,
        "status": outcome.status,
        "due_on": outcome.due_on.isoformat() if outcome.due_on else "",
    }


def _form(subject, existing: Outcome | None, **where):
    """Show, publish or update the one outcome of a session or thread."""
    outcomes.require_publisher(current_user, subject)  # refused before the form is shown, as on submission
    refusal = None if existing else outcomes.subject_refusal(subject)
    error = None
    if request.method == "POST" and not refusal:
        # A form opened to publish stays a publication: if someone published meanwhile, the service
        # refuses and the form comes back as an update with what was typed, rather than overwrite theirs.
        if existing is None or request.form.get("mode") != "update":
            saved, error = attempt(lambda: outcomes.publish(current_user, _typed(), **where))
            done = _("Outcome published. Followers have been told.")
        else:
            outcome_id = existing.id
            saved, error = attempt(lambda: outcomes.update(current_user, outcome_id, _typed()))
            done = _("Outcome updated. Its history keeps the earlier version.")
        if error is None:
            flash(done, "success")
            return redirect(url_for("outcomes.detail", outcome_id=saved.id))
        existing = (
            outcomes.for_session(subject.id) if isinstance(subject, LiveSession) else outcomes.for_thread(subject.id)
        )
    page = render_template(
        "outcomes/form.html",
        subject=subject,
        kind="session" if isinstance(subject, LiveSession) else "thread",
        outcome=existing,
        form=_shown(existing),
        error=error,
        refusal=refusal,
        statuses=outcomes.STATUS_LABELS,
    )
    status = error.http_status if error else (409 if refusal else 200)
    return page, status


@bp.route("/sessions/<int:session_id>/outcome", methods=["GET", "POST"])
@login_required
@limited(outcomes.PUBLISH)
def session_form(session_id: int):
    live = outcomes.get_session(session_id)
    return _form(live, outcomes.for_session(live.id), session_id=live.id)


@bp.route("/threads/<int:thread_id>/outcome", methods=["GET", "POST"])
@login_required
@limited(outcomes.PUBLISH)
def thread_form(thread_id: int):
    thread = outcomes.get_thread(thread_id)
    return _form(thread, outcomes.for_thread(thread.id), thread_id=thread.id)
