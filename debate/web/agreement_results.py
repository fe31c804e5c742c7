"""Where we agree, the pages around the vote: results, the report and its exports, and the managers' create and
manage forms. (The vote itself is debate/web/agreement.py.)

Every page is server-rendered and works without JavaScript; every form posts, then redirects or shows the
page again with what was typed and every problem in an error summary.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from debate.errors import ServiceError, ValidationError
from debate.models.agreement import AgreementRound
from debate.ratelimit import limited
from debate.services import bilingual
from debate.services.agreement import pages, report, round_form, rounds, statements
from debate.web.helpers import attempt
from debate.web.languages import current as current_language

bp = Blueprint("agreement_results", __name__)

STATE_LABELS = {
    AgreementRound.DRAFT: _l("Draft: only moderators and administrators can see it"),
    AgreementRound.OPEN: _l("Open for votes"),
    AgreementRound.CLOSED: _l("Closed"),
}


def _user():
    return current_user if current_user.is_authenticated else None


@bp.context_processor
def round_helpers() -> dict:
    return {"pick": bilingual.pick, "state_labels": STATE_LABELS, "param_label": pages.param_label}


@bp.app_template_global("vote_url")
def vote_url(round_: AgreementRound) -> str:
    """The round's voting page (debate/web/agreement.py)."""
    return url_for("agreement.round_page", round_id=round_.id)


@bp.app_template_global("agreement_rounds_for")
def agreement_rounds_for(topic_id: int | None = None, thread_id: int | None = None) -> list[AgreementRound]:
    """For the topic and thread pages' "Where do we agree?" box: their rounds (drafts for those who run rounds)."""
    return pages.listed(_user(), topic_id=topic_id, thread_id=thread_id)


@bp.app_template_global("may_run_rounds")
def may_run_rounds() -> bool:
    return rounds.can_manage(_user())


@bp.get("/rounds/<int:round_id>/results")
def results(round_id: int):
    shown = pages.page(round_id, _user(), rtl=current_language().direction == "rtl")
    limit = None if request.args.get("all") == "1" else pages.SHOWN
    return render_template("agreement/results.html", shown=shown, limit=limit, page_is="results")


@bp.get("/rounds/<int:round_id>/report")
def report_page(round_id: int):
    made = report.build(round_id, _user())
    return render_template(
        "agreement/report.html", made=made, round=made.round, where=made.where, res=made.results, page_is="report"
    )


@bp.get("/rounds/<int:round_id>/report.csv")
def report_csv(round_id: int):
    made = report.build(round_id, _user())
    headers = {"Content-Disposition": f"attachment; filename=where-we-agree-{made.round.id}.csv"}
    return Response(report.to_csv(made), mimetype="text/csv", headers=headers)


@bp.get("/rounds/<int:round_id>/report.json")
def report_json(round_id: int):
    made = report.build(round_id, _user())
    return Response(report.to_json(made), mimetype="application/json")


# --- managers -------------------------------------------------------------------------------------


def _form(where: pages.Subject, typed: dict, error: ServiceError | None, round_=None):
    errors = getattr(error, "errors", None) or ({error.field or "": error.message} if error else {})
    status = error.http_status if error else 200
    return render_template(
        "agreement/round_form.html",
        where=where,
        form=typed,
        errors=errors,
        round=round_,
        limits_round={"question": rounds.QUESTION_MAX, "description": rounds.DESCRIPTION_MAX},
        statement_max=statements.BODY_MAX,
    ), status


def _create(where: pages.Subject):
    if request.method == "GET":
        return _form(where, {"allow_statements": "1"}, None)
    typed = {name: request.form.get(name, "") for name in (*round_form.FIELDS, "allow_statements")}
    made, error = attempt(lambda: round_form.create(current_user, where, typed))
    if error is not None:
        return _form(where, typed, error)
    flash(_("Round created as a draft. Check it, then open it for votes."), "success")
    return redirect(url_for("agreement_results.manage", round_id=made.id))


@bp.route("/topics/<int:topic_id>/rounds/new", methods=["GET", "POST"])
@login_required
@limited(rounds.MANAGE)
def new_on_topic(topic_id: int):
    return _create(round_form.subject(current_user, topic_id=topic_id))


@bp.route("/threads/<int:thread_id>/rounds/new", methods=["GET", "POST"])
@login_required
@limited(rounds.MANAGE)
def new_on_thread(thread_id: int):
    return _create(round_form.subject(current_user, thread_id=thread_id))


@bp.route("/rounds/<int:round_id>/manage", methods=["GET", "POST"])
@login_required
@limited(rounds.MANAGE)
def manage(round_id: int):
    rounds.refuse_unless_manager(current_user)
    round_ = rounds.get(round_id)
    where = pages.subject_of(round_)
    if request.method == "GET":
        return _form(where, round_form.typed(round_), None, round_)
    action = request.form.get("action", "save")
    typed = {name: request.form.get(name, "") for name in (*round_form.FIELDS, "allow_statements")}
    actions = {
        "save": lambda: round_form.update(current_user, round_, typed),
        "open": lambda: rounds.open_round(current_user, round_),
        "close": lambda: rounds.close_round(current_user, round_),
        "seed": lambda: rounds.add_seed_statement(current_user, round_, request.form.get("seed", "")),
    }
    if action not in actions:
        action = "save"
    _done, error = attempt(actions[action])
    if error is not None:
        if action == "seed" and isinstance(error, ValidationError):
            error.field = "seed"  # shown beside the one field that action sends
        return _form(where, typed if action == "save" else round_form.typed(round_), error, rounds.get(round_id))
    done = {
        "save": _("Saved."),
        "open": _("The round is open for votes."),
        "close": _("The round is closed."),
        "seed": _("Statement added."),
    }
    flash(done[action], "success")
    return redirect(url_for("agreement_results.manage", round_id=round_.id))
