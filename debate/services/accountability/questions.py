"""Accountability: questions put to representatives, their written answers, transfers, referrals and records.

When a live session ends, `track_session` copies every approved question
into the list (answered live, or awaiting a written answer from the panel by
a due date counted in working days); a moderator can add a forum post
directed at a representative. Representatives answer in writing, hand a
question to a colleague, or refer it upward (an MP, a government department)
and later post the reply. Each step is one function here, checked and
committed once, whichever page or endpoint calls it. The record pages'
figures are computed from these rows every time, never typed in.

"Now" and "today" come from `now()` alone (council-local date for today), so
tests move the clock by patching one function.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from debate import bounds
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accountability import (
    AccountabilitySettings,
    QuestionAssignee,
    QuestionTransfer,
    TrackedQuestion,
)
from debate.models.accounts import Role, User
from debate.models.base import utcnow
from debate.models.forums import Reply, Thread
from debate.models.live import LiveSession, SessionQuestion
from debate.permissions import Permission, has, require, require_signed_in
from debate.services import bilingual, notifications, privacy, state_moves
from debate.services.accountability import bank_holidays, working_days
from debate.services.accounts import language
from debate.services.accounts import roles as account_roles
from debate.services.council_time import local_date, shown_date
from debate.services.live import events as live_events
from debate.services.text import clean_line, clean_text, shorten

SETTINGS_ROW = 1
DEFAULT_DUE_DAYS = 20
MAX_DUE_DAYS = 100
ANSWER_MAX = 5000
NOTE_MAX = 2000
TO_MAX = 200
SHOWN_MAX = 500  # transfers listed on one record page
PAGE_SIZE = 50  # questions listed on one page of a record
# A representative's own list (/answers) carries three forms under each question (answer, transfer, refer):
# 20 a page, as a case list would, keeps the page quick to render and to read on a phone.
ANSWERS_PAGE_SIZE = 20
STATUS_LABELS = {
    TrackedQuestion.AWAITING: _l("Awaiting a written answer"),
    TrackedQuestion.ANSWERED: _l("Answered"),
    TrackedQuestion.REFERRED: _l("Referred"),
}
MEDIAN_RULE = _l(
    "Median days to answer counts written answers only: calendar days from the end of the session "
    "(or the day a moderator added a forum question) to the written answer, to one decimal place."
)


# --- the clock --------------------------------------------------------------------------------


def now() -> datetime:
    """Naive UTC now: the one clock this feature reads (tests patch it to travel in time)."""
    return utcnow()


def today() -> date:
    """The council-local date now."""
    return local_date(now())


# --- settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    due_working_days: int
    calendar: bank_holidays.Calendar

    @property
    def nation(self) -> str:
        return self.calendar.nation

    def holidays(self, first: date, last: date) -> frozenset[date]:
        """The bank holidays from `first`'s year to `last`'s, for the working-days maths."""
        return self.calendar.between(first.year, last.year)


def _from_row(row: AccountabilitySettings) -> Settings:
    calendar = bank_holidays.from_json(row.bank_holiday_nation, row.bank_holidays, row.bank_holidays_through)
    return Settings(row.due_working_days, calendar)


def settings() -> Settings:
    """The admin's settings; before any were saved, 20 working days and England and Wales's bank holidays."""
    row = db.session.get(AccountabilitySettings, SETTINGS_ROW)
    if row is None:
        return Settings(DEFAULT_DUE_DAYS, bank_holidays.loaded(bank_holidays.DEFAULT_NATION, today()))
    return _from_row(row)


def due_date(start: date, config: Settings | None = None) -> date:
    """The last day for a written answer to a question put on `start` (never a weekend or a bank holiday)."""
    config = config or settings()
    # At most MAX_DUE_DAYS working days (about five months): this year's and next year's holidays are enough.
    off = config.holidays(start, date(start.year + 1, 12, 31))
    return working_days.add_working_days(start, config.due_working_days, off)


def working_days_left(tracked: TrackedQuestion, on: date | None = None, config: Settings | None = None) -> int | None:
    """Working days from `on` (today) to the due date; None when there is no due date or it has passed.

    A page listing many questions passes `config` read once: before the admin saves settings there is
    no row, and looking for it again for every question is one query each.
    """
    if tracked.due_on is None:
        return None
    on = on or today()
    if tracked.due_on < on:
        return None
    off = (config or settings()).holidays(on, tracked.due_on)
    return working_days.working_days_between(on, tracked.due_on, off)


def check_settings(user: User | None) -> None:
    """Refuse unless this person may change the settings (the settings page asks before it is shown)."""
    require(user, Permission.MANAGE_TOPICS)


def _settings_row(admin: User) -> AccountabilitySettings:
    """The settings row to change (made from the defaults the first time an admin changes anything)."""
    check_settings(admin)
    row = db.session.get(AccountabilitySettings, SETTINGS_ROW)
    if row is None:
        current = settings()
        row = AccountabilitySettings(id=SETTINGS_ROW, due_working_days=current.due_working_days)
        _store_calendar(row, current.calendar)
    return row


def _store_calendar(row: AccountabilitySettings, calendar: bank_holidays.Calendar) -> None:
    row.bank_holiday_nation = calendar.nation
    row.bank_holidays = calendar.to_json()
    row.bank_holidays_through = calendar.through


def _save(admin: User, row: AccountabilitySettings) -> Settings:
    row.updated_at = now()
    row.updated_by_id = admin.id
    db.session.add(row)
    db.session.commit()
    return _from_row(row)


def save_settings(admin: User, due_working_days: object, nation: object = None) -> Settings:
    """Change the time to answer, or the nation whose bank holidays count (its official list is loaded; days
    an admin added stay). Due dates already set stay as they were: a rule change is not retroactive."""
    row = _settings_row(admin)
    try:
        days = int(str(due_working_days).strip())
    except ValueError:
        raise ValidationError(_("The time to answer is a whole number of working days."), "due_working_days") from None
    if not 1 <= days <= MAX_DUE_DAYS:
        raise ValidationError(
            _("The time to answer is between 1 and %(most)d working days.", most=MAX_DUE_DAYS), "due_working_days"
        )
    row.due_working_days = days
    current = _from_row(row).calendar
    if nation is not None and nation != current.nation:
        _store_calendar(row, bank_holidays.loaded(str(nation), today(), current.days))
    return _save(admin, row)


def add_bank_holiday(admin: User, day: object, name: object) -> Settings:
    """A day the official list does not have (a one-off royal occasion, say); new due dates skip it."""
    row = _settings_row(admin)
    calendar = bank_holidays.with_day(
        _from_row(row).calendar, bank_holidays.parse_day(day), bank_holidays.clean_name(name)
    )
    _store_calendar(row, calendar)
    return _save(admin, row)


def remove_bank_holiday(admin: User, day: object) -> Settings:
    row = _settings_row(admin)
    _store_calendar(row, bank_holidays.without_day(_from_row(row).calendar, bank_holidays.parse_day(day)))
    return _save(admin, row)


def reload_bank_holidays(admin: User) -> Settings:
    """The nation's official list again, from this year on: removed official days come back, days announced
    since the list was loaded are added, and the days an admin added stay."""
    row = _settings_row(admin)
    current = _from_row(row).calendar
    _store_calendar(row, bank_holidays.loaded(current.nation, today(), current.days))
    return _save(admin, row)


# --- loading and checks -----------------------------------------------------------------------


def get(tracked_id: object) -> TrackedQuestion:
    try:
        key = bounds.whole(tracked_id)
    except (TypeError, ValueError):
        raise NotFound(_("That question is not on the list.")) from None
    tracked = db.session.get(TrackedQuestion, key) if 0 < key < 2**62 else None
    if tracked is None:
        raise NotFound(_("That question is not on the list."))
    return tracked


class Counted(Protocol):
    """A tracked question, or a row of `FIGURE_COLUMNS`: what the figures read."""

    @property
    def status(self) -> str: ...
    @property
    def how(self) -> str | None: ...
    @property
    def tracked_at(self) -> datetime: ...
    @property
    def answered_at(self) -> datetime | None: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def referred_at(self) -> datetime | None: ...


def is_overdue(tracked: Counted, on: date | None = None) -> bool:
    """Still awaiting its written answer after its due date. A referred question is with someone else: not overdue."""
    return (
        tracked.status == TrackedQuestion.AWAITING and tracked.due_on is not None and tracked.due_on < (on or today())
    )


def answered_late(tracked: Counted) -> bool:
    return (
        tracked.status == TrackedQuestion.ANSWERED
        and tracked.due_on is not None
        and tracked.answered_at is not None
        and local_date(tracked.answered_at) > tracked.due_on
    )


def link(tracked: TrackedQuestion) -> str:
    """Where the question was asked."""
    if tracked.session_id is not None:
        return f"/sessions/{tracked.session_id}#q{tracked.session_question_id}"
    if tracked.reply_id is not None:
        return f"/replies/{tracked.reply_id}"
    return f"/threads/{tracked.thread_id}"


def asker_link(tracked: TrackedQuestion) -> str:
    return f"/questions/mine#t{tracked.id}"


def asker_name(tracked: TrackedQuestion) -> str:
    return _("Anonymous") if tracked.anonymous else tracked.asker.public_name


def _require_assignee(user: User, tracked: TrackedQuestion) -> None:
    require(user, Permission.ANSWER_AS_REPRESENTATIVE)
    if user.id not in tracked.assignee_ids:
        raise PermissionDenied(_("Only the representatives this question was put to can do that."))


def _representative(value: object, field: str) -> User:
    try:
        key = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Choose a representative from the list."), field) from None
    user = db.session.get(User, key) if 0 < key < 2**62 else None
    if user is None or user.deleted_at is not None or not user.is_verified_representative:
        raise ValidationError(_("Choose a verified representative from the list."), field)
    return user


def _text(value: object, field: str, missing: str | None, limit: int) -> str:
    return clean_text(
        value,
        field,
        limit,
        missing=missing,
        too_long=_("That is too long: {count} characters, and the limit is {limit}."),
    )


def _move(tracked: TrackedQuestion, before: str, after: str, refusal: str) -> None:
    """A conditional UPDATE: of two representatives answering at once, one wins and the other is told."""
    state_moves.move(tracked, "status", before, after, refusal)


def _refuse_unless_awaiting(tracked: TrackedQuestion) -> None:
    if tracked.status == TrackedQuestion.ANSWERED:
        raise Conflict(_("This question has already been answered."))
    if tracked.status == TrackedQuestion.REFERRED:
        raise Conflict(
            _("This question was referred to %(to)s: post their reply when it comes.", to=tracked.referred_to)
        )


# Representatives are told when a question is put or transferred to them (a kind of the notification centre).
FOR_YOU = "question_for_you"


def _notify(user_id: int | None, kind: str, text: Callable[[], str], link: str) -> None:
    """In-app (and, by the person's preference, email) notice, sent once the caller's transaction commits.

    `text` is called in the recipient's language (their dates, and a session's title in that language too),
    never the language of whoever made the change."""
    with db.session.no_autoflush:
        recipient = db.session.get(User, user_id) if user_id is not None else None
    with language.speaking(recipient):
        notifications.notify(user_id, kind, str(text()), link)


def _title(live: LiveSession) -> str:
    """A session's title in the language being written in."""
    return bilingual.pick(live, "title").text


