"""Outcomes ("you said, we did"): publishing what was heard and what will happen, and keeping it current.

Who may publish is the rule residents rely on, so it is in one place
(`may_publish`) for the pages and the service alike:

* a session's outcome: a verified representative on its panel, or an admin,
  and only once the session has ended (before that nothing has been heard);
* a thread's outcome: any verified representative, or an admin, at any time
  while the thread is public.

There is one outcome per session or thread; a later change is an update.
Every change is kept as an `OutcomeUpdate` row (the first one is the
publication), so a promise can be compared with what was first said.
Publishing tells the people who care once each: the thread's or session's
followers and, for a session, everyone who asked a question in it. The
author is never told about their own outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.forums import Thread, ThreadFollow
from debate.models.live import LiveSession, SessionQuestion
from debate.models.notifications import SessionFollow
from debate.models.outcomes import Outcome, OutcomeUpdate
from debate.permissions import Permission, has, require, signed_in
from debate.services import bilingual, notifications, privacy
from debate.services.accounts import language
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.text import clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
PUBLISH = ratelimit.limit(
    "outcome.publish",
    "30/hour",
    _l("You can publish or update outcomes at most 30 times an hour. Please try again later."),
)

TEXT_MAX = 5000
NOTE_MAX = 1000
PAGE_SIZE = 20
FURTHEST_YEARS = 10  # a "by when" further off than this is a typo, not a plan
EARLIEST = date(2000, 1, 1)

STATUS_LABELS = {
    Outcome.PLANNED: _l("Planned"),
    Outcome.IN_PROGRESS: _l("In progress"),
    Outcome.DONE: _l("Done"),
    Outcome.NOT_GOING_AHEAD: _l("Not going ahead"),
}
# The outcome's official text in both languages (debate/services/bilingual.py); the history keeps the English.
WELSH_FIELDS = ("heard_cy", "will_happen_cy")
KINDS = ("session", "thread")


@dataclass(frozen=True)
class OutcomeForm:
    """The outcome form as typed: strings, checked by `clean`. `note` says what changed (updates only).
    `heard_cy` and `will_happen_cy` are the optional Welsh versions."""

    heard: object = ""
    will_happen: object = ""
    heard_cy: object = ""
    will_happen_cy: object = ""
    status: object = Outcome.PLANNED
    due_on: object = ""
    note: object = ""


@dataclass(frozen=True)
class Page:
    items: list[Outcome]
    page: int
    has_next: bool
    kind: str | None


# --- input ------------------------------------------------------------------------------------


def _markdown(value: object, field: str, limit: int, *, too_long: str, missing: str | None = None) -> str:
    """Trimmed Markdown within its limit; too long is refused, never cut (that would publish words not written).
    `too_long` has {count} and {limit} in it; `missing`, when given, makes the field required."""
    return clean_text(value, field, limit, too_long=too_long, missing=missing)


def _status(value: object) -> str:
    if value not in Outcome.STATUSES:
        raise ValidationError(_("Choose a status from the list."), "status")
    return str(value)


def _due_on(value: object) -> date | None:
    """An optional ISO date, as <input type="date"> sends it, within a sensible range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day: date | None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip()[:10]) if len(str(value).strip()) == 10 else None
        except ValueError:
            day = None
    if day is None:
        raise ValidationError(_("The “by when” date is not a date (for example 2027-03-31)."), "due_on")
    today = utcnow().date()
    furthest = today.replace(year=today.year + FURTHEST_YEARS, day=min(today.day, 28))
    if not EARLIEST <= day <= furthest:
        raise ValidationError(
            _("The “by when” date must be within %(years)d years from today.", years=FURTHEST_YEARS), "due_on"
        )
    return day


