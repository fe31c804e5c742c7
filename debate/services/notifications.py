"""The notification centre: tell a member something, in the app always and by email as they chose.

Features call `notify` (or `notify_many`) inside their own transaction; nothing
here commits for them. Once their commit succeeds, the member's open pages get
"notification:new" on their /account channel and, when their setting for the
kind is "instant", an email goes out. A rollback drops both. Kinds set to
"daily" wait for `send_digests` (the `flask send-digests` command).

Some kinds are for staff only (`Kind.staff`): the centre, the unread count,
the settings page and the digest show them only to members who moderate now,
so a moderator stood down stops hearing of the queue at once. `notify_current`
keeps one unread notification about something that keeps changing (the review
queue's length) up to date instead of adding another each time.

Every email carries a one-click unsubscribe link (and the RFC 8058
List-Unsubscribe headers) signed with the app's key for this purpose only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.elements import ColumnElement

from debate import ratelimit
from debate.errors import Conflict, Text, ValidationError
from debate.extensions import db
from debate.i18n import DEFAULT
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import ModerationNotice
from debate.models.notifications import Notification, NotificationPreference, SessionFollow
from debate.permissions import Permission, has, require_signed_in, signed_in
from debate.services import after_commit, mail, privacy, rows, tokens
from debate.services.accounts import language

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
UNSUBSCRIBE = ratelimit.limit(
    "notifications.unsubscribe",
    "60/hour",
    _l("At most 60 unsubscribe links can be opened an hour from one network address. Please try again later."),
)

log = logging.getLogger("commonground.notifications")

OFF, INSTANT, DAILY = NotificationPreference.OFF, NotificationPreference.INSTANT, NotificationPreference.DAILY
EMAIL_CHOICES = {OFF: _l("No email"), INSTANT: _l("Email at once"), DAILY: _l("In a daily digest")}
ALL = "all"  # the preference row (and unsubscribe token) that stops every email
PAGE_SIZE = 100
DIGEST_MAX_ITEMS = 50
DIGEST_WINDOW = timedelta(days=7)  # a digest never reaches further back than this
UNSUBSCRIBE_PURPOSE = "unsubscribe"
_MAIL_KEY = "notification_pending_mail"
_NEW_KEY = "notification_pending_new"


@dataclass(frozen=True)
class Kind:
    label: Text  # the settings page's name for it, and the email subject (a lazy string: the reader's language)
    description: Text
    default_email: str
    staff: bool = False  # only for members who moderate now (shown, counted and emailed to them alone)


KINDS: dict[str, Kind] = {
    "reply_to_you": Kind(_l("Replies to you"), _l("Someone replied to your thread or quoted your reply."), INSTANT),
    "followed_thread": Kind(
        _l("Threads you follow"),
        _l("New replies in threads you follow (one notice per thread until you read it)."),
        DAILY,
    ),
    "question_approved": Kind(_l("Your question is published"), _l("Moderators approved your live question."), OFF),
    "question_rejected": Kind(
        _l("Your question was not published"), _l("Moderators rejected your question, and why."), INSTANT
    ),
    "question_answered": Kind(_l("Your question was answered"), _l("Answered live or in writing."), INSTANT),
    "question_referred": Kind(
        _l("Your question was referred"), _l("Passed to a council service or officer to answer."), INSTANT
    ),
    "question_for_you": Kind(
        _l("Questions put to you"), _l("A question awaits your written answer (put or transferred to you)."), INSTANT
    ),
    "moderation": Kind(
        _l("Moderation decisions"),
        _l("Decisions about your posts and your account, and what happened to your reports."),
        INSTANT,
    ),
    "welsh_speakers": Kind(
        _l("Welsh speakers at your sessions"),
        _l("When a tenth or more of the people following a session you host say they will speak Welsh."),
        INSTANT,
    ),
    "outcome_published": Kind(
        _l("Outcomes published"), _l("What the council will do after a debate you took part in."), DAILY
    ),
    "session_starting": Kind(_l("Sessions starting"), _l("A live session you follow starts within the hour."), INSTANT),
    "review_queue": Kind(
        _l("Review queue"),
        _l(
            "Moderators: posts held or flagged for review. One notice says how many wait and is kept up to date "
            "until you read it; instant emails are batched (at most one each half hour, unless the site set "
            "another)."
        ),
        INSTANT,
        staff=True,
    ),
}


def _staff_kinds() -> tuple[str, ...]:
    return tuple(name for name, kind in KINDS.items() if kind.staff)


def hidden_kinds(user: User | None) -> tuple[str, ...]:
    """Kinds this member is not shown: the staff kinds, unless they moderate now (roles are read afresh)."""
    return () if has(user, Permission.MODERATE) else _staff_kinds()


def kinds_for(user: User) -> dict[str, Kind]:
    """The kinds this member can be told about, in the settings page's order."""
    hidden = hidden_kinds(user)
    return {name: kind for name, kind in KINDS.items() if name not in hidden}