# --- sessions ---------------------------------------------------------------------------------


def on_record(question: SessionQuestion) -> bool:
    """Whether a session's question belongs on the record: its session has ended and the room shows it
    answered or awaiting a written answer (`live_events.awaits_written_answer`, the one rule the pages
    follow). `track_session` and `sync` keep the tracked rows exactly to this, whichever order the host
    and the moderators act in."""
    return (
        question.session.state == LiveSession.ENDED
        and live_events.shown(question)
        and question.status in (SessionQuestion.ANSWERED, SessionQuestion.AWAITING)
    )


def track_session(live: LiveSession) -> list[TrackedQuestion]:
    """Put an ended session's questions on the record (`on_record`), in `live_sessions.end`'s transaction.

    Questions answered live are recorded as such; the others await a written
    answer from the panel, due a number of working days after the session's
    (council-local) end date. Running it twice adds nothing.
    """
    rows = db.session.scalars(
        select(SessionQuestion)
        .where(
            *live_events.shown_in_room(live.id),
            SessionQuestion.status.in_((SessionQuestion.ANSWERED, SessionQuestion.AWAITING)),
        )
        .order_by(SessionQuestion.id)
    )
    already = set(
        db.session.scalars(select(TrackedQuestion.session_question_id).where(TrackedQuestion.session_id == live.id))
    )
    tracked_at = live.ended_at or now()
    due = due_date(local_date(tracked_at))
    made = [_track(question, live, tracked_at, due) for question in rows if question.id not in already]
    db.session.add_all(made)
    return made