def clean(form: OutcomeForm) -> dict[str, Any]:
    """Every field checked before anything is written, so bad input leaves nothing half-done."""
    return {
        "heard": _markdown(
            form.heard,
            "heard",
            TEXT_MAX,
            too_long=_("What you heard is too long: {count} characters, and the limit is {limit}."),
            missing=_("Write what you heard."),
        ),
        "will_happen": _markdown(
            form.will_happen,
            "will_happen",
            TEXT_MAX,
            too_long=_("What will happen is too long: {count} characters, and the limit is {limit}."),
            missing=_("Write what will happen."),
        ),
        "heard_cy": _markdown(
            form.heard_cy,
            "heard_cy",
            TEXT_MAX,
            too_long=_("What you heard, in Welsh, is too long: {count} characters, and the limit is {limit}."),
        ),
        "will_happen_cy": _markdown(
            form.will_happen_cy,
            "will_happen_cy",
            TEXT_MAX,
            too_long=_("What will happen, in Welsh, is too long: {count} characters, and the limit is {limit}."),
        ),
        "status": _status(form.status),
        "due_on": _due_on(form.due_on),
        "note": _markdown(
            form.note,
            "note",
            NOTE_MAX,
            too_long=_("The note on what changed is too long: {count} characters, and the limit is {limit}."),
        ),
    }


def _kept(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields a history row keeps (the English wording, status and date)."""
    return {name: value for name, value in fields.items() if name not in WELSH_FIELDS}


# --- permissions ------------------------------------------------------------------------------


def may_publish(user: User | None, subject: LiveSession | Thread) -> bool:
    """Admins always; for a session, its verified panel; for a thread, any verified representative."""
    if not signed_in(user):
        return False
    if has(user, Permission.MANAGE_TOPICS):
        return True
    if not has(user, Permission.ANSWER_AS_REPRESENTATIVE):
        return False
    if isinstance(subject, LiveSession):
        return live_roles.is_panelist(user, subject)
    return True


def subject_refusal(subject: LiveSession | Thread) -> str | None:
    """Why no outcome can be published for this subject now, or None (whoever asks)."""
    if isinstance(subject, LiveSession):
        if subject.state == LiveSession.CANCELLED:
            return _("This session was cancelled, so it has no outcome.")
        if subject.state != LiveSession.ENDED:
            return _("An outcome can be published once the session has ended.")
        return None
    if not subject.is_public:
        return _("This thread is not public, so no outcome can be published for it.")
    return None


def require_publisher(user: User | None, subject: LiveSession | Thread) -> None:
    """Refuse unless this person may publish this subject's outcome (the form asks before it is shown)."""
    require(user, Permission.POST)  # signed in, confirmed email: the readable refusals
    if not may_publish(user, subject):
        if isinstance(subject, LiveSession):
            raise PermissionDenied(
                _("Only a verified representative on this session's panel, or an admin, can do that.")
            )
        raise PermissionDenied(_("Only a verified representative or an admin can do that."))


# --- loading ----------------------------------------------------------------------------------


def _key(value: object) -> int | None:
    try:
        key = bounds.whole(value)
    except (TypeError, ValueError):
        return None
    return key if 0 < key < 2**62 else None


def get(outcome_id: object) -> Outcome:
    key = _key(outcome_id)
    outcome = db.session.get(Outcome, key) if key else None
    if outcome is None:
        raise NotFound(_("That outcome does not exist."))
    return outcome


def get_session(session_id: object) -> LiveSession:
    return live_sessions.get(session_id)


def get_thread(thread_id: object) -> Thread:
    """A thread anyone can see: an outcome is public, so its subject must be too."""
    key = _key(thread_id)
    thread = db.session.get(Thread, key) if key else None
    if thread is None or thread.state == "held":
        raise NotFound(_("That thread does not exist, or it was removed."))
    return thread


def for_session(session_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.session_id == session_id))


def for_thread(thread_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.thread_id == thread_id))


def subject_of(outcome: Outcome) -> LiveSession | Thread:
    subject = outcome.session if outcome.session_id is not None else outcome.thread
    assert subject is not None  # an outcome is about a session or a thread
    return subject


