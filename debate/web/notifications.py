"""The notification centre, email settings, one-click unsubscribe, and following a live session."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.extensions import csrf
from debate.ratelimit import limited
from debate.services import bilingual, notifications
from debate.services.live import follows as session_follows
from debate.web.helpers import attempt, safe_next

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def notification_globals() -> dict:
    """The nav's unread count (computed only when a page shows it); whether you follow a live session."""
    return {
        "notifications_unread": lambda: notifications.unread(current_user),
        "session_following": lambda session_id: session_follows.is_following(current_user, session_id),
    }


# --------------------------------------------------------------------------- the centre


@bp.get("/notifications")
@login_required
def index():
    return render_template(
        "notifications/index.html", items=notifications.for_user(current_user), kinds=notifications.KINDS
    )


@bp.post("/notifications/read")
@login_required
def mark_read():
    notifications.mark_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


# --------------------------------------------------------------------------- email settings


def _preferences_page(prefs=None, error=None, status: int = 200):
    return render_template(
        "notifications/preferences.html",
        prefs=prefs or notifications.preferences(current_user),
        kinds=notifications.kinds_for(current_user),
        choices=notifications.EMAIL_CHOICES,
        error=error,
    ), status


@bp.get("/account/notifications")
@login_required
def preferences():
    return _preferences_page()


@bp.post("/account/notifications")
@login_required
def save_preferences():
    _result, error = attempt(lambda: notifications.save_preferences(current_user, request.form))
    if error is not None:
        return _preferences_page(error=error, status=error.http_status)
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("notifications.preferences"))


# --------------------------------------------------------------------------- unsubscribe (no sign-in)


def _bad_link(error):
    return render_template(
        "error.html", status=400, title=_("This unsubscribe link does not work"), text=error.message
    ), 400


@bp.get("/unsubscribe/<token>")
@limited(notifications.UNSUBSCRIBE, methods=("GET", "POST"))
def unsubscribe(token: str):
    """Only asks: mail scanners that open links must not unsubscribe anyone."""
    found, error = attempt(lambda: notifications.read_unsubscribe(token))
    if error is not None:
        return _bad_link(error)
    return render_template("notifications/unsubscribe.html", found=found, token=token, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs with no session; the signed token is the authority
@limited(notifications.UNSUBSCRIBE)
def unsubscribe_confirm(token: str):
    found, error = attempt(lambda: notifications.unsubscribe(token))
    if error is not None:
        return _bad_link(error)
    if request.form.get("List-Unsubscribe") == "One-Click":
        return _("You are unsubscribed.") + "\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("notifications/unsubscribe.html", found=found, token=token, done=True)


# --------------------------------------------------------------------------- following a live session


@bp.post("/sessions/<int:session_id>/follow")
@login_required
@limited(session_follows.FOLLOW)
def follow_session(session_id: int):
    result, error = attempt(lambda: session_follows.set_following(current_user, session_id))
    if error is not None:
        flash(error.message, "error")
        return redirect(url_for("main.index")) if error.http_status == 404 else redirect(f"/sessions/{session_id}")
    live, following = result
    title = str(bilingual.pick(live, "title"))
    if following:
        flash(_("You follow “%(title)s”: you will be told when it is about to start.", title=title), "success")
    else:
        flash(_("You no longer follow “%(title)s”.", title=title), "success")
    return redirect(safe_next(f"/sessions/{live.id}"))