def _track(question: SessionQuestion, live: LiveSession, tracked_at: datetime, due: date) -> TrackedQuestion:
    tracked = TrackedQuestion(
        source=TrackedQuestion.SESSION,
        source_key=f"session:{question.id}",
        session_question_id=question.id,
        session_id=live.id,
        asker_id=question.author_id,
        anonymous=question.anonymous,
        text=question.body,
        put_at=question.created_at,
        tracked_at=tracked_at,
        assignees=[QuestionAssignee(user_id=user_id) for user_id in sorted(live.panel_ids)],
    )
    if question.status == SessionQuestion.ANSWERED:
        tracked.status = TrackedQuestion.ANSWERED
        tracked.how = TrackedQuestion.LIVE if question.answered_live else TrackedQuestion.WRITTEN
        tracked.answered_at = question.answered_at
        tracked.answered_by_id = question.answered_by_id
        tracked.answer_body = question.answer_body
    else:
        tracked.status, tracked.due_on = TrackedQuestion.AWAITING, due
    return tracked


def _tracked(question: SessionQuestion) -> TrackedQuestion | None:
    return db.session.scalar(select(TrackedQuestion).where(TrackedQuestion.session_question_id == question.id))


def sync(question: SessionQuestion) -> TrackedQuestion | None:
    """Make the record follow the room after a change to a question of an ended session (in the caller's
    transaction): a question the room now shows awaiting an answer is put to the panel, due a number of
    working days from today, and they are told; one the room no longer shows (rejected, hidden, merged
    into another) leaves the record, so nobody owes an answer to it and its text is not kept there.
    Returns the tracked row, if the question has one now."""
    tracked = _tracked(question)
    if on_record(question):
        if tracked is not None and question.state == "edited":
            tracked.text = question.body  # a moderator's correction (a personal detail taken out) reaches it
        return tracked or _track_late(question)
    if tracked is not None:
        if tracked.status == TrackedQuestion.AWAITING:
            live = question.session
            _tell_panel(
                tracked,
                lambda: _(
                    "A question in “%(title)s” that awaited your written answer was taken out of the room by a "
                    "moderator: it is no longer on your list.",
                    title=_title(live),
                ),
            )
        db.session.delete(tracked)
    return None