def subject_shown(outcome: Outcome) -> bilingual.Shown:
    """The session's title (in the reader's language when the council wrote it) or the thread's title, with the
    language it is in; a thread moderation took down is not named again here."""
    if outcome.session is not None:
        return bilingual.pick(outcome.session, "title")
    if outcome.thread is None or not outcome.thread.is_public:
        return bilingual.Shown(_("A thread that is no longer public"), bilingual.reader_language())
    return bilingual.Shown(outcome.thread.title, getattr(outcome.thread, "lang", None) or "")


def subject_title(outcome: Outcome) -> str:
    return subject_shown(outcome).text


def listing(kind: object = None, page: object = 1) -> Page:
    """Newest first, optionally only sessions' or only threads' outcomes."""
    chosen = kind if kind in KINDS else None
    number = _key(page) or 1
    stmt = select(Outcome).order_by(Outcome.published_at.desc(), Outcome.id.desc())
    if chosen == "session":
        stmt = stmt.where(Outcome.session_id.is_not(None))
    elif chosen == "thread":
        stmt = stmt.where(Outcome.thread_id.is_not(None))
    rows = list(db.session.scalars(stmt.offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return Page(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE, chosen)


def history(outcome: Outcome) -> list[OutcomeUpdate]:
    """Every change, newest first: the last row is the publication."""
    return sorted(outcome.updates, key=lambda u: u.id, reverse=True)


# --- publishing and updating ------------------------------------------------------------------


def publish(user: User, form: OutcomeForm, *, session_id: object = None, thread_id: object = None) -> Outcome:
    """Publish the one outcome of a session or thread and tell its audience, in one transaction."""
    if (session_id is None) == (thread_id is None):
        raise ValidationError(_("An outcome belongs to one session or one thread."))
    subject: LiveSession | Thread = get_session(session_id) if session_id is not None else get_thread(thread_id)
    require_publisher(user, subject)
    refusal = subject_refusal(subject)
    if refusal:
        raise Conflict(refusal)
    fields = clean(form)
    note = fields.pop("note")
    existing = for_session(subject.id) if isinstance(subject, LiveSession) else for_thread(subject.id)
    if existing is not None:
        raise Conflict(_("An outcome is already published for this: update it instead."))
    now = utcnow()
    outcome = Outcome(author_id=user.id, published_at=now, updated_at=now, **fields)
    if isinstance(subject, LiveSession):
        outcome.session_id = subject.id
    else:
        outcome.thread_id = subject.id
    outcome.updates.append(OutcomeUpdate(author_id=user.id, note=note, created_at=now, **_kept(fields)))
    db.session.add(outcome)
    try:
        db.session.flush()  # the id for the link; a second publisher racing us fails here
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("An outcome was published for this a moment ago: update it instead.")) from None
    _tell(
        outcome,
        user,
        lambda: _("What happens next after “%(title)s”: an outcome was published.", title=subject_title(outcome)),
    )
    db.session.commit()
    return outcome


def update(user: User, outcome_id: object, form: OutcomeForm) -> Outcome:
    """Change an outcome and keep the change in its history; a status change is told to the same audience."""
    outcome = get(outcome_id)
    require_publisher(user, subject_of(outcome))
    fields = clean(form)
    note = fields.pop("note")
    if not note and all(getattr(outcome, name) == value for name, value in fields.items()):
        raise ValidationError(_("Nothing has changed: edit a field or add a note, or go back."))
    status_changed = outcome.status != fields["status"]
    now = utcnow()
    for name, value in fields.items():
        setattr(outcome, name, value)
    outcome.updated_at = now
    outcome.updates.append(OutcomeUpdate(author_id=user.id, note=note, created_at=now, **_kept(fields)))
    if status_changed:
        status = outcome.status
        _tell(
            outcome,
            user,
            lambda: _(
                "The outcome of “%(title)s” is now: %(status)s.",
                title=subject_title(outcome),
                status=str(STATUS_LABELS[status]).lower(),
            ),
            once=True,
        )
    db.session.commit()
    return outcome


# --- telling people ---------------------------------------------------------------------------


def audience(outcome: Outcome) -> set[int]:
    """Who hears about an outcome: followers, and a session's askers; never its author or a closed account."""
    if outcome.session_id is not None:
        ids = set(
            db.session.scalars(select(SessionFollow.user_id).where(SessionFollow.session_id == outcome.session_id))
        )
        ids |= set(
            db.session.scalars(
                select(SessionQuestion.author_id).where(
                    SessionQuestion.session_id == outcome.session_id, SessionQuestion.state != "withdrawn"
                )
            )
        )
    else:
        ids = set(db.session.scalars(select(ThreadFollow.user_id).where(ThreadFollow.thread_id == outcome.thread_id)))
    ids.discard(outcome.author_id)
    if not ids:
        return ids
    open_accounts = select(User.id).where(User.id.in_(ids), User.deleted_at.is_(None))
    return set(db.session.scalars(open_accounts))


def _tell(outcome: Outcome, actor: User, text: Callable[[], str], *, once: bool = False) -> None:
    """Notify the audience (not whoever made the change). With `once`, an unread notice about it is enough.

    `text` is called in each recipient's language (once per language), never the actor's."""
    recipients = audience(outcome)
    recipients.discard(actor.id)
    if not recipients:
        return
    with db.session.no_autoflush:
        people = list(db.session.scalars(select(User).where(User.id.in_(recipients))))
    by_language: dict[str, list[int]] = {}
    for person in people:
        by_language.setdefault(language.of(person), []).append(person.id)
    for code, ids in sorted(by_language.items()):
        with force_locale(code):
            notifications.notify_many(
                sorted(ids),
                kind="outcome_published",
                text=str(text()),
                link=f"/outcomes/{outcome.id}",
                subject=f"outcome:{outcome.id}",
                once=once,
            )


def missing_welsh() -> list[tuple[Outcome, list[str]]]:
    """For the admin: each outcome whose English is written and whose Welsh is not (newest first), with the
    fields still to translate ("heard", "will_happen")."""
    stmt = select(Outcome).order_by(Outcome.published_at.desc(), Outcome.id.desc())
    found = ((o, bilingual.missing_welsh(o, ("heard", "will_happen"))) for o in db.session.scalars(stmt))
    return [(o, fields) for o, fields in found if fields]


def count() -> int:
    return db.session.scalar(select(func.count(Outcome.id))) or 0


# --- privacy ----------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() + ("Z" if hasattr(value, "hour") else "") if value else None


def export_outcomes(user: User) -> dict[str, Any]:
    """The outcomes a person published, and every change they made to any outcome."""
    mine = db.session.scalars(select(Outcome).where(Outcome.author_id == user.id).order_by(Outcome.id))
    changes = db.session.scalars(
        select(OutcomeUpdate).where(OutcomeUpdate.author_id == user.id).order_by(OutcomeUpdate.id)
    )
    return {
        "published": [
            {
                "id": o.id,
                "session_id": o.session_id,
                "thread_id": o.thread_id,
                "heard": o.heard,
                "will_happen": o.will_happen,
                "heard_cy": o.heard_cy,
                "will_happen_cy": o.will_happen_cy,
                "status": o.status,
                "due_on": _iso(o.due_on),
                "published_at": _iso(o.published_at),
                "updated_at": _iso(o.updated_at),
                "url": f"/outcomes/{o.id}",
            }
            for o in mine
        ],
        "changes": [
            {
                "outcome_id": u.outcome_id,
                "status": u.status,
                "due_on": _iso(u.due_on),
                "heard": u.heard,
                "will_happen": u.will_happen,
                "note": u.note,
                "at": _iso(u.created_at),
            }
            for u in changes
        ],
    }


# No eraser: an outcome is a representative's public commitment on the council's behalf, kept for
# accountability like the council's own minutes. On deletion the account is anonymised ("former member").
privacy.register(
    "outcomes",
    _l("Outcomes (“you said, we did”) you published or updated, as a representative or admin."),
    export_outcomes,
)
