"""Live Q&A sessions: scheduling, the panel, who may do what, starting and ending.

An admin schedules any session; a verified representative schedules their
own (they must sit on its panel). The host (whoever scheduled it) or an
admin starts and ends it. Ending moves every approved question the panel did
not answer to "awaiting a written answer", in the same transaction, so no
question is left without a status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionPanelist, SessionQuestion
from debate.models.topics import Topic
from debate.permissions import Permission, has, require
from debate.services import publishing, state_moves
from debate.services.accountability import questions as accountability
from debate.services.council_time import to_local, to_utc, zone  # noqa: F401 - also read as live_sessions.*
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import poll_events
from debate.services.live import roles as live_roles
from debate.services.text import clean_line, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
SCHEDULE = ratelimit.limit(
    "live.schedule",
    "20/hour",
    _l("You can schedule at most 20 sessions an hour. Please try again later."),
)
EDIT = ratelimit.limit(
    "live.edit",
    "60/hour",
    _l("You can save a session's details at most 60 times an hour. Please try again later."),
)
RUN = ratelimit.limit(
    "live.run",
    "10/minute",
    _l("You can start, end or cancel sessions at most 10 times a minute. Please wait a moment and try again."),
)

DESCRIPTION_MAX = 5000
TITLE_MIN = 5  # characters in a session's title; the most is the policy's (`limits.title`)
STREAM_URL_MAX = 500
SOON = timedelta(hours=24)  # a scheduled session starting within this is "starting soon" on the home page
PANEL_MAX = 12
LONGEST = timedelta(hours=12)
SLOW_MODE_MAX = 300
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


@dataclass(frozen=True)
class SessionForm:
    """A schedule or edit form, as typed: every field a string (or list of ids), checked by `clean`."""

    title: object = ""
    description: object = ""
    title_cy: object = ""  # the Welsh title and description: optional, shown to Welsh readers
    description_cy: object = ""
    topic_slug: object = ""
    starts_at: object = ""
    ends_at: object = ""
    panel: object = ()
    premoderate: object = True
    allow_anonymous: object = False
    stream_url: object = ""
    chat_slow_seconds: object = 10
    order_rule: object = "votes"  # a new session's order of questions (the room's host controls change it later)


# --- time -------------------------------------------------------------------------------------


# What each time field says when it is missing or unreadable (whole sentences, for translation).
_TIME_MESSAGES = {
    "starts_at": (
        _l("Choose the start time."),
        _l("The start time is not a date and time (for example 2026-12-03T19:00)."),
    ),
    "ends_at": (
        _l("Choose the end time."),
        _l("The end time is not a date and time (for example 2026-12-03T19:00)."),
    ),
}


def _parse_time(value: object, field: str) -> datetime:
    missing, unreadable = _TIME_MESSAGES[field]
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(str(missing), field)
    text = value.strip()[:32]
    for fmt in (DATETIME_FORMAT, DATETIME_FORMAT + ":%S"):
        try:
            return to_utc(datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValidationError(str(unreadable), field)


# --- input ------------------------------------------------------------------------------------


def _flag(value: object) -> bool:
    return value in (True, "1", "on", "true", "yes")


def _stream_url(value: object) -> str | None:
    """A link to the council's own stream: https only, shown as a link (never embedded: no third-party requests)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or len(value) > STREAM_URL_MAX:
        raise ValidationError(
            _("The stream link is too long (at most %(limit)d characters).", limit=STREAM_URL_MAX), "stream_url"
        )
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(ch.isspace() for ch in url):
        raise ValidationError(_("The stream link must be a web address starting with https://."), "stream_url")
    return url


def _slow_mode(value: object) -> int:
    try:
        seconds = int(str(value).strip() or 0)
    except ValueError:
        raise ValidationError(_("Slow mode is a number of seconds."), "chat_slow_seconds") from None
    if not 0 <= seconds <= SLOW_MODE_MAX:
        raise ValidationError(
            _("Slow mode is between 0 and %(limit)d seconds.", limit=SLOW_MODE_MAX), "chat_slow_seconds"
        )
    return seconds