def _track_late(question: SessionQuestion) -> TrackedQuestion:
    """A question that joins the record after its session ended (approved, or restored, afterwards)."""
    live = question.session
    moment = now()
    tracked = _track(question, live, moment, due_date(local_date(moment)))
    db.session.add(tracked)
    db.session.flush()
    if tracked.status == TrackedQuestion.AWAITING:
        _tell_panel(
            tracked,
            lambda: _(
                "A question in “%(title)s” was approved after the session and now awaits your written answer. "
                "It is due on %(due)s.",
                title=_title(live),
                due=shown_date(tracked.due_on),
            ),
        )
    return tracked


def _tell_panel(tracked: TrackedQuestion, text: Callable[[], str]) -> None:
    for user_id in sorted(tracked.assignee_ids):
        _notify(user_id, FOR_YOU, text, "/answers")


def for_session_question(question: SessionQuestion) -> TrackedQuestion:
    """The tracked row of a session's question on the record (made now if it is missing)."""
    tracked = _tracked(question) or (_track_late(question) if on_record(question) else None)
    if tracked is None:
        raise Conflict(
            _("This question is not on the record: it is not shown in the room, or its session is not over.")
        )
    return tracked


def for_session(session_id: int) -> dict[int, TrackedQuestion]:
    """A session's tracked questions by room question id, for the room to show due dates and referrals."""
    stmt = select(TrackedQuestion).where(TrackedQuestion.session_id == session_id)
    return {t.session_question_id: t for t in db.session.scalars(stmt) if t.session_question_id is not None}


def _answer_in_room(tracked: TrackedQuestion, user: User, body: str, moment: datetime) -> None:
    """Show the answer in the session's room and transcript too (one numbered room event)."""
    question = db.session.get(SessionQuestion, tracked.session_question_id)
    if question is None:
        return
    question.status, question.pinned_at = SessionQuestion.ANSWERED, None
    question.taken_at = question.taken_at or moment
    question.answered_at, question.answered_by_id = moment, user.id
    question.answered_live, question.answer_body = False, body
    if question.is_public:
        live_events.record_questions(question.session, [question])
    live_events.to_asker(question)


# --- representatives --------------------------------------------------------------------------


def answer(user: User, tracked_id: object, text: object, text_cy: object = "") -> TrackedQuestion:
    """A written answer by one of the representatives the question is put to; the asker is told.

    `text_cy`, optional, is the same answer in Welsh: each reader is shown their language's version."""
    tracked = get(tracked_id)
    _require_assignee(user, tracked)
    _refuse_unless_awaiting(tracked)
    body = _text(text, "answer", _("Write the answer before publishing it."), ANSWER_MAX)
    body_cy = _text(text_cy, "answer_cy", None, ANSWER_MAX)
    _move(tracked, TrackedQuestion.AWAITING, TrackedQuestion.ANSWERED, _("This question has already been answered."))
    moment = now()
    tracked.how = TrackedQuestion.WRITTEN
    tracked.answered_at, tracked.answered_by_id, tracked.answer_body = moment, user.id, body
    tracked.answer_body_cy = body_cy
    if tracked.session_question_id is not None:
        _answer_in_room(tracked, user, body, moment)
    name = user.public_name
    _notify(
        tracked.asker_id,
        "question_answered",
        lambda: _("Your question was answered in writing by %(name)s.", name=name),
        asker_link(tracked),
    )
    db.session.commit()
    return tracked


