"""Small helpers shared by the views: calling a service from a form, template globals."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, flash, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.local import LocalProxy

from debate.errors import ServiceError, ValidationError
from debate.extensions import db
from debate.i18n.names import council_name
from debate.permissions import Permission, has
from debate.services import publishing
from debate.services.accountability import bank_holidays, outcomes
from debate.services.accountability import questions as accountability
from debate.services.accounts import credentials as accounts
from debate.services.accounts import roles
from debate.services.forums import posts as forum_posts
from debate.services.forums import search, topics
from debate.services.live import chat as live_chat
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import settings as moderation_settings
from debate.services.moderation import standing as moderation_standing


def attempt(action: Callable[[], Any]) -> tuple[Any, ServiceError | None]:
    """Run a service call for a form; on a ServiceError return it for the page to show."""

    try:
        return action(), None
    except ServiceError as exc:
        db.session.rollback()
        return None, exc


def json_ok(data: Any, status: int = 200) -> tuple[Response, int]:
    """A JSON API answer: {"ok": true, "data": ...}."""
    return jsonify({"ok": True, "data": data}), status


def json_body() -> dict:
    """The JSON object a JSON API write sends; anything else is refused."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(_("Send a JSON object (Content-Type: application/json)."))
    return data


def flash_error(exc: ServiceError) -> None:
    flash(exc.message, "error")


def safe_next(default: str) -> str:
    """Only same-site relative paths are followed after sign-in (no open redirect)."""
    target = request.values.get("next", "")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default  # control characters: header injection, or stripped by browsers into "//host"
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and "\\" not in target:
        return target
    return default


def text_limits() -> dict[str, int]:
    """Every limit a form states (lengths, and the session form's seconds and hours), read from the service
    that enforces it, never a copy.

    In characters as people see them (grapheme clusters): templates render them
    in hints and as data-max-chars, which static/js/charcount.js counts against;
    the live room also states its own as data-max-chars-* for its JavaScript.
    Emails, passwords and links are counted in code points (maxlength).
    tests/web/test_form_limits.py renders each form and compares.
    """
    policy = publishing.policy()  # once: the settings' limits (each call checks the policy's revision)
    return {
        "name": policy.limits.display_name,  # moderation_screening.display_name_max()
        "name_min": accounts.NAME_MIN,
        "email": accounts.EMAIL_MAX,
        "password": accounts.PASSWORD_MAX,
        "password_min": accounts.PASSWORD_MIN,
        "thread": policy.limits.thread,
        "reply": policy.limits.reply,
        "title": policy.limits.title,
        "title_min": forum_posts.TITLE_MIN,
        "session_title_min": live_sessions.TITLE_MIN,
        "question": policy.limits.question,  # live_questions.question_max()
        "chat": policy.limits.chat_message,  # live_chat.message_max()
        "announcement": live_chat.ANNOUNCEMENT_MAX,
        "stream_url": live_sessions.STREAM_URL_MAX,
        "session_hours": int(live_sessions.LONGEST.total_seconds() // 3600),
        "slow_mode_seconds": live_sessions.SLOW_MODE_MAX,
        "skip_note": live_skips.NOTE_MAX,
        "live_answer": live_questions.ANSWER_MAX,
        "session_description": live_sessions.DESCRIPTION_MAX,
        "topic_title": topics.TITLE_MAX,
        "topic_description": topics.DESCRIPTION_MAX,
        "decision_note": moderation_decisions.NOTE_MAX,
        "sanction_note": moderation_sanctions.NOTE_MAX,
        "flag_note": policy.flags.note_max_chars,  # moderation_flags.note_max()
        "appeal": policy.appeals.statement_max_chars,
        "watched_term": moderation_settings.TERM_MAX,
        "outcome_text": outcomes.TEXT_MAX,
        "outcome_note": outcomes.NOTE_MAX,
        "written_answer": accountability.ANSWER_MAX,
        "accountability_note": accountability.NOTE_MAX,
        "referred_to": accountability.TO_MAX,
        "profile_field": roles.FIELD_MAX,
        "search": search.QUERY_MAX,
        "member_search": roles.MEMBER_QUERY_MAX,
        "audit_target": moderation_audit.TARGET_MAX,
        "holiday_name": bank_holidays.NAME_MAX,
    }


def template_globals() -> dict:
    return {
        "site_name": current_app.config["SITE_NAME"],
        "council_name": council_name(),
        "can": lambda perm: has(current_user, Permission(perm)),
        # Why the signed-in member may not write now (a sanction), or None: pages show it instead of the form.
        "write_restriction": lambda: moderation_standing.restriction(current_user),
        "limits": LocalProxy(functools.cache(text_limits)),  # read once a page, when a form states one
    }
