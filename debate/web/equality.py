"""Equality monitoring pages: a member's own answers, the census profile, and the "who is missing" reports."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.errors import ServiceError
from debate.services.equality import answers, census, exports, monthly, scopes
from debate.services.equality import questions as equality_questions
from debate.services.equality.scopes import Scope
from debate.services.moderation import transparency as moderation_transparency
from debate.web.helpers import attempt

bp = Blueprint("equality", __name__)


# --------------------------------------------------------------------------- the member's own answers


def _about_you(error: ServiceError | None = None, form=None, status: int = 200):
    me = current_user._get_current_object()
    return render_template(
        "account/about_you.html",
        questions=equality_questions.asked(),
        prefer_not=equality_questions.PREFER_NOT,
        given=form if form is not None else answers.of(me),
        error=error,
    ), status


@bp.get("/account/about-you")
@login_required
def about_you():
    return _about_you()


@bp.post("/account/about-you")
@login_required
def save_answers():
    _saved, error = attempt(lambda: answers.save(current_user._get_current_object(), request.form))
    if error is not None:
        return _about_you(error, request.form, error.http_status)
    flash(_("Thank you. Your answers are saved; you can change or remove them here at any time."), "success")
    return redirect(url_for("equality.about_you"))


@bp.post("/account/about-you/not-now")
@login_required
def dismiss():
    answers.dismiss(current_user._get_current_object())
    flash(_("We will not ask again. The questions stay in your account if you change your mind."), "success")
    return redirect(url_for("account.settings"))


# --------------------------------------------------------------------------- the census profile (admins)


def _census(error: ServiceError | None = None, status: int = 200):
    return render_template(
        "equality/census.html",
        questions=equality_questions.asked(),
        profile=census.for_admin(current_user),
        header=",".join(census.CSV_HEADER),
        error=error,
        form=request.form if error else {},
    ), status


@bp.get("/admin/census")
@login_required
def census_form():
    return _census()


@bp.post("/admin/census")
@login_required
def save_census():
    key = request.form.get("question", "")
    _stored, error = attempt(lambda: census.save_question(current_user, key, request.form))
    if error is not None:
        return _census(error, error.http_status)
    flash(_("The census profile is saved."), "success")
    return redirect(url_for("equality.census_form"))


@bp.post("/admin/census/upload")
@login_required
def upload_census():
    upload = request.files.get("file")
    data = upload.read(census.CSV_MAX_BYTES + 1) if upload else b""
    stored, error = attempt(lambda: census.load_csv(current_user, data))
    if error is not None:
        return _census(error, error.http_status)
    flash(_("The census profile is loaded: %(rows)s figures.", rows=stored), "success")
    return redirect(url_for("equality.census_form"))


# --------------------------------------------------------------------------- who is missing


def _report(scope: Scope, name: str):
    """The report as a page, or as CSV or JSON (?format=), built from the same suppressed figures."""
    kind = request.args.get("format")
    if kind == "json":
        body = json.dumps(exports.as_dict(scope.report), ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json", headers={"Cache-Control": "no-store"})
    if kind == "csv":
        return Response(
            exports.as_csv(scope.report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"},
        )
    return render_template("equality/report.html", scope=scope)


@bp.get("/sessions/<int:session_id>/who-is-missing")
@login_required
def session_report(session_id: int):
    return _report(scopes.for_session(current_user, session_id), f"who-is-missing-session-{session_id}")


@bp.get("/polls/<int:poll_id>/who-is-missing")
@login_required
def poll_report(poll_id: int):
    return _report(scopes.for_poll(current_user, poll_id), f"who-is-missing-poll-{poll_id}")


@bp.get("/surveys/<int:survey_id>/who-is-missing")
@login_required
def survey_report(survey_id: int):
    return _report(scopes.for_survey(current_user, survey_id), f"who-is-missing-survey-{survey_id}")


@bp.get("/threads/<int:thread_id>/who-is-missing")
@login_required
def thread_report(thread_id: int):
    return _report(scopes.for_thread(current_user, thread_id), f"who-is-missing-thread-{thread_id}")


@bp.get("/admin/who-is-missing")
@login_required
def overall_report():
    return _report(scopes.everyone(current_user), "who-is-missing")


@bp.get("/transparency/participation")
def participation():
    """Public: each month's participants against the area, suppressed like every report."""
    return render_template(
        "equality/participation.html",
        months=monthly.monthly(),
        month_name=moderation_transparency.month_name,
    )
