"""Accountability pages: representatives' outstanding questions, the public records, "my questions", settings.

Plain forms (POST, then redirect with a message), so everything works
without JavaScript. A form that fails is shown again, with what was typed
and the reason next to the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from debate.errors import ServiceError
from debate.permissions import Permission, has
from debate.services import bilingual
from debate.services.accountability import bank_holidays
from debate.services.accountability import questions as accountability
from debate.services.accounts import roles as account_roles
from debate.services.council_time import shown_date
from debate.web.helpers import attempt, flash_error

bp = Blueprint("accountability", __name__)

HOW_LABELS = {"live": _l("Answered live"), "written": _l("Answered in writing"), "referral": _l("Answered by referral")}


@bp.app_template_global()
def written_answer_note(question) -> str:
    """For a room question awaiting a written answer: "due by ..." (or "overdue", or "referred to ...").

    The session's tracked questions are read once per request (one query), however many are listed.
    """
    cache = g.setdefault("tracked_by_session", {})
    if question.session_id not in cache:
        cache[question.session_id] = accountability.for_session(question.session_id)
    tracked = cache[question.session_id].get(question.id)
    if tracked is None:
        return ""
    if tracked.status == "referred":
        return _("Referred to %(to)s on %(day)s", to=tracked.referred_to, day=shown_date(tracked.referred_at))
    if tracked.due_on is None:
        return ""
    if accountability.is_overdue(tracked):
        return _("Overdue: the answer was due by %(day)s", day=shown_date(tracked.due_on))
    return _("Due by %(day)s", day=shown_date(tracked.due_on))


@bp.context_processor
def helpers() -> dict:
    on = accountability.today()
    return {
        "today": on,
        "overdue": lambda t: accountability.is_overdue(t, on),
        "late": accountability.answered_late,
        "asker_name": accountability.asker_name,
        "asked_where": accountability.link,
        "status_labels": accountability.STATUS_LABELS,
        "how_labels": HOW_LABELS,
        "median_rule": accountability.MEDIAN_RULE,
        "page_size": accountability.PAGE_SIZE,
        "pick": bilingual.pick,
    }


def _user():
    return current_user if current_user.is_authenticated else None


# --- representatives: what I owe ----------------------------------------------------------------


def _answers_page(error: ServiceError | None = None, failed: int | None = None, form: str = "", status: int = 200):
    user = _user()
    is_rep = has(user, Permission.ANSWER_AS_REPRESENTATIVE)
    if not (is_rep or has(user, Permission.MANAGE_TOPICS)):
        abort(403)
    page = request.args.get("page")
    mine = accountability.outstanding(user, page) if is_rep else None
    return (
        render_template(
            "accountability/answers.html",
            questions=mine,
            page=mine.page if mine else None,
            page_url=lambda n: url_for("accountability.answers", page=n),
            referrals=accountability.referrals_waiting() if has(user, Permission.MANAGE_TOPICS) else [],
            colleagues=[u for u in account_roles.representatives() if u.id != user.id],
            days_left=partial(accountability.working_days_left, config=accountability.settings()),
            may_reply=lambda t: accountability.may_post_reply(user, t),
            error=error,
            failed=failed,
            failed_form=form,
            typed=request.form if error else {},
        ),
        status,
    )


@bp.get("/answers")
@login_required
def answers():
    return _answers_page()


def _act(tracked_id: int, form: str, action, done: str):
    _done, error = attempt(action)
    if error:
        if error.http_status in (403, 404):
            abort(error.http_status)
        return _answers_page(error, tracked_id, form, error.http_status)
    flash(done, "success")
    return redirect(url_for("accountability.answers", page=request.args.get("page", type=int)))


@bp.post("/answers/<int:tracked_id>/answer")
@login_required
def answer(tracked_id: int):
    return _act(
        tracked_id,
        "answer",
        lambda: accountability.answer(
            current_user, tracked_id, request.form.get("answer", ""), request.form.get("answer_cy", "")
        ),
        _("Your answer is published, and the person who asked has been told."),
    )


@bp.post("/answers/<int:tracked_id>/transfer")
@login_required
def transfer(tracked_id: int):
    return _act(
        tracked_id,
        "transfer",
        lambda: accountability.transfer(
            current_user, tracked_id, request.form.get("to_user_id", ""), request.form.get("note", "")
        ),
        _("The question is transferred; your colleague has been told."),
    )


@bp.post("/answers/<int:tracked_id>/refer")
@login_required
def refer(tracked_id: int):
    return _act(
        tracked_id,
        "refer",
        lambda: accountability.refer(
            current_user, tracked_id, request.form.get("referred_to", ""), request.form.get("referral_note", "")
        ),
        _("The question is marked as referred, and the person who asked has been told."),
    )


@bp.post("/answers/<int:tracked_id>/reply")
@login_required
def referral_reply(tracked_id: int):
    return _act(
        tracked_id,
        "reply",
        lambda: accountability.post_referral_reply(current_user, tracked_id, request.form.get("referral_reply", "")),
        _("The reply is posted, and the person who asked has been told."),
    )


# --- public records ---------------------------------------------------------------------------


@bp.get("/record")
def council():
    return render_template(
        "accountability/record.html",
        council=accountability.council_record(),
        rows=accountability.representatives_record(),
    )


@bp.get("/representatives/<int:user_id>/record")
def representative(user_id: int):
    person, error = attempt(lambda: accountability.representative(user_id))
    if error:
        abort(404)
    return render_template(
        "accountability/representative.html",
        person=person,
        figures=accountability.record(person.id),
        questions=accountability.put_to(person.id, request.args.get("page")),
        page_url=lambda n: url_for(
            "accountability.representative", user_id=person.id, page=n, _anchor="questions-heading"
        ),
        transferred=accountability.transferred_away(person.id),
    )


@bp.get("/questions/mine")
@login_required
def mine():
    return render_template("accountability/mine.html", questions=accountability.mine(current_user))


# --- moderators: forum questions --------------------------------------------------------------


def _forum_page(error: ServiceError | None = None, status: int = 200):
    accountability.check_forum_question(current_user)  # refused before the form is shown, as on submission
    values = request.values
    return (
        render_template(
            "accountability/forum_question.html",
            thread_id=values.get("thread_id", "")[:20],
            reply_id=values.get("reply_id", "")[:20],
            chosen=values.get("representative_id", ""),
            representatives=account_roles.representatives(),
            error=error,
        ),
        status,
    )


@bp.get("/forum-questions/new")
@login_required
def forum_question_form():
    return _forum_page()


@bp.post("/forum-questions")
@login_required
def add_forum_question():
    accountability.check_forum_question(current_user)
    f = request.form
    tracked, error = attempt(
        lambda: accountability.add_forum_question(
            current_user, f.get("representative_id", ""), thread_id=f.get("thread_id"), reply_id=f.get("reply_id")
        )
    )
    if error:
        if error.http_status in (403, 404):
            abort(error.http_status)
        return _forum_page(error, error.http_status)
    flash(_("The question is on the list, due on %(day)s.", day=shown_date(tracked.due_on)), "success")
    return redirect(accountability.link(tracked))


# --- admin: settings --------------------------------------------------------------------------


def _settings_page(error: ServiceError | None = None, status: int = 200):
    current = accountability.settings()
    today = accountability.today()
    upcoming, year_on = current.calendar.upcoming(today), today + timedelta(days=365)
    form = request.form if error and error.field in ("due_working_days", "nation") else {}
    values: Mapping[str, Any] = form or {"due_working_days": current.due_working_days, "nation": current.nation}
    return (
        render_template(
            "accountability/settings.html",
            values=values,
            typed=request.form if error and error.field in ("day", "name") else {},
            error=error,
            nations=bank_holidays.NATIONS,
            nation_name=bank_holidays.nation_name(current.nation),
            calendar=current.calendar,
            soon=[h for h in upcoming if h.day < year_on],
            later=[h for h in upcoming if h.day >= year_on],
            reload_through=accountability.today().year + bank_holidays.YEARS_AHEAD,
            source=bank_holidays.SOURCE,
            version=bank_holidays.VERSION,
        ),
        status,
    )


def _admin_only() -> None:
    accountability.check_settings(current_user)  # refused before the form is shown, as on submission


def _holiday_action(action, done: str):
    _admin_only()
    _done, error = attempt(action)
    if error:
        return _settings_page(error, error.http_status)
    flash(done, "success")
    return redirect(url_for("accountability.settings", _anchor="holidays-heading"))


@bp.route("/admin/accountability", methods=["GET", "POST"])
@login_required
def settings():
    _admin_only()
    if request.method == "GET":
        return _settings_page()
    f = request.form
    _done, error = attempt(
        lambda: accountability.save_settings(current_user, f.get("due_working_days", ""), f.get("nation"))
    )
    if error:
        return _settings_page(error, error.http_status)
    flash(_("Settings saved. They apply to questions put from now on."), "success")
    return redirect(url_for("accountability.settings"))


@bp.post("/admin/accountability/holidays")
@login_required
def add_holiday():
    f = request.form
    return _holiday_action(
        lambda: accountability.add_bank_holiday(current_user, f.get("day"), f.get("name")),
        _("The day is added: new due dates skip it."),
    )


@bp.post("/admin/accountability/holidays/remove")
@login_required
def remove_holiday():
    _admin_only()
    _done, error = attempt(lambda: accountability.remove_bank_holiday(current_user, request.form.get("day")))
    if error:
        flash_error(error)  # a stale page: the day was removed meanwhile
    else:
        flash(_("The day is removed: new due dates count it as a working day."), "success")
    return redirect(url_for("accountability.settings", _anchor="holidays-heading"))


@bp.post("/admin/accountability/holidays/reload")
@login_required
def reload_holidays():
    return _holiday_action(
        lambda: accountability.reload_bank_holidays(current_user), _("The official list is loaded again.")
    )
