"""Following a live session: members who follow one are told once, within the hour before it starts.

`notify_starting` is run by `flask notify-sessions` (every few minutes from
cron or a scheduler). Each follow remembers the start time it was told about,
claimed with a conditional update, so re-running (or two runs at once) tells
nobody twice; a session moved to a new time is announced again.

"Will you speak Welsh at this session?": a follower answers yes, no or not at all
(`SessionFollow.speaks_welsh`), on the session's page, when following, or from the
link in the calendar entry and the "about to start" notification. When WELSH_SHARE
per cent or more of the followers said yes (and at least one did), the host and
moderators see it on the session's page, and the host is told once, in their language,
to arrange Welsh-English interpretation. The rules are here; every form calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from debate import ratelimit
from debate.errors import Conflict, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession
from debate.models.notifications import Notification, SessionFollow
from debate.permissions import require_signed_in, signed_in
from debate.services import bilingual, notifications, rows
from debate.services.accounts import language
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
FOLLOW = ratelimit.limit(
    "live.follow",
    "60/hour",
    _l("You can follow or stop following sessions at most 60 times an hour. Please try again later."),
)

LEAD_TIME = timedelta(hours=1)

WELSH_SHARE = 10  # per cent of followers saying they will speak Welsh, from which the host arranges interpreting
WELSH_KIND = "welsh_speakers"  # the host's notification
# The answers to "Will you speak Welsh at this session?", as forms send them.
WELSH_ANSWERS: dict[str, bool | None] = {"yes": True, "no": False, "": None, "unanswered": None}
KEEP = object()  # `set_following(..., speaks_welsh=KEEP)`: leave the answer as it is


def is_following(user: User | None, session_id: int) -> bool:
    return _follow(user, session_id) is not None


def _follow(user: User | None, session_id: int) -> SessionFollow | None:
    if not signed_in(user):
        return None
    return db.session.scalar(
        select(SessionFollow).where(SessionFollow.session_id == session_id, SessionFollow.user_id == user.id)
    )


def welsh_answer(value: object) -> bool | None:
    """A form's answer ("yes", "no", "" for not answered; or a bool/None) as stored; anything else is refused."""
    if value is None or isinstance(value, bool):
        return value
    key = str(value).strip().lower()[:20]
    if key not in WELSH_ANSWERS:
        raise ValidationError(_("Choose yes, no or not answered."), "speaks_welsh")
    return WELSH_ANSWERS[key]


def set_following(
    user: User, session_id: object, follow: bool | None = None, speaks_welsh: object = KEEP
) -> tuple[LiveSession, bool]:
    """Follow or stop following (None: toggle); returns the session and whether they now follow it.
    `speaks_welsh` ("yes", "no", "" or a bool/None) records their answer when they follow."""
    require_signed_in(user)
    live = live_sessions.get(session_id)
    answer = KEEP if speaks_welsh is KEEP else welsh_answer(speaks_welsh)
    current = _follow(user, live.id)
    now_following = (current is None) if follow is None else follow
    if now_following and current is None:
        current = SessionFollow(session_id=live.id, user_id=user.id)
        db.session.add(current)
    elif not now_following:
        db.session.execute(
            delete(SessionFollow).where(SessionFollow.session_id == live.id, SessionFollow.user_id == user.id)
        )
    if now_following and current is not None and (answer is None or isinstance(answer, bool)):
        current.speaks_welsh = answer
    try:
        db.session.commit()
    except IntegrityError:  # followed twice at once: it is followed
        db.session.rollback()
        if now_following and answer is not KEEP:
            return answer_welsh(user, live.id, answer)[0], True
    tell_host_about_welsh(live)
    return live, now_following


def answer_welsh(user: User, session_id: object, answer: object) -> tuple[LiveSession, bool | None]:
    """Record their answer to "Will you speak Welsh at this session?" (changeable until it ends). Answering
    follows the session (they mean to come), so they are also told when it is about to start."""
    require_signed_in(user)
    live = live_sessions.get(session_id)
    value = welsh_answer(answer)
    if live.state in (LiveSession.ENDED, LiveSession.CANCELLED):
        raise Conflict(_("This session is over: it can no longer be changed."))
    current = _follow(user, live.id)
    if current is None:
        db.session.add(SessionFollow(session_id=live.id, user_id=user.id, speaks_welsh=value))
    else:
        current.speaks_welsh = value
    try:
        db.session.commit()
    except IntegrityError:  # followed at the same moment from another page: answer on that follow
        db.session.rollback()
        db.session.execute(
            update(SessionFollow)
            .where(SessionFollow.session_id == live.id, SessionFollow.user_id == user.id)
            .values(speaks_welsh=value)
        )
        db.session.commit()
    tell_host_about_welsh(live)
    return live, value


# --------------------------------------------------------------------------- Welsh speakers