# --------------------------------------------------------------------------- telling


def notify(
    user_id: int | None,
    kind: str,
    text: object,
    link: str = "",
    *,
    subject: str = "",
    once: bool = False,
    email_every: timedelta | None = None,
) -> Notification | None:
    """Add a notification to the caller's transaction; the push and any instant email wait for the commit.

    `subject` names what it is about ("thread:12"). With `once`, nothing is
    added while the member still has an unread notification of this kind
    about the same subject (a busy thread does not flood them). With
    `email_every`, an instant email goes only if none of this kind went to
    the member within that time. Returns the notification, or None when
    nothing was added.

    `text` is stored as the member reads it, in THEIR language: pass a lazy string
    (`lazy_gettext("%(name)s replied to “%(title)s”.", name=..., title=...)`) and it is rendered here,
    in the recipient's locale, whatever language the request that caused it speaks.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    if user_id is None:
        return None
    with db.session.no_autoflush:
        if once and subject and _has_unread(user_id, kind, subject):
            return None
        user = db.session.get(User, user_id)
        if user is None or user.deleted_at is not None:
            return None
        text = in_language_of(user, text)
        item = Notification(
            user_id=user_id, kind=kind, subject=subject[:60], text=text, link=_safe_link(link), created_at=utcnow()
        )
        pending = db.session.info.setdefault(_NEW_KEY, [])
        unread = unread_count_for(user_id, hidden_kinds(user)) + sum(1 for n in pending if n.user_id == user_id) + 1
        if _may_email_now(user, kind, email_every):
            _email_at_once(user, item)
    db.session.add(item)
    pending.append(item)
    after_commit.to_user(user_id, "notification:new", {"kind": kind, "text": text, "link": item.link, "unread": unread})
    return item


def notify_current(
    user: User, kind: str, text: object, link: str = "", *, subject: str, email_every: timedelta
) -> Notification | None:
    """Tell a member about something that keeps changing, in one notification: while the last one about
    `subject` is unread it is brought up to date (text, time) instead of another being added.

    Only a new notification is pushed to the member's open pages (the unread count moves); an instant
    email goes at most once per `email_every`, and a daily digest carries the text as it is when sent.
    A burst of changes therefore makes one notification and at most one email. Returns the notification
    (None for a closed account).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    with db.session.no_autoflush:
        current = db.session.scalar(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind == kind,
                Notification.subject == subject,
                Notification.read_at.is_(None),
            )
            .order_by(Notification.id.desc())
            .limit(1)
        )
    if current is None:
        return notify(user.id, kind, text, link, subject=subject, email_every=email_every)
    current.text, current.link, current.created_at = in_language_of(user, text), _safe_link(link), utcnow()
    setting = email_setting(user.id, kind)
    if setting == DAILY:  # the next digest reports it as it is then, even if an earlier one carried it
        current.digest_sent_at = current.emailed_at = None
    elif _may_email_now(user, kind, email_every):
        _email_at_once(user, current)
    return current


def notify_many(
    user_ids: Iterable[int | None], kind: str, text: object, link: str = "", **options: Any
) -> list[Notification]:
    """`notify` each member once (duplicates and None ignored)."""
    seen: set[int] = set()
    added = []
    for user_id in user_ids:
        if user_id is None or user_id in seen:
            continue
        seen.add(user_id)
        item = notify(user_id, kind, text, link, **options)
        if item is not None:
            added.append(item)
    return added


def in_language_of(user: User | None, text: object) -> str:
    """A notification's text (a lazy string, or already a str) rendered in the member's language."""
    with language.speaking(user):
        return str(text)


def _safe_link(link: str | None) -> str:
    """Links point into this site only: a path like "/threads/3#r4" (anything else is dropped)."""
    link = (link or "")[:500]
    if not link.startswith("/") or link.startswith("//") or "\\" in link or any(ord(c) < 0x20 for c in link):
        if link:
            log.warning("dropped a notification link that is not a site path: %r", link[:80])
        return ""
    return link