def _description(value: object, field: str = "description") -> str:
    # clean_text fills in {count} and {limit} itself.
    return clean_text(
        value,
        field,
        DESCRIPTION_MAX,
        too_long=_("The description is too long: {count} characters, and the limit is {limit}.")
        if field == "description"
        else _("The Welsh description is too long: {count} characters, and the limit is {limit}."),
    )


def _welsh_title(value: object) -> str:
    """The Welsh title is optional: empty, or a title held to the English one's rules."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    limit = publishing.policy().limits.title
    return clean_line(value, "title_cy", _("Welsh title"), min_len=TITLE_MIN, max_len=limit)


def _topic(value: object) -> int | None:
    if not value:
        return None
    topic = db.session.scalar(select(Topic).where(Topic.slug == str(value)[:80]))
    if topic is None:
        raise ValidationError(_("Choose a topic from the list."), "topic")
    return topic.id


def _panel(value: object) -> list[User]:
    """Verified representatives only: the panel's names are shown as the people answering."""
    if isinstance(value, str | int):
        value = [value]
    if value is not None and not isinstance(value, Iterable):
        raise ValidationError(_("Choose the panel from the list of representatives."), "panel")
    try:
        ids = list(dict.fromkeys(bounds.whole(v) for v in value or ()))
    except (TypeError, ValueError):
        raise ValidationError(_("Choose the panel from the list of representatives."), "panel") from None
    if not ids:
        raise ValidationError(_("Choose at least one representative for the panel."), "panel")
    if len(ids) > PANEL_MAX:
        raise ValidationError(_("A panel has at most %(limit)d representatives.", limit=PANEL_MAX), "panel")
    users = list(db.session.scalars(select(User).where(User.id.in_(ids))))
    if len(users) != len(ids) or not all(u.is_verified_representative and u.deleted_at is None for u in users):
        raise ValidationError(_("Only verified representatives can sit on a panel."), "panel")
    return sorted(users, key=lambda u: ids.index(u.id))


def _order_rule(value: object) -> str:
    if value in (None, ""):
        return live_order.VOTES
    if not isinstance(value, str) or value not in live_order.RULES:
        raise ValidationError(_("Choose “Most votes” or “Broad support” for the order of questions."), "order_rule")
    return value