def transfer(user: User, tracked_id: object, to_user_id: object, note: object) -> TrackedQuestion:
    """Hand a question to a colleague, saying why; the due date stays, the colleague is told, the history is kept."""
    tracked = get(tracked_id)
    _require_assignee(user, tracked)
    _refuse_unless_awaiting(tracked)
    target = _representative(to_user_id, "to_user_id")
    if target.id == user.id:
        raise ValidationError(_("Choose a colleague: the question is already yours."), "to_user_id")
    if target.id in tracked.assignee_ids:
        raise ValidationError(_("%(name)s already has this question.", name=target.public_name), "to_user_id")
    reason = _text(
        note, "note", _("Say why you are transferring it: the note is shown on the public record."), NOTE_MAX
    )
    tracked.assignees = [a for a in tracked.assignees if a.user_id != user.id] + [QuestionAssignee(user_id=target.id)]
    tracked.transfers.append(
        QuestionTransfer(from_user_id=user.id, to_user_id=target.id, by_id=user.id, note=reason, at=now())
    )
    excerpt, name, due = shorten(reason, 120), user.public_name, tracked.due_on
    _notify(
        target.id,
        FOR_YOU,
        lambda: _(
            "%(name)s transferred a question to you: “%(note)s”. It is due on %(due)s.",
            name=name,
            note=excerpt,
            due=shown_date(due),
        ),
        "/answers",
    )
    db.session.commit()
    return tracked


def refer(user: User, tracked_id: object, to: object, note: object) -> TrackedQuestion:
    """Refer a question on national policy upward (an MP, a government department); the asker is told."""
    tracked = get(tracked_id)
    _require_assignee(user, tracked)
    _refuse_unless_awaiting(tracked)
    target = clean_line(to, "referred_to", _("Who it is referred to"), min_len=3, max_len=TO_MAX)
    reason = _text(note, "referral_note", _("Add a note: say why it goes to them (the asker sees it)."), NOTE_MAX)
    _move(
        tracked, TrackedQuestion.AWAITING, TrackedQuestion.REFERRED, _("This question is no longer awaiting an answer.")
    )
    tracked.referred_to, tracked.referred_at = target, now()
    tracked.referred_by_id, tracked.referral_note = user.id, reason
    name = user.public_name
    _notify(
        tracked.asker_id,
        "question_referred",
        lambda: _(
            "%(name)s referred your question to %(to)s. Their reply will be posted when it comes.", name=name, to=target
        ),
        asker_link(tracked),
    )
    db.session.commit()
    return tracked


def may_post_reply(user: User | None, tracked: TrackedQuestion) -> bool:
    """The representative who referred it, or an admin (who may receive the reply by post)."""
    if tracked.status != TrackedQuestion.REFERRED:
        return False
    return has(user, Permission.MANAGE_TOPICS) or (
        has(user, Permission.ANSWER_AS_REPRESENTATIVE) and user.id == tracked.referred_by_id
    )


def post_referral_reply(user: User, tracked_id: object, text: object) -> TrackedQuestion:
    """Post the reply to a referred question: the question is answered, and the asker told."""
    require(user, Permission.POST)
    tracked = get(tracked_id)
    if tracked.status != TrackedQuestion.REFERRED:
        raise Conflict(_("This question is not waiting for a reply to a referral."))
    if not may_post_reply(user, tracked):
        raise PermissionDenied(_("Only the representative who referred it, or an admin, can post the reply."))
    body = _text(text, "referral_reply", _("Paste or write the reply before posting it."), ANSWER_MAX)
    _move(tracked, TrackedQuestion.REFERRED, TrackedQuestion.ANSWERED, _("The reply was already posted."))
    moment = now()
    tracked.how = TrackedQuestion.REFERRAL
    tracked.referral_reply, tracked.referral_reply_at, tracked.referral_reply_by_id = body, moment, user.id
    tracked.answered_at, tracked.answered_by_id = moment, user.id
    if tracked.session_question_id is not None:
        heading = _("**Reply from %(to)s:**", to=tracked.referred_to)
        _answer_in_room(tracked, user, f"{heading}\n\n{body}", moment)
    name, to = user.public_name, tracked.referred_to
    _notify(
        tracked.asker_id,
        "question_answered",
        lambda: _("%(to)s replied to your question (posted by %(name)s).", to=to, name=name),
        asker_link(tracked),
    )
    db.session.commit()
    return tracked


# --- moderators: forum questions --------------------------------------------------------------