def _may_email_now(user: User, kind: str, every: timedelta | None) -> bool:
    """An instant email for this kind, unless the member chose otherwise, or (with `every`) one went lately."""
    if not _can_email(user) or kind in hidden_kinds(user) or email_setting(user.id, kind) != INSTANT:
        return False
    if every is None:
        return True
    last = db.session.scalar(
        select(func.max(Notification.emailed_at)).where(Notification.user_id == user.id, Notification.kind == kind)
    )
    pending = [m for m in db.session.info.get(_MAIL_KEY, []) if m.to == user.email and m.kind == kind]
    return not pending and (last is None or last <= utcnow() - every)


def _email_at_once(user: User, item: Notification) -> None:
    item.emailed_at = item.created_at
    db.session.info.setdefault(_MAIL_KEY, []).append(_instant_email(user, item))


def _has_unread(user_id: int, kind: str, subject: str) -> bool:
    pending = db.session.info.get(_NEW_KEY, [])
    if any(n.user_id == user_id and n.kind == kind and n.subject == subject for n in pending):
        return True
    stmt = select(Notification.id).where(
        Notification.user_id == user_id,
        Notification.kind == kind,
        Notification.subject == subject,
        Notification.read_at.is_(None),
    )
    return db.session.scalar(stmt.limit(1)) is not None


@dataclass(frozen=True)
class _Mail:
    """An email waiting for the commit, already written in its recipient's language."""

    to: str
    subject: str
    body: str
    headers: dict[str, str]
    lang: str
    kind: str


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    session.info.pop(_NEW_KEY, None)
    for message in session.info.pop(_MAIL_KEY, []):
        try:
            mail.send(message.to, message.subject, message.body, message.headers, lang=message.lang)
        except Exception:
            log.exception("could not send a notification email")


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_NEW_KEY, None)
        session.info.pop(_MAIL_KEY, None)


# --------------------------------------------------------------------------- the centre


InboxRow = TypeVar("InboxRow", Notification, ModerationNotice)