def clean(form: SessionForm, *, new: bool) -> dict[str, Any]:
    starts_at = _parse_time(form.starts_at, "starts_at")
    ends_at = _parse_time(form.ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationError(_("The session must end after it starts."), "ends_at")
    if ends_at - starts_at > LONGEST:
        raise ValidationError(_("A session lasts at most 12 hours."), "ends_at")
    if new and starts_at < utcnow() - timedelta(minutes=5):
        raise ValidationError(_("The start time has already passed."), "starts_at")
    chosen = {"order_rule": _order_rule(form.order_rule)} if new else {}  # later, the room's own control
    return {
        **chosen,
        "title": clean_line(
            form.title, "title", _("Title"), min_len=TITLE_MIN, max_len=publishing.policy().limits.title
        ),
        "description": _description(form.description),
        "title_cy": _welsh_title(form.title_cy),
        "description_cy": _description(form.description_cy, "description_cy"),
        "topic_id": _topic(form.topic_slug),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "panel": _panel(form.panel),
        "premoderate": _flag(form.premoderate),
        "allow_anonymous": _flag(form.allow_anonymous),
        "stream_url": _stream_url(form.stream_url),
        "chat_slow_seconds": _slow_mode(form.chat_slow_seconds),
    }


# --- roles ------------------------------------------------------------------------------------


# --- loading ----------------------------------------------------------------------------------


def get(session_id: object) -> LiveSession:
    try:
        key = bounds.whole(session_id)
    except (TypeError, ValueError):
        raise NotFound(_("That session does not exist.")) from None
    live = db.session.get(LiveSession, key) if 0 < key < 2**62 else None
    if live is None:
        raise NotFound(_("That session does not exist."))
    return live


def listing() -> dict[str, list[LiveSession]]:
    """Live now, coming up (soonest first), and past (latest first)."""
    rows = list(db.session.scalars(select(LiveSession).order_by(LiveSession.starts_at)))
    return {
        "live": [s for s in rows if s.state == LiveSession.LIVE],
        "upcoming": [s for s in rows if s.state == LiveSession.SCHEDULED],
        "past": sorted(
            (s for s in rows if s.state in (LiveSession.ENDED, LiveSession.CANCELLED)),
            key=lambda s: s.ended_at or s.starts_at,
            reverse=True,
        ),
    }


@dataclass(frozen=True)
class OnNow:
    """What the home page leads with: sessions live now, and those about to start (to join, or to come back to)."""

    live: list[LiveSession]
    soon: list[LiveSession]

    def __bool__(self) -> bool:
        return bool(self.live or self.soon)


def on_now(now: datetime | None = None) -> OnNow:
    """Sessions live now (longest running first) and scheduled ones starting within SOON (soonest first), one
    scheduled session whose start has passed but not its end included: its host may start it any moment."""
    moment = now or utcnow()
    coming = (LiveSession.state == LiveSession.SCHEDULED) & (LiveSession.starts_at <= moment + SOON)
    stmt = (
        select(LiveSession)
        .where((LiveSession.state == LiveSession.LIVE) | (coming & (LiveSession.ends_at > moment)))
        .options(selectinload(LiveSession.panel).selectinload(SessionPanelist.user))
        .order_by(LiveSession.starts_at, LiveSession.id)
    )
    rows = list(db.session.scalars(stmt))
    live = sorted((s for s in rows if s.state == LiveSession.LIVE), key=lambda s: (s.started_at or s.starts_at, s.id))
    return OnNow(live, [s for s in rows if s.state == LiveSession.SCHEDULED])


# --- scheduling -------------------------------------------------------------------------------


def check_schedule(user: User | None) -> None:
    """Refuse unless this person may schedule sessions (the schedule form asks before it is shown)."""
    if not live_roles.may_schedule(user):
        require(user, Permission.MANAGE_TOPICS)  # raises the readable refusal


def schedule(user: User, form: SessionForm) -> LiveSession:
    """Create a session. A representative who is not an admin must be on their own panel."""
    check_schedule(user)
    fields = clean(form, new=True)
    if not has(user, Permission.MANAGE_TOPICS) and user.id not in {u.id for u in fields["panel"]}:
        raise ValidationError(_("Put yourself on the panel: representatives schedule their own sessions."), "panel")
    panel = fields.pop("panel")
    live = LiveSession(host_id=user.id, **fields)
    live.panel = [SessionPanelist(user_id=u.id) for u in panel]
    db.session.add(live)
    db.session.commit()
    return live


def edit(user: User, session_id: object, form: SessionForm) -> LiveSession:
    """Change a session that has not ended; everyone in the room sees the new details."""
    live = get(session_id)
    check_edit(user, live)
    fields = clean(form, new=False)
    panel = fields.pop("panel")
    for name, value in fields.items():
        setattr(live, name, value)
    keep = {u.id for u in panel}
    live.panel = [p for p in live.panel if p.user_id in keep] + [
        SessionPanelist(user_id=u.id) for u in panel if u.id not in live.panel_ids
    ]
    live_events.record_session(live)
    db.session.commit()
    return live


def check_edit(user: User | None, live: LiveSession) -> None:
    """Refuse unless this person may change this session now (the edit form asks before it is shown)."""
    require_host(user, live)
    if live.state in (LiveSession.ENDED, LiveSession.CANCELLED):
        raise Conflict(_("This session is over: it can no longer be changed."))


def require_host(user: User | None, live: LiveSession) -> None:
    require(user, Permission.POST)
    if not live_roles.is_host(user, live):
        raise PermissionDenied(_("Only the session's host or an admin can do that."))


def start(user: User, session_id: object) -> LiveSession:
    live = get(session_id)
    require_host(user, live)
    _move(live, LiveSession.SCHEDULED, LiveSession.LIVE, _("This session has already started or is over."))
    live.started_at = utcnow()
    live_events.record_session(live)
    db.session.commit()
    return live


def end(user: User, session_id: object) -> LiveSession:
    """End the session; unanswered approved questions now await a written answer."""
    live = get(session_id)
    require_host(user, live)
    _move(live, LiveSession.LIVE, LiveSession.ENDED, _("This session is not live."))
    live.ended_at = utcnow()
    waiting = list(
        db.session.scalars(
            select(SessionQuestion).where(
                SessionQuestion.session_id == live.id,
                SessionQuestion.status.in_((SessionQuestion.OPEN, SessionQuestion.ANSWERING)),
            )
        )
    )
    for question in waiting:
        question.status = SessionQuestion.AWAITING
        question.pinned_at = None
    accountability.track_session(live)  # on the record: answered live, or due a written answer
    live_events.record_session(live)
    poll_events.close_open(live)  # its open polls close with it
    shown = [q for q in waiting if q.is_public]
    if shown:
        live_events.record_questions(live, shown)
    db.session.commit()
    return live


def cancel(user: User, session_id: object) -> LiveSession:
    live = get(session_id)
    require_host(user, live)
    _move(
        live, LiveSession.SCHEDULED, LiveSession.CANCELLED, _("Only a session that has not started can be cancelled.")
    )
    live.ended_at = utcnow()
    live_events.record_session(live)
    db.session.commit()
    return live


def _move(live: LiveSession, before: str, after: str, refusal: str) -> None:
    """A conditional UPDATE: of two hosts pressing "start" at once, one wins and the other is told."""
    state_moves.move(live, "state", before, after, refusal)


# Whole sentences for each thing a closed room refuses (before it starts, after it ends), keyed by what the
# callers in questions.py and chat.py pass as `doing`.
_CLOSED = {
    "ask a question": (
        _l("This session has not started yet: you can't ask a question now."),
        _l("This session is over: you can't ask a question now."),
    ),
    "vote": (
        _l("This session has not started yet: you can't vote now."),
        _l("This session is over: you can't vote now."),
    ),
    "pin questions": (
        _l("This session has not started yet: you can't pin questions now."),
        _l("This session is over: you can't pin questions now."),
    ),
    "take questions": (
        _l("This session has not started yet: you can't take questions now."),
        _l("This session is over: you can't take questions now."),
    ),
    "reopen questions": (
        _l("This session has not started yet: you can't reopen questions now."),
        _l("This session is over: you can't reopen questions now."),
    ),
    "chat": (
        _l("This session has not started yet: you can't chat now."),
        _l("This session is over: you can't chat now."),
    ),
    "post announcements": (
        _l("This session has not started yet: you can't post announcements now."),
        _l("This session is over: you can't post announcements now."),
    ),
    "run polls": (
        _l("This session has not started yet: you can't open polls now."),
        _l("This session is over: you can't open polls now."),
    ),
    "answer polls": (
        _l("This session has not started yet: you can't answer polls now."),
        _l("This session is over: you can't answer polls now."),
    ),
    "do that": (
        _l("This session has not started yet: you can't do that now."),
        _l("This session is over: you can't do that now."),
    ),
}


def require_live(live: LiveSession, doing: str = "do that") -> None:
    if live.state != LiveSession.LIVE:
        not_yet, over = _CLOSED.get(doing, _CLOSED["do that"])
        raise Conflict(str(not_yet if live.state == LiveSession.SCHEDULED else over))
