"""Live Q&A pages: the list of sessions, scheduling, the room, the projector, the transcript and exports.

Every action is a plain form (POST, then redirect back with a message), so
the room works without JavaScript; static/js/live/ (main.js) only keeps the
page current. A form that fails is shown again with what was typed.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from debate.permissions import allows
from debate.ratelimit import limited
from debate.services import bilingual, council_time
from debate.services.accounts import roles as account_roles
from debate.services.live import broad_support as live_broad_support
from debate.services.live import chat as live_chat
from debate.services.live import events as live_events
from debate.services.live import export as live_export
from debate.services.live import follows as live_follows
from debate.services.live import join as live_join
from debate.services.live import order as live_order
from debate.services.live import pages as live_pages
from debate.services.live import questions as live_questions
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.web.helpers import attempt, flash_error

bp = Blueprint("live", __name__, url_prefix="/sessions")
STATE_LABELS = {
    "scheduled": _l("Scheduled"),
    "live": _l("Live now"),
    "ended": _l("Ended"),
    "cancelled": _l("Cancelled"),
}
FORM_FIELDS = (
    "title",
    "title_cy",
    "description",
    "description_cy",
    "topic",
    "starts_at",
    "ends_at",
    "stream_url",
    "chat_slow_seconds",
)


def _user():
    return current_user if current_user.is_authenticated else None


@bp.app_template_filter("merge_options")
def merge_options(targets) -> Markup:
    """The merge box's <option>s, as `#id: text|truncate(80)` each, built in one pass: a moderator's room lists
    every question one can merge into (1,000 in a big session), and a Jinja loop costs several times this."""
    env = current_app.jinja_env
    shown = 80 + env.policies["truncate.leeway"]  # what `truncate(80)` leaves whole

    def text(body: str) -> Markup:
        return escape(body if len(body) <= shown else do_truncate(env, body, 80))

    options = "".join(f'<option value="{int(t.id)}">#{int(t.id)}: {text(t.body)}</option>' for t in targets)
    return Markup(options)  # noqa: S704 - built of whole numbers and escaped text only


@bp.context_processor
def live_helpers() -> dict:
    return {
        "may_edit_session": lambda live: allows(live_sessions.check_edit, _user(), live),
        "state_labels": STATE_LABELS,
        "sorts": live_pages.SORTS,
        "tally_sentence": live_pages.tally_sentence,
        "order_rule": live_order.RULE,
        "order_rules": live_order.RULES,
        "departure": live_order.departure,
        "bilingual_pick": bilingual.pick,
    }


# --- the list and scheduling ------------------------------------------------------------------


@bp.get("")
def index():
    return render_template(
        "live/index.html", sessions=live_sessions.listing(), may_schedule=live_roles.may_schedule(_user())
    )


def _form_values(live=None) -> dict:
    """What the schedule form shows: the typed values after a POST, else the session's, else the defaults."""
    if request.method == "POST":
        f = request.form
        values: dict[str, Any] = {name: f.get(name, "") for name in FORM_FIELDS}
        values.update(panel=f.getlist("panel"), premoderate=bool(f.get("premoderate")))
        values["allow_anonymous"] = bool(f.get("allow_anonymous"))
        values["order_rule"] = f.get("order_rule", "votes")
        return values
    if live is None:
        return {"panel": [], "premoderate": True, "allow_anonymous": False, "chat_slow_seconds": 10}

    def local(moment):
        return council_time.to_local(moment).strftime(live_sessions.DATETIME_FORMAT)

    return {
        "title": live.title,
        "title_cy": live.title_cy or "",
        "description": live.description,
        "description_cy": live.description_cy or "",
        "topic": live.topic.slug if live.topic else "",
        "starts_at": local(live.starts_at),
        "ends_at": local(live.ends_at),
        "panel": [str(i) for i in live.panel_ids],
        "premoderate": live.premoderate,
        "allow_anonymous": live.allow_anonymous,
        "stream_url": live.stream_url or "",
        "chat_slow_seconds": live.chat_slow_seconds,
    }