@dataclass(frozen=True)
class WelshSpeakers:
    """How many of a session's followers said they will speak Welsh."""

    yes: int
    following: int

    @property
    def percent(self) -> int:
        return self.yes * 100 // self.following if self.following else 0

    @property
    def needs_interpreting(self) -> bool:
        """At least one said yes, and WELSH_SHARE per cent or more of the followers did (exactly, not rounded)."""
        return self.yes >= 1 and self.yes * 100 >= WELSH_SHARE * self.following

    def sentence(self) -> str:
        """What the host and moderators read (in the language being rendered)."""
        return ngettext(
            "%(yes)d of %(num)d person following this session (%(percent)d %%) said they will speak Welsh: "
            "arrange Welsh-English interpretation.",
            "%(yes)d of %(num)d people following this session (%(percent)d %%) said they will speak Welsh: "
            "arrange Welsh-English interpretation.",
            self.following,
            yes=self.yes,
            percent=self.percent,
        )


def welsh_speakers(session_id: int) -> WelshSpeakers:
    yes, following = db.session.execute(
        select(
            func.count().filter(SessionFollow.speaks_welsh.is_(True)),
            func.count(),
        ).where(SessionFollow.session_id == session_id)
    ).one()
    return WelshSpeakers(int(yes or 0), int(following or 0))


def tell_host_about_welsh(live: LiveSession) -> bool:
    """The first time the followers saying yes reach WELSH_SHARE per cent, tell the host (in their language)
    once; True when told now. Asked after every follow, unfollow and answer (fewer followers also raise the
    share). Whether they were told is the notification itself: it is never sent twice for a session."""
    count = welsh_speakers(live.id)
    if not count.needs_interpreting or live.host_id is None:
        return False
    subject = f"welsh:{live.id}"
    told = db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == live.host_id, Notification.kind == WELSH_KIND, Notification.subject == subject
        )
    )
    if told is not None:
        return False
    host = db.session.get(User, live.host_id)
    if host is None:
        return False
    with language.speaking(host):
        title = bilingual.pick(live, "title", reader=language.of(host)).text
        text = _("“%(title)s”: %(sentence)s", title=title, sentence=count.sentence())
    added = notifications.notify(host.id, WELSH_KIND, text, f"/sessions/{live.id}#speaks-welsh", subject=subject)
    db.session.commit()
    return added is not None


@dataclass(frozen=True)
class WelshQuestion:
    """What the session's page shows about Welsh: the member's answer and form, and the host's notice."""

    may_answer: bool  # a signed-in member, before the session is over
    following: bool
    answer: str  # "yes", "no" or "" (not answered)
    notice: str | None  # for the host and moderators, once the share is reached


def welsh_question(user: User | None, live: LiveSession) -> WelshQuestion:
    follow = _follow(user, live.id)
    value = follow.speaks_welsh if follow is not None else None
    answer = "" if value is None else ("yes" if value else "no")
    notice = None
    if live_roles.is_host(user, live) or live_roles.is_moderator(user):
        count = welsh_speakers(live.id)
        notice = count.sentence() if count.needs_interpreting else None
    open_ = live.state in (LiveSession.SCHEDULED, LiveSession.LIVE)
    return WelshQuestion(signed_in(user) and open_, follow is not None, answer, notice)


# --------------------------------------------------------------------------- starting soon


def starting_text(live: LiveSession, minutes: int, follow: SessionFollow, reader: str) -> str:
    """The "about to start" notification, in the language being rendered; it asks the Welsh question
    of a follower who has not answered it."""
    title = bilingual.pick(live, "title", reader=reader).text
    text = ngettext(
        "“%(title)s” starts in %(num)d minute.", "“%(title)s” starts in %(num)d minutes.", minutes, title=title
    )
    if follow.speaks_welsh is None:
        text += " " + _("Will you speak Welsh at this session? Answer on the session's page.")
    return text


def notify_starting(now: datetime | None = None) -> int:
    """Tell followers of scheduled sessions starting within the next hour; returns how many were told."""
    now = now or utcnow()
    soon = select(LiveSession).where(
        LiveSession.state == LiveSession.SCHEDULED,
        LiveSession.starts_at > now,
        LiveSession.starts_at <= now + LEAD_TIME,
    )
    told = 0
    for live in list(db.session.scalars(soon)):
        followers = select(SessionFollow).where(
            SessionFollow.session_id == live.id,
            or_(SessionFollow.notified_start_at.is_(None), SessionFollow.notified_start_at != live.starts_at),
        )
        for follow in list(db.session.scalars(followers)):
            claimed = rows.changed(
                update(SessionFollow)
                .where(
                    SessionFollow.id == follow.id,
                    or_(SessionFollow.notified_start_at.is_(None), SessionFollow.notified_start_at != live.starts_at),
                )
                .values(notified_start_at=live.starts_at)
                .execution_options(synchronize_session=False)
            )
            if not claimed:
                continue
            minutes = max(1, round((live.starts_at - now).total_seconds() / 60))
            member = db.session.get(User, follow.user_id)
            with language.speaking(member):
                text = starting_text(live, minutes, follow, language.of(member))
            link = f"/sessions/{live.id}/welsh" if follow.speaks_welsh is None else f"/sessions/{live.id}"
            added = notifications.notify(follow.user_id, "session_starting", text, link, subject=f"session:{live.id}")
            told += added is not None
            db.session.commit()
    return told
