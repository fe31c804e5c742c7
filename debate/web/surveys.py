"""Survey pages: the list, answering (one page, a fieldset per section), results with charts, exports, the JSON
API for answering, and the admins' builder under /admin/surveys.

Every action is a plain form POST that redirects or shows the page again with
what was typed and a GOV.UK error summary, so it all works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from debate.errors import ValidationError
from debate.models.surveys import Survey, SurveyQuestion
from debate.ratelimit import limited
from debate.services import bilingual
from debate.services.council_time import to_local
from debate.services.surveys import access, answering, building, citing, export, results
from debate.web.helpers import attempt

bp = Blueprint("surveys", __name__)
KIND_LABELS = {
    SurveyQuestion.SINGLE: _l("Choose one"),
    SurveyQuestion.MULTIPLE: _l("Choose any"),
    SurveyQuestion.SCALE: _l("A scale from 1 to 5"),
    SurveyQuestion.RANKING: _l("Put in order"),
    SurveyQuestion.TEXT: _l("Free text"),
}

STATE_LABELS = {
    Survey.DRAFT: _l("Draft"),
    Survey.UPCOMING: _l("Coming up"),
    Survey.OPEN: _l("Open"),
    Survey.CLOSED: _l("Closed"),
}


def _user():
    return current_user if current_user.is_authenticated else None


@bp.context_processor
def survey_helpers() -> dict:
    return {"pick": bilingual.pick, "is_survey_admin": access.is_admin(_user()), "state_labels": STATE_LABELS}


@bp.app_template_global("open_surveys_for")
def open_surveys_for(topic_id: int) -> list[Survey]:
    """For the topic page: the surveys on it that are open now."""
    return access.listing(_user(), topic_id).open


# --- residents ----------------------------------------------------------------------------------


@bp.get("/surveys")
def index():
    return render_template("surveys/index.html", listing=access.listing(_user()))


def _given_from_form(survey: Survey) -> dict[int, Any]:
    given: dict[int, Any] = {}
    for question in survey.questions:
        name = answering.field(question)
        if question.kind == SurveyQuestion.MULTIPLE:
            given[question.id] = request.form.getlist(name)
        elif question.kind == SurveyQuestion.RANKING:
            given[question.id] = {o.id: request.form.get(f"{name}_{o.id}", "") for o in question.options}
        else:
            given[question.id] = request.form.get(name, "")
    return given


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@limited(access.ANSWER)
def answer(survey_id: int):
    survey = access.visible(_user(), survey_id)
    response = answering.response_of(_user(), survey.id)
    given = answering.given_of(survey, response)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        given = _given_from_form(survey)
        submit = request.form.get("action") == "submit"
        _saved, error = attempt(lambda: answering.save(current_user, survey.id, given, submit=submit))
        if error is None:
            if submit:
                flash(_("Thank you: your answers are sent. You can change them until the survey closes."), "success")
            else:
                flash(_("Your answers are saved. Come back to finish them before the survey closes."), "success")
            return redirect(url_for("surveys.answer", survey_id=survey.id))
        errors = getattr(error, "errors", None) or {error.field or "": error.message}
        status = error.http_status
    return render_template(
        "surveys/answer.html",
        survey=survey,
        response=response,
        given=given,
        errors=errors,
        kind_labels=KIND_LABELS,
    ), (status if errors else 200)


def _results_of(survey_id: int) -> tuple[Survey, results.Results]:
    survey = access.visible(_user(), survey_id)
    access.results_visible(_user(), survey)
    return survey, results.compute(survey, staff=access.is_admin(_user()))


@bp.get("/surveys/<int:survey_id>/results")
def results_page(survey_id: int):
    survey, shown = _results_of(survey_id)
    return render_template("surveys/results.html", survey=survey, shown=shown, kind_labels=KIND_LABELS)


@bp.get("/surveys/<int:survey_id>/results.csv")
def results_csv(survey_id: int):
    survey, _shown = _results_of(survey_id)
    return Response(
        export.to_csv(survey),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=survey-{survey.id}.csv"},
    )


@bp.get("/surveys/<int:survey_id>/results.json")
def results_json(survey_id: int):
    survey, _shown = _results_of(survey_id)
    return Response(export.to_json(survey), mimetype="application/json")


@bp.post("/api/v1/surveys/<int:survey_id>/answers")
@limited(access.ANSWER)
def api_answer(survey_id: int):
    """{"answers": {"<question id>": value, ...}, "submit": true|false}: the same service as the page."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        raise ValidationError(_("Send a JSON object (Content-Type: application/json)."))
    given = {int(k): v for k, v in data.get("answers", {}).items() if str(k).isdigit() and len(str(k)) < 10}
    response = answering.save(current_user, survey_id, given, submit=data.get("submit") is True)
    body = {"respondent": response.respondent, "submitted": response.submitted_at is not None}
    return jsonify({"ok": True, "data": body}), 200