def _post_id(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        key = int(str(value).strip())
    except ValueError:
        raise NotFound(_("That post does not exist.")) from None
    if not 0 < key < 2**62:
        raise NotFound(_("That post does not exist."))
    return key


def check_forum_question(user: User | None) -> None:
    """Refuse unless this person may put forum posts to representatives (the form asks before it is shown)."""
    require(user, Permission.MODERATE)


def add_forum_question(
    moderator: User, representative_id: object, *, thread_id: object = None, reply_id: object = None
) -> TrackedQuestion:
    """Put a forum thread or reply directed at a representative on their list, due like a session question."""
    check_forum_question(moderator)
    thread_key, reply_key = _post_id(thread_id), _post_id(reply_id)
    if (thread_key is None) == (reply_key is None):
        raise ValidationError(_("Choose one thread or one reply."))
    post: Thread | Reply | None = db.session.get(Thread, thread_key) if thread_key else db.session.get(Reply, reply_key)
    if post is None:
        raise NotFound(_("That post does not exist."))
    if not post.is_public:
        raise Conflict(_("Only a published post can be put to a representative."))
    representative = _representative(representative_id, "representative_id")
    if representative.id == post.author_id:
        raise ValidationError(_("That is the representative's own post."), "representative_id")
    key = f"thread:{post.id}" if thread_key else f"reply:{post.id}"
    tracked = db.session.scalar(select(TrackedQuestion).where(TrackedQuestion.source_key == key))
    if tracked is not None:
        if representative.id in tracked.assignee_ids:
            raise Conflict(_("This question is already on %(name)s's list.", name=representative.public_name))
        _refuse_unless_awaiting(tracked)
        tracked.assignees.append(QuestionAssignee(user_id=representative.id))
    else:
        moment = now()
        tracked = TrackedQuestion(
            source=TrackedQuestion.FORUM,
            source_key=key,
            thread_id=post.id if isinstance(post, Thread) else post.thread_id,
            reply_id=None if thread_key else post.id,
            added_by_id=moderator.id,
            asker_id=post.author_id,
            text=f"{post.title}\n\n{post.body}" if isinstance(post, Thread) else post.body,
            put_at=post.created_at,
            tracked_at=moment,
            status=TrackedQuestion.AWAITING,
            due_on=due_date(local_date(moment)),
            assignees=[QuestionAssignee(user_id=representative.id)],
        )
        db.session.add(tracked)
    due, name = tracked.due_on, representative.public_name
    _notify(
        representative.id,
        FOR_YOU,
        lambda: _("A moderator put a forum question to you. It is due on %(due)s.", due=shown_date(due)),
        "/answers",
    )
    _notify(
        post.author_id,
        "question_referred",
        lambda: _("A moderator put your post to %(name)s for a written answer.", name=name),
        "/questions/mine",
    )
    db.session.commit()
    return tracked


# --- lists ------------------------------------------------------------------------------------


def _with_people(stmt: Select[tuple[TrackedQuestion]]) -> Select[tuple[TrackedQuestion]]:
    """Everyone a listed question names, loaded with the list: a fixed number of queries for any length."""
    return stmt.options(
        joinedload(TrackedQuestion.asker),
        joinedload(TrackedQuestion.answered_by),
        joinedload(TrackedQuestion.referred_by),
        joinedload(TrackedQuestion.referral_reply_by),
        selectinload(TrackedQuestion.assignees).selectinload(QuestionAssignee.user),
        selectinload(TrackedQuestion.transfers).options(
            joinedload(QuestionTransfer.from_user), joinedload(QuestionTransfer.to_user)
        ),
    )


@dataclass(frozen=True)
class Listing:
    """One page of a list of questions, and how many there are in all (a councillor may owe hundreds)."""

    items: list[TrackedQuestion]
    page: int
    total: int
    size: int = PAGE_SIZE  # questions a page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def __iter__(self) -> Iterator[TrackedQuestion]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _listing(stmt: Select[tuple[TrackedQuestion]], page: object, size: int = PAGE_SIZE) -> Listing:
    """`stmt` (ordered in SQL) cut to one page of `size`, loaded with its people, and the count of the whole list."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    try:
        number = max(1, int(str(page)))
    except (TypeError, ValueError):
        number = 1
    number = min(number, max(1, -(-total // size)))
    # The page's ids are chosen first (a subquery on the narrow rows), then only those rows are joined to their
    # people: with the LIMIT outside, PostgreSQL joined every question the list holds to four people and sorted
    # the wide rows (5 ms for 300 questions, 1 ms this way).
    ids = stmt.with_only_columns(TrackedQuestion.id, maintain_column_froms=True).limit(size).offset((number - 1) * size)
    rows = db.session.scalars(_with_people(stmt.where(TrackedQuestion.id.in_(ids.scalar_subquery())))).unique()
    return Listing(list(rows), number, total, size)


def outstanding(user: User, page: object = 1) -> Listing:
    """What a representative still owes: awaiting (soonest due first), then referrals awaiting a reply."""
    stmt = (
        select(TrackedQuestion)
        .join(QuestionAssignee, QuestionAssignee.tracked_id == TrackedQuestion.id)
        .where(
            QuestionAssignee.user_id == user.id,
            TrackedQuestion.status.in_((TrackedQuestion.AWAITING, TrackedQuestion.REFERRED)),
        )
        .order_by(
            case((TrackedQuestion.status == TrackedQuestion.AWAITING, 0), else_=1),
            TrackedQuestion.due_on.is_(None),
            TrackedQuestion.due_on,
            TrackedQuestion.id,
        )
    )
    return _listing(stmt, page, ANSWERS_PAGE_SIZE)


def referrals_waiting() -> list[TrackedQuestion]:
    """Every referral still waiting for its reply (the admins' list)."""
    stmt = _with_people(
        select(TrackedQuestion)
        .where(TrackedQuestion.status == TrackedQuestion.REFERRED)
        .order_by(TrackedQuestion.referred_at)
    )
    return list(db.session.scalars(stmt))


def overdue(on: date | None = None) -> list[TrackedQuestion]:
    """Questions past their due date without a written answer, oldest due first."""
    on = on or today()
    stmt = select(TrackedQuestion).where(
        TrackedQuestion.status == TrackedQuestion.AWAITING, TrackedQuestion.due_on < on
    )
    return list(db.session.scalars(stmt.order_by(TrackedQuestion.due_on, TrackedQuestion.id)))


def put_to(user_id: int, page: object = 1) -> Listing:
    """The questions a representative holds, for their public record: outstanding first, then newest."""
    stmt = (
        select(TrackedQuestion)
        .join(QuestionAssignee, QuestionAssignee.tracked_id == TrackedQuestion.id)
        .where(QuestionAssignee.user_id == user_id)
        .order_by(
            case((TrackedQuestion.status == TrackedQuestion.ANSWERED, 1), else_=0),
            TrackedQuestion.tracked_at.desc(),
            TrackedQuestion.id.desc(),
        )
    )
    return _listing(stmt, page)


def transferred_away(user_id: int) -> list[QuestionTransfer]:
    stmt = select(QuestionTransfer).where(QuestionTransfer.from_user_id == user_id).order_by(QuestionTransfer.at.desc())
    return list(db.session.scalars(stmt.limit(SHOWN_MAX)))


def mine(user: User) -> list[TrackedQuestion]:
    """What became of my questions: each one the asker put, newest first, with status and answer."""
    require_signed_in(user)
    stmt = _with_people(
        select(TrackedQuestion)
        .where(TrackedQuestion.asker_id == user.id)
        .order_by(TrackedQuestion.tracked_at.desc(), TrackedQuestion.id.desc())
    )
    return list(db.session.scalars(stmt))


def answers_missing_welsh() -> list[TrackedQuestion]:
    """For the admin: written answers published in English only (newest first)."""
    stmt = (
        select(TrackedQuestion)
        .where(
            TrackedQuestion.status == TrackedQuestion.ANSWERED,
            TrackedQuestion.how == TrackedQuestion.WRITTEN,
            func.coalesce(TrackedQuestion.answer_body, "") != "",
            func.coalesce(TrackedQuestion.answer_body_cy, "") == "",
        )
        .order_by(TrackedQuestion.answered_at.desc(), TrackedQuestion.id.desc())
    )
    return list(db.session.scalars(stmt))


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A record's figures. `put` = answered (live, written, by referral) + referred (waiting) + outstanding."""

    put: int = 0
    answered_live: int = 0
    answered_written: int = 0
    answered_by_referral: int = 0
    outstanding: int = 0
    overdue: int = 0
    referred: int = 0  # ever referred upward, replied or not
    referred_waiting: int = 0
    answered_late: int = 0
    median_days: float | None = None  # written answers only, see MEDIAN_RULE


def _one_decimal(value: float) -> float:
    """Rounded half up, as people round (4.25 days is 4.3), not to the nearest even digit."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def figures(rows: Iterable[Counted], on: date | None = None) -> Figures:
    """Count a set of questions (tracked questions, or rows of `FIGURE_COLUMNS`). Pure: the same rows always
    give the same figures."""
    on = on or today()
    rows = list(rows)
    status = [(t.status, t.how) for t in rows]
    written_days = [
        (t.answered_at - t.tracked_at).total_seconds() / 86400
        for t in rows
        if t.status == TrackedQuestion.ANSWERED and t.how == TrackedQuestion.WRITTEN and t.answered_at
    ]
    return Figures(
        put=len(rows),
        answered_live=status.count((TrackedQuestion.ANSWERED, TrackedQuestion.LIVE)),
        answered_written=status.count((TrackedQuestion.ANSWERED, TrackedQuestion.WRITTEN)),
        answered_by_referral=status.count((TrackedQuestion.ANSWERED, TrackedQuestion.REFERRAL)),
        outstanding=sum(1 for t in rows if t.status == TrackedQuestion.AWAITING),
        overdue=sum(1 for t in rows if is_overdue(t, on)),
        referred=sum(1 for t in rows if t.referred_at is not None),
        referred_waiting=sum(1 for t in rows if t.status == TrackedQuestion.REFERRED),
        answered_late=sum(1 for t in rows if answered_late(t)),
        median_days=_one_decimal(statistics.median(written_days)) if written_days else None,
    )


# What `figures` reads of a question: records select these columns, not whole rows with their texts.
FIGURE_COLUMNS = (
    TrackedQuestion.status,
    TrackedQuestion.how,
    TrackedQuestion.due_on,
    TrackedQuestion.answered_at,
    TrackedQuestion.tracked_at,
    TrackedQuestion.referred_at,
)


def record(user_id: int, on: date | None = None) -> Figures:
    """One representative's figures, over the questions they hold (transferred ones count for the colleague)."""
    stmt = (
        select(*FIGURE_COLUMNS)
        .join(QuestionAssignee, QuestionAssignee.tracked_id == TrackedQuestion.id)
        .where(QuestionAssignee.user_id == user_id)
    )
    return figures(db.session.execute(stmt), on)


def council_record(on: date | None = None) -> Figures:
    """The council as a whole: each question once, however many representatives it was put to."""
    return figures(db.session.execute(select(*FIGURE_COLUMNS)), on)


def representatives_record(on: date | None = None) -> list[tuple[User, Figures]]:
    """Every verified representative, and anyone else who holds questions, with their figures (by name)."""
    on = on or today()
    rows = db.session.execute(
        select(QuestionAssignee.user_id, *FIGURE_COLUMNS).join(
            QuestionAssignee, QuestionAssignee.tracked_id == TrackedQuestion.id
        )
    )
    held: dict[int, list[Any]] = {}
    for row in rows:
        held.setdefault(row.user_id, []).append(row)
    people = {u.id: u for u in account_roles.representatives()}
    missing = held.keys() - people.keys()
    if missing:
        people.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(missing))))
    ordered = sorted(people.values(), key=lambda u: (u.public_name.casefold(), u.id))
    return [(u, figures(held.get(u.id, ()), on)) for u in ordered]