def _session_form() -> live_sessions.SessionForm:
    f = request.form
    return live_sessions.SessionForm(
        title=f.get("title", ""),
        description=f.get("description", ""),
        title_cy=f.get("title_cy", ""),
        description_cy=f.get("description_cy", ""),
        topic_slug=f.get("topic", ""),
        starts_at=f.get("starts_at", ""),
        ends_at=f.get("ends_at", ""),
        panel=f.getlist("panel"),
        premoderate=f.get("premoderate", ""),
        allow_anonymous=f.get("allow_anonymous", ""),
        stream_url=f.get("stream_url", ""),
        chat_slow_seconds=f.get("chat_slow_seconds", ""),
        order_rule=f.get("order_rule", ""),
    )


def _schedule_page(live=None, error=None, status: int = 200):
    return render_template(
        "live/form.html",
        live=live,
        form=_form_values(live),
        error=error,
        topics=live_pages.topics(),
        representatives=account_roles.representatives(),
        zone=council_time.zone().key,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limited(live_sessions.SCHEDULE)
def new():
    live_sessions.check_schedule(current_user)  # refused before the form is shown, as its submission would be
    if request.method == "GET":
        return _schedule_page()
    created, error = attempt(lambda: live_sessions.schedule(current_user, _session_form()))
    if error:
        return _schedule_page(None, error, error.http_status)
    flash(_("Session “%(title)s” scheduled.", title=created.title), "success")
    return redirect(url_for("live.room", session_id=created.id))


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
@limited(live_sessions.EDIT)
def edit(session_id: int):
    live = live_sessions.get(session_id)
    live_sessions.check_edit(current_user, live)
    if request.method == "GET":
        return _schedule_page(live)
    _result, error = attempt(lambda: live_sessions.edit(current_user, session_id, _session_form()))
    if error:
        return _schedule_page(live_sessions.get(session_id), error, error.http_status)
    flash(_("Session saved."), "success")
    return redirect(url_for("live.room", session_id=session_id))


def _host_action(session_id: int, action, done):
    _result, error = attempt(lambda: action(current_user, session_id))
    if error:
        flash_error(error)
    else:
        flash(str(done), "success")
    return redirect(url_for("live.room", session_id=session_id))


@bp.post("/<int:session_id>/start")
@login_required
@limited(live_sessions.RUN)
def start(session_id: int):
    return _host_action(session_id, live_sessions.start, _("The session is live: questions are open."))


@bp.post("/<int:session_id>/end")
@login_required
@limited(live_sessions.RUN)
def end(session_id: int):
    return _host_action(
        session_id, live_sessions.end, _("The session has ended. Unanswered questions now await a written answer.")
    )


@bp.post("/<int:session_id>/cancel")
@login_required
@limited(live_sessions.RUN)
def cancel(session_id: int):
    return _host_action(session_id, live_sessions.cancel, _("The session is cancelled."))


@bp.post("/<int:session_id>/order")
@login_required
@limited(live_broad_support.CHOOSE)
def choose_order(session_id: int):
    """The host's (or a moderator's) choice of the room's order: "Most votes" or "Broad support"."""
    chosen, error = attempt(lambda: live_broad_support.choose(current_user, session_id, request.form.get("order_rule")))
    if error:
        flash_error(error)
    else:
        flash(_("The room is now ordered by: %(rule)s.", rule=live_order.RULES[chosen.order_rule]), "success")
    return redirect(url_for("live.room", session_id=session_id, _anchor="live-order"))


@bp.post("/<int:session_id>/announcements")
@login_required
@limited(live_chat.ANNOUNCE)
def announce(session_id: int):
    _result, error = attempt(lambda: live_chat.announce(current_user, session_id, request.form.get("body")))
    if error:
        flash_error(error)
    else:
        flash(_("Announcement sent to the room."), "success")
    return redirect(url_for("live.room", session_id=session_id, _anchor="live-announcements"))


# --- the room ---------------------------------------------------------------------------------


def _room_page(session_id: int, error=None, error_form: str | None = None, status: int = 200):
    """The room; after a failed ask or chat, the same page with the message and what was typed."""
    data = live_pages.room(_user(), session_id, request.args.get("sort"), request.args.get("shown"))
    typed = request.form if error else {}
    return render_template(
        "live/room.html",
        data=data,
        live=data.live,
        error=error,
        error_form=error_form,
        typed=typed,
        key=secrets.token_urlsafe(16) if not typed.get("submission_key") else typed["submission_key"],
        categories=live_events.CATEGORIES,
        welsh=live_follows.welsh_question(_user(), data.live),
    ), status


@bp.get("/<int:session_id>")
def room(session_id: int):
    return _room_page(session_id)


def _back(session_id: int, anchor: str | None = None):
    sort = request.form.get("sort")
    sort = sort if sort in live_pages.SORTS and sort != "top" else None
    return redirect(url_for("live.room", session_id=session_id, sort=sort, _anchor=anchor))


@bp.post("/<int:session_id>/questions")
@login_required
@limited(live_questions.ASK)
def ask(session_id: int):
    f = request.form
    question, error = attempt(
        lambda: live_questions.ask(current_user, session_id, f.get("body"), f.get("anonymous"), f.get("submission_key"))
    )
    if error:
        return _room_page(session_id, error, "ask", error.http_status)
    if question.state == "held":
        flash(_("Your question is awaiting review: it appears in the room once a moderator approves it."), "success")
        return _back(session_id, "live-mine")
    flash(_("Your question is posted."), "success")
    return _back(session_id, f"q{question.id}")


@bp.post("/<int:session_id>/chat")
@login_required
@limited(live_chat.CHAT)
def chat(session_id: int):
    message, error = attempt(lambda: live_chat.post(current_user, session_id, request.form.get("body")))
    if error:
        return _room_page(session_id, error, "chat", error.http_status)
    if not message.is_public:
        flash(_("Your message is awaiting review before others can see it."), "success")
    return _back(session_id, "chat-form")


def _question_action(session_id: int, question_id: int, action, done: str | None, anchor: str | None = None):
    """Run one question action from a form; flash its message or the refusal; back to the room."""
    _result, error = attempt(action)
    return _done(session_id, question_id, error, done, anchor)


def _done(session_id: int, question_id: int, error, done: str | None, anchor: str | None = None):
    if error:
        flash_error(error)
    elif done:
        flash(done, "success")
    return _back(session_id, anchor or f"q{question_id}")


@bp.post("/<int:session_id>/questions/<int:question_id>/vote")
@login_required
@limited(live_questions.VOTE)
def vote(session_id: int, question_id: int):
    voting = request.form.get("action") != "unvote"
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.set_vote(current_user, question_id, voting, session_id),
        _("Your vote is counted.") if voting else _("Your vote is removed."),
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/withdraw")
@login_required
@limited(live_questions.WITHDRAW)
def withdraw(session_id: int, question_id: int):
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.withdraw(current_user, question_id, session_id),
        _("Your question is withdrawn."),
        "live-mine",
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/approve")
@login_required
@limited(live_questions.MODERATE)
def approve(session_id: int, question_id: int):
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.approve(current_user, question_id, session_id),
        _("Question approved: it is shown in the room."),
        "live-pending",
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/reject")
@login_required
@limited(live_questions.MODERATE)
def reject(session_id: int, question_id: int):
    f = request.form
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.reject(current_user, question_id, f.get("category"), f.get("note", ""), session_id),
        _("Question rejected. The asker is told why."),
        "live-pending",
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/fix")
@login_required
@limited(live_questions.MODERATE)
def fix(session_id: int, question_id: int):
    f = request.form
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.fix(current_user, question_id, f.get("text"), f.get("note"), session_id),
        _("Question corrected: it shows “edited by a moderator”."),
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/merge")
@login_required
@limited(live_questions.MODERATE)
def merge(session_id: int, question_id: int):
    into = request.form.get("into_id")
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.merge(current_user, question_id, into, session_id),
        _("Questions merged: the asker and voters now support the other question."),
        f"q{into}" if (into or "").isdigit() else None,
    )