# --- admins: the builder --------------------------------------------------------------------------

SURVEY_FIELDS = ("topic_id", "title", "title_cy", "intro", "intro_cy", "opens_at", "closes_at")
QUESTION_FIELDS = ("kind", "prompt", "prompt_cy", "why", "why_cy", "required", "max_length")


def _survey_form() -> building.SurveyForm:
    return building.SurveyForm(**{name: request.form.get(name, "") for name in SURVEY_FIELDS})


def _question_form() -> building.QuestionForm:
    return building.QuestionForm(
        **{name: request.form.get(name, "") for name in QUESTION_FIELDS},
        options=request.form.get("options", "").splitlines(),
        options_cy=request.form.get("options_cy", "").splitlines(),
    )


def _local(moment) -> str:
    return to_local(moment).strftime(building.DATETIME_FORMAT) if moment else ""


def _builder(survey: Survey | None, error=None, typed: dict | None = None):
    topics = building.topics()
    shown = typed or (
        {
            "topic_id": str(survey.topic_id),
            "title": survey.title,
            "title_cy": survey.title_cy,
            "intro": survey.intro,
            "intro_cy": survey.intro_cy,
            "opens_at": _local(survey.opens_at),
            "closes_at": _local(survey.closes_at),
        }
        if survey
        else {}
    )
    locked = survey is not None and building.has_answers(survey.id)
    return render_template(
        "surveys/builder.html",
        survey=survey,
        topics=topics,
        form=shown,
        error=error,
        locked=locked,
        kind_labels=KIND_LABELS,
        text_max=building.TEXT_ANSWER_MAX,
    ), (400 if error else 200)


@bp.route("/admin/surveys/new", methods=["GET", "POST"])
@login_required
@limited(access.BUILD)
def new():
    access.require_admin(current_user)
    if request.method == "POST":
        saved, error = attempt(lambda: building.create(current_user, _survey_form()))
        if error is None:
            flash(_("Survey created. Add sections and questions, then publish it."), "success")
            return redirect(url_for("surveys.build", survey_id=saved.id))
        return _builder(None, error, {name: request.form.get(name, "") for name in SURVEY_FIELDS})
    return _builder(None)


@bp.route("/admin/surveys/<int:survey_id>", methods=["GET", "POST"])
@login_required
@limited(access.BUILD)
def build(survey_id: int):
    """The builder: a POST names its `action`; each calls one building service and comes back here."""
    access.require_admin(current_user)
    survey = access.get(survey_id)
    if request.method == "GET":
        return _builder(survey)
    action = request.form.get("action", "")
    form = request.form
    actions = {
        "details": lambda: building.edit(current_user, survey.id, _survey_form()),
        "section": lambda: building.add_section(
            current_user, survey.id, form.get("section_title"), form.get("section_title_cy")
        ),
        "question": lambda: building.add_question(
            current_user, survey.id, _number(form.get("section_id")), _question_form()
        ),
        "edit_question": lambda: building.edit_question(
            current_user, survey.id, _number(form.get("item_id")), _question_form()
        ),
        "rename_section": lambda: building.rename_section(
            current_user,
            survey.id,
            _number(form.get("item_id")),
            form.get("section_title"),
            form.get("section_title_cy"),
        ),
        "up": lambda: building.move(current_user, survey.id, form.get("what", ""), _number(form.get("item_id")), -1),
        "down": lambda: building.move(current_user, survey.id, form.get("what", ""), _number(form.get("item_id")), 1),
        "delete": lambda: building.delete(current_user, survey.id, form.get("what", ""), _number(form.get("item_id"))),
        "publish": lambda: building.set_published(current_user, survey.id, form.get("value") == "1"),
        "results": lambda: building.set_results_published(current_user, survey.id, form.get("value") == "1"),
        "cite": lambda: citing.cite(current_user, form.get("outcome_id", ""), survey.id),
    }
    if action == "delete_survey":
        _saved, error = attempt(lambda: building.delete_survey(current_user, survey.id))
        if error is None:
            flash(_("Survey deleted."), "success")
            return redirect(url_for("surveys.index"))
        return _builder(access.get(survey_id), error)
    if action not in actions:
        raise ValidationError(_("That is not something the builder can do."))
    _saved, error = attempt(actions[action])
    if error is None:
        flash(_("Saved."), "success")
        return redirect(url_for("surveys.build", survey_id=survey.id))
    typed = {name: request.form.get(name, "") for name in SURVEY_FIELDS} if action == "details" else None
    return _builder(access.get(survey_id), error, typed)


def _number(value: object) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 0