def representative(user_id: object) -> User:
    """A person whose record can be shown: a representative now, or one who holds questions."""
    try:
        key = bounds.whole(user_id)
    except (TypeError, ValueError):
        raise NotFound(_("That representative does not exist.")) from None
    user = db.session.get(User, key) if 0 < key < 2**62 else None
    holds = user is not None and db.session.scalar(
        select(QuestionAssignee.id).where(QuestionAssignee.user_id == user.id).limit(1)
    )
    if user is None or not (user.is_verified_representative or user.role == Role.REPRESENTATIVE.value or holds):
        raise NotFound(_("That representative does not exist."))
    return user


# --- privacy ----------------------------------------------------------------------------------


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() + ("Z" if isinstance(value, datetime) else "")


def _export_question(t: TrackedQuestion) -> dict[str, Any]:
    return {
        "id": t.id,
        "source": t.source,
        "asked_where": link(t),
        "question": t.text,
        "asked_at": _iso(t.put_at),
        "status": t.status,
        "answered": t.how,
        "due_on": _iso(t.due_on),
        "answer": t.answer_body,
        "answer_cy": t.answer_body_cy,
        "answered_at": _iso(t.answered_at),
        "referred_to": t.referred_to,
        "referred_at": _iso(t.referred_at),
        "referral_reply": t.referral_reply,
    }