def newest_for(
    model: type[InboxRow], user: User, *where: ColumnElement[bool], limit: int = PAGE_SIZE
) -> list[InboxRow]:
    """A member's newest rows of an inbox (their notifications, their moderation notices): one query for both."""
    require_signed_in(user)
    stmt = (
        select(model)
        .where(model.user_id == user.id, *where)
        .order_by(model.created_at.desc(), model.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def for_user(user: User, limit: int = PAGE_SIZE) -> list[Notification]:
    return newest_for(Notification, user, Notification.kind.not_in(hidden_kinds(user)), limit=limit)


def unread_count_for(user_id: int, hidden: tuple[str, ...] = ()) -> int:
    stmt = select(func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None), Notification.kind.not_in(hidden)
    )
    return db.session.scalar(stmt) or 0


def unread(user: User | None) -> int:
    """The nav's count; 0 for visitors."""
    if not signed_in(user):
        return 0
    return unread_count_for(user.id, hidden_kinds(user))


# A feature whose own rows repeat a kind's news marks them read with it, registered by the module that owns
# those rows: the moderation notices page shows what "moderation" notifications say.
ReadHook = Callable[[User], None]
_ALSO_READ: dict[str, ReadHook] = {}


def also_mark_read(kind: str, hook: ReadHook) -> None:
    """Call `hook(user)` (in the same transaction) whenever this kind's notifications are marked read."""
    _ALSO_READ[kind] = hook


def mark_read(user: User, kind: str | None = None, commit: bool = True) -> int:
    """Mark the member's unread notifications (of one kind, or all) as read; returns how many."""
    require_signed_in(user)
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if kind is not None:
        stmt = stmt.where(Notification.kind == kind)
    count = rows.changed(stmt.values(read_at=utcnow()))
    for also_kind, hook in _ALSO_READ.items():
        if kind in (None, also_kind):
            hook(user)
    if commit:
        db.session.commit()
    return count


# --------------------------------------------------------------------------- preferences


def _rows(user_id: int) -> dict[str, NotificationPreference]:
    stmt = select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    return {row.kind: row for row in db.session.scalars(stmt)}


def email_setting(user_id: int, kind: str) -> str:
    """off, instant or daily: the member's choice, the kind's default, and "off" after "stop all emails"."""
    rows = _rows(user_id)
    if ALL in rows and rows[ALL].email == OFF:
        return OFF
    row = rows.get(kind)
    return row.email if row is not None else KINDS[kind].default_email


@dataclass(frozen=True)
class Preferences:
    email: dict[str, str]  # kind -> off/instant/daily, as chosen (or default)
    all_off: bool


def preferences(user: User) -> Preferences:
    require_signed_in(user)
    rows = _rows(user.id)
    chosen = {k: rows[k].email if k in rows else kind.default_email for k, kind in kinds_for(user).items()}
    return Preferences(chosen, ALL in rows and rows[ALL].email == OFF)


def save_preferences(user: User, form: Mapping[str, object]) -> Preferences:
    """Save the settings form: `email-<kind>` for every kind this member is shown, and `all_off`
    ("stop all notification emails"). A staff kind sent by someone who does not moderate is ignored."""
    require_signed_in(user)
    chosen: dict[str, str] = {}
    for kind, info in kinds_for(user).items():
        value = form.get(f"email-{kind}", info.default_email)
        if value not in EMAIL_CHOICES:
            raise ValidationError(_("Choose how to be told about “%(kind)s”.", kind=info.label), f"email-{kind}-{OFF}")
        chosen[kind] = str(value)
    all_off = form.get("all_off") in ("1", "on", "yes", True)
    for kind, value in chosen.items():
        _set(user.id, kind, value)
    if all_off:
        _set(user.id, ALL, OFF)
    else:
        db.session.execute(
            delete(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == ALL
            )
        )
    _commit_preferences()
    return preferences(user)


def _set(user_id: int, kind: str, value: str) -> None:
    row = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    if row is None:
        db.session.add(NotificationPreference(user_id=user_id, kind=kind, email=value))
    else:
        row.email = value


def _commit_preferences() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the same settings saved twice at once
        db.session.rollback()
        raise Conflict(_("Your settings were being saved in another window. Please try again.")) from None


# --------------------------------------------------------------------------- unsubscribe


def _fingerprint(user: User) -> str:
    """Binds a token to this account (not just its id), so a reused id or a closed account refuses it."""
    return tokens.fingerprint(user.id, user.created_at.isoformat() if user.created_at else "")


def unsubscribe_token(user: User, kind: str) -> str:
    if kind != ALL and kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    return tokens.make(UNSUBSCRIBE_PURPOSE, user.id, f"{kind}|{_fingerprint(user)}")


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    kind: str  # a kind, or "all"

    @property
    def kind_label(self) -> str:
        """The kind's name in the reader's language ("" for all emails)."""
        return "" if self.kind == ALL else str(KINDS[self.kind].label)

    @property
    def label(self) -> str:
        if self.kind == ALL:
            return str(_("all notification emails"))
        return str(_("emails about “%(kind)s”", kind=KINDS[self.kind].label))


def read_unsubscribe(token: object) -> Unsubscribe:
    """Who and what an unsubscribe link is for, or a ValidationError (forged, altered, or another purpose)."""
    user_id, state = tokens.read(UNSUBSCRIBE_PURPOSE, token, expires=False)
    kind, _sep, print_ = state.partition("|")
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or (kind != ALL and kind not in KINDS):
        raise ValidationError(_("That unsubscribe link is not valid."))
    if print_ != _fingerprint(user):
        raise ValidationError(_("That unsubscribe link is not valid."))
    return Unsubscribe(user, kind)


def unsubscribe(token: object) -> Unsubscribe:
    """Stop the emails the link names; works without signing in, and twice is the same as once."""
    found = read_unsubscribe(token)
    _set(found.user.id, found.kind, OFF)
    _commit_preferences()
    log.info("unsubscribed: user=%s kind=%s", found.user.id, found.kind)
    return found


# --------------------------------------------------------------------------- email


def _can_email(user: User) -> bool:
    return user.deleted_at is None and user.email_verified_at is not None and "@" in (user.email or "")


def _url(path_or_endpoint: str, lang: str = DEFAULT, **values: Any) -> str:
    """An absolute URL for an email, built without a request (the CLI sends digests), at the address of the
    recipient's language (`/cy/...`; English links have no prefix and speak the reader's recorded choice)."""
    base = str(current_app.config["SERVER_URL"]).rstrip("/")
    if lang != DEFAULT:
        base += f"/{lang}"
    if path_or_endpoint.startswith(("https://", "http://")):
        return path_or_endpoint
    if "/" in path_or_endpoint or "#" in path_or_endpoint:
        return base + "/" + path_or_endpoint.lstrip("/")
    return base + str(current_app.url_map.bind("localhost").build(path_or_endpoint, values))


def _footer(user: User, kind: str) -> tuple[str, dict[str, str]]:
    """The unsubscribe footer, in the member's language (call inside `language.speaking(user)`)."""
    lang = language.of(user)
    link = _url("notifications.unsubscribe", lang, token=unsubscribe_token(user, kind))
    settings = _url("notifications.preferences", lang)
    if kind != ALL:
        stop = _("Stop these emails with one click: %(link)s", link=link)
    else:
        stop = _("Stop all notification emails with one click: %(link)s", link=link)
    text = "\n\n--\n" + _("Choose which emails you get: %(link)s", link=settings) + "\n" + stop + "\n"
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return text, headers


def _instant_email(user: User, item: Notification) -> _Mail:
    lang = language.of(user)
    with language.speaking(user):
        body = item.text
        if item.link:
            body += "\n\n" + _("See it here: %(link)s", link=_url(item.link, lang))
        footer, headers = _footer(user, item.kind)
        subject = str(KINDS[item.kind].label)
    return _Mail(user.email, subject, body + footer, headers, lang, item.kind)


def send_digests(now: datetime | None = None) -> int:
    """Send each member one email with their unread "daily" notifications not yet in a digest; returns emails sent.

    Each member's batch is claimed with a conditional update and committed
    before the email goes, so running it twice (or twice at once) sends nothing twice.
    """
    now = now or utcnow()
    since = now - DIGEST_WINDOW
    waiting = (
        select(Notification.user_id)
        .where(
            Notification.read_at.is_(None),
            Notification.digest_sent_at.is_(None),
            Notification.emailed_at.is_(None),
            Notification.created_at >= since,
        )
        .distinct()
    )
    sent = 0
    for user_id in list(db.session.scalars(waiting)):
        if _digest_for(user_id, since, now):
            sent += 1
    return sent


def _digest_for(user_id: int, since: datetime, now: datetime) -> bool:
    user = db.session.get(User, user_id)
    if user is None or not _can_email(user):
        return False
    daily = [kind for kind in kinds_for(user) if email_setting(user_id, kind) == DAILY]
    if not daily:
        return False
    stmt = (
        select(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.kind.in_(daily),
            Notification.read_at.is_(None),
            Notification.digest_sent_at.is_(None),
            Notification.emailed_at.is_(None),
            Notification.created_at >= since,
        )
        .order_by(Notification.created_at, Notification.id)
    )
    items = list(db.session.scalars(stmt))
    if not items:
        return False
    ids = [n.id for n in items]
    claimed = rows.changed(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.digest_sent_at.is_(None))
        .values(digest_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed != len(ids):  # another run is sending this member's digest
        db.session.rollback()
        return False
    lang = language.of(user)
    with language.speaking(user):
        site = current_app.config["SITE_NAME"]
        lines = [
            ngettext(
                "You have %(num)d new notification on %(site)s:",
                "You have %(num)d new notifications on %(site)s:",
                len(items),
                site=site,
            )
        ]
        for n in items[:DIGEST_MAX_ITEMS]:
            lines.append(f"\n* {n.text}" + (f"\n  {_url(n.link, lang)}" if n.link else ""))
        if len(items) > DIGEST_MAX_ITEMS:
            more = len(items) - DIGEST_MAX_ITEMS
            lines.append("\n" + ngettext("…and %(num)d more.", "…and %(num)d more.", more))
        lines.append("\n" + _("All your notifications: %(link)s", link=_url("notifications.index", lang)))
        footer, headers = _footer(user, ALL)
        subject = _("Your daily digest")
    message = _Mail(user.email, subject, "\n".join(lines) + footer, headers, lang, ALL)
    db.session.info.setdefault(_MAIL_KEY, []).append(message)
    db.session.commit()
    return True


# --------------------------------------------------------------------------- personal data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def export(user: User) -> dict[str, Any]:
    items = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.created_at, Notification.id)
    )
    follows = db.session.scalars(select(SessionFollow).where(SessionFollow.user_id == user.id))
    rows = _rows(user.id)
    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "link": n.link,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
                "digest_sent_at": _iso(n.digest_sent_at),
            }
            for n in items
        ],
        "email_preferences": {kind: row.email for kind, row in rows.items()},
        "sessions_followed": [{"session_id": f.session_id, "since": _iso(f.created_at)} for f in follows],
    }


def erase(user: User, remove_content: bool) -> None:
    for model in (Notification, NotificationPreference, SessionFollow):
        db.session.execute(delete(model).where(model.user_id == user.id))


privacy.register(
    "notifications",
    _l("What you were notified about, your email settings for notifications, and the live sessions you follow."),
    export,
    erase,
)
