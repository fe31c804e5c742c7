"""Moderation as members and the public meet it: flag content, read notices and appeal, the transparency report."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.ratelimit import limited
from debate.services.moderation import appeals as moderation_appeals
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import text as moderation_text
from debate.services.moderation import transparency as moderation_transparency
from debate.web.helpers import attempt

bp = Blueprint("moderation_public", __name__)


@bp.app_context_processor
def moderation_globals() -> dict:
    """The nav's unread count is computed only when a page shows it."""
    return {"moderation_unread": lambda: moderation_notices.unread(current_user)}


# --------------------------------------------------------------------------- flagging


def _cannot_flag(error):
    return render_template(
        "error.html", status=error.http_status, title=_("You can't flag this"), text=error.message
    ), error.http_status


def _flag_page(type_name: str, content_id: int, error=None, form=None, status: int = 200):
    ref, refused = attempt(lambda: moderation_flags.target(current_user, type_name, content_id))
    if refused is not None:
        return _cannot_flag(refused)
    return render_template(
        "moderation/flag.html",
        ref=ref,
        reasons=[(value, str(label)) for value, label in moderation_flags.REASONS],
        error=error,
        form=form or {},
    ), status


@bp.get("/flag/<content_type>/<int:content_id>")
@login_required
def flag_form(content_type: str, content_id: int):
    return _flag_page(content_type, content_id)


@bp.post("/flag/<content_type>/<int:content_id>")
@login_required
@limited(moderation_flags.FLAG)
def flag(content_type: str, content_id: int):
    f = request.form
    _done, error = attempt(
        lambda: moderation_flags.raise_flag(current_user, content_type, content_id, f.get("reason"), f.get("note"))
    )
    if error is not None:
        if error.field is None:  # nothing to correct on the form: say why instead
            return _cannot_flag(error)
        return _flag_page(content_type, content_id, error, f, error.http_status)
    flash(_("Thank you. Moderators will review it, and you will be told what they decide."), "success")
    ref = moderation_flags.describe(content_type, content_id)
    return redirect(ref.url if ref else url_for("main.index"))


# --------------------------------------------------------------------------- notices and appeals


def _notices_page(error=None, form=None, status: int = 200):
    notices = moderation_notices.for_user(current_user)
    appealed_decisions, appealed_sanctions = moderation_appeals.appealed_ids(current_user)
    return render_template(
        "moderation/notices.html",
        notices=notices,
        appeal_for=lambda n: moderation_appeals.appealable_notice(n, appealed_decisions, appealed_sanctions),
        error=error,
        form=form or {},
    ), status


@bp.get("/notices")
@login_required
def notices():
    return _notices_page()


@bp.post("/notices/read")
@login_required
def mark_read():
    moderation_notices.mark_read(current_user)
    flash(_("All notices are marked as read."), "success")
    return redirect(url_for("moderation_public.notices"))


@bp.post("/appeals")
@login_required
@limited(moderation_appeals.APPEAL)
def appeal():
    f = request.form
    decision_id, sanction_id = _opt_int(f.get("decision_id")), _opt_int(f.get("sanction_id"))
    _done, error = attempt(
        lambda: moderation_appeals.file(
            current_user, decision_id=decision_id, sanction_id=sanction_id, statement=f.get("statement")
        )
    )
    if error is not None:
        return _notices_page(error, f, error.http_status)
    flash(
        _("Your appeal has been sent. A different moderator will review it; you will be told the outcome."), "success"
    )
    return redirect(url_for("moderation_public.notices"))


def _opt_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


# --------------------------------------------------------------------------- transparency


@bp.get("/transparency")
def transparency():
    return render_template(
        "moderation/transparency.html",
        months=moderation_transparency.monthly(),
        label=moderation_text.reason_label,
        month_name=moderation_transparency.month_name,
    )