def export(user: User) -> dict[str, Any]:
    asked = db.session.scalars(select(TrackedQuestion).where(TrackedQuestion.asker_id == user.id))
    answered = db.session.scalars(
        select(TrackedQuestion).where(
            (TrackedQuestion.answered_by_id == user.id) | (TrackedQuestion.referred_by_id == user.id)
        )
    )
    transfers = db.session.scalars(select(QuestionTransfer).where(QuestionTransfer.by_id == user.id))
    return {
        "questions_you_asked": [_export_question(t) for t in asked],
        "questions_you_answered_or_referred": [_export_question(t) for t in answered],
        "transfers_you_made": [
            {"question_id": t.tracked_id, "to": t.to_user.public_name, "note": t.note, "at": _iso(t.at)}
            for t in transfers
        ],
    }


def erase(user: User, remove_content: bool) -> None:
    """Asked to remove their content, the asker's question text goes; answers stay (they are the public record)."""
    if not remove_content:
        return
    for tracked in db.session.scalars(select(TrackedQuestion).where(TrackedQuestion.asker_id == user.id)):
        tracked.text = ""


privacy.register(
    "accountability",
    _l(
        "Questions you asked that were put to representatives (with their answers), and, for representatives, "
        "the answers, referrals and transfers you made."
    ),
    export,
    erase,
)