TAKE_FIELDS = ("previous", "reason", "note")  # what taking up or pinning a question may need to be told


def _take(session_id: int, question_id: int, action, pinning: bool, done: str, anchor: str):
    """Take up or pin a question. When the service needs to know what became of the question being answered,
    or why this one goes ahead of the published order, the page asking for it (the socket client is sent
    there too)."""
    _result, error = attempt(action)
    if error is None or error.field not in TAKE_FIELDS:
        return _done(session_id, question_id, error, done, anchor)
    data = live_pages.take(session_id, question_id, pinning)  # a ServiceError is the app's error page
    page = render_template(
        "live/take.html",
        data=data,
        error=error,
        typed=request.form,
        reasons=live_order.DEPARTURE_REASONS,
        note_max=live_skips.NOTE_MAX,
    )
    return page, error.http_status


@bp.post("/<int:session_id>/questions/<int:question_id>/pin")
@login_required
@limited(live_questions.MODERATE)
def pin(session_id: int, question_id: int):
    f = request.form
    pinning = f.get("action") != "unpin"
    return _take(
        session_id,
        question_id,
        lambda: live_questions.pin(
            current_user, question_id, pinning, session_id, reason=f.get("reason"), note=f.get("note")
        ),
        pinning,
        _("Pinned as next up.") if pinning else _("No longer next up."),
        "live-next",
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/answering")
@login_required
@limited(live_questions.PANEL)
def answering(session_id: int, question_id: int):
    f = request.form
    return _take(
        session_id,
        question_id,
        lambda: live_questions.answering(
            current_user,
            question_id,
            session_id,
            previous=f.get("previous"),
            reason=f.get("reason"),
            note=f.get("note"),
        ),
        False,
        _("Marked as answering now."),
        "live-answering",
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/answer")
@login_required
@limited(live_questions.PANEL)
def answer(session_id: int, question_id: int):
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.answer(current_user, question_id, request.form.get("answer", ""), session_id),
        _("Marked as answered."),
    )


@bp.post("/<int:session_id>/questions/<int:question_id>/reopen")
@login_required
@limited(live_questions.PANEL)
def reopen(session_id: int, question_id: int):
    return _question_action(
        session_id,
        question_id,
        lambda: live_questions.reopen(current_user, question_id, session_id),
        _("The question is open again."),
    )


# --- the projector, the transcript and exports ------------------------------------------------


@bp.get("/<int:session_id>/projector")
def projector(session_id: int):
    data = live_pages.projector(session_id)
    join_url = live_join.url(data["live"])
    return render_template("live/projector.html", data=data, join_url=join_url, join=live_join.readable(join_url))


@bp.get("/<int:session_id>/join.svg")
def join_qr(session_id: int):
    """The QR code of the room's address, drawn on our server (the projector shows it)."""
    svg = live_join.qr_svg(live_join.url(live_sessions.get(session_id)))
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/<int:session_id>/transcript")
def transcript(session_id: int):
    return render_template("live/transcript.html", data=live_pages.transcript(session_id, request.args.get("shown")))


def _download(body, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/<int:session_id>/export.csv")
def export_csv(session_id: int):
    live = live_sessions.get(session_id)
    return _download(live_export.to_csv(live), "text/csv", f"session-{live.id}.csv")


@bp.get("/<int:session_id>/export.json")
def export_json(session_id: int):
    live = live_sessions.get(session_id)
    return _download(live_export.to_json(live), "application/json", f"session-{live.id}.json")


@bp.get("/<int:session_id>/calendar.ics")
def calendar(session_id: int):
    live = live_sessions.get(session_id)
    return _download(live_export.ics(live), "text/calendar", f"session-{live.id}.ics")


# --- "Will you speak Welsh at this session?" --------------------------------------------------


def _welsh_page(live, error=None, status: int = 200):
    return render_template(
        "live/welsh.html", live=live, welsh=live_follows.welsh_question(_user(), live), error=error
    ), status


@bp.get("/<int:session_id>/welsh")
def welsh(session_id: int):
    """The question on a page of its own: the calendar entry and the "about to start" notification link here."""
    return _welsh_page(live_sessions.get(session_id))


@bp.post("/<int:session_id>/welsh")
@login_required
@limited(live_follows.FOLLOW)
def speaks_welsh(session_id: int):
    """Answer (or change the answer) from the session's page or the question's own page."""
    result, error = attempt(
        lambda: live_follows.answer_welsh(current_user, session_id, request.form.get("speaks_welsh"))
    )
    if error:
        if error.http_status == 404:
            flash_error(error)
            return redirect(url_for("live.index"))
        return _welsh_page(live_sessions.get(session_id), error, error.http_status)
    live, _answer = result
    flash(_("Your answer is saved. You follow this session: you will be told when it is about to start."), "success")
    target = "live.welsh" if request.form.get("back") == "welsh" else "live.room"
    return redirect(url_for(target, session_id=live.id, _anchor="speaks-welsh"))
