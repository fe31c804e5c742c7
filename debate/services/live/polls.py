"""Live polls in a session: prepare, edit, delete, open, close, answer.

Pages, the JSON API and socket events call these functions. The host or a
moderator of the session prepares polls (drafts, before or during the
session) and opens and closes them while it is live; each opening and
closing is a numbered event (`poll_events.record_poll`) so reconnecting
clients catch up. Residents answer an open poll once each and may change
their answer until it closes. Answers, like votes, are counted at once and
announced by `live_pulse` a few times a second: an answer only marks its
poll changed (`Poll.changes`), never one message per answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession
from debate.models.polls import Poll, PollAnswer, PollOption
from debate.permissions import Permission, require, signed_in
from debate.services import publishing, state_moves
from debate.services.live import (
    poll_content,  # noqa: F401 - registers short-text answers with moderation
    poll_events,
)
from debate.services.live import pulse as live_pulse
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.moderation import standing as moderation_standing
from debate.services.text import clean_line, clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
ANSWER = ratelimit.limit(
    "live.poll_answer",
    "30/minute",
    _l("You can answer or change your answer to polls at most 30 times a minute. Please wait a moment and try again."),
)
MANAGE = ratelimit.limit(
    "live.poll_manage",
    "60/minute",
    _l("You can prepare, change, open or close polls at most 60 times a minute. Please wait a moment and try again."),
)

QUESTION_MIN = 5
QUESTION_MAX = 300
OPTION_MAX = 150
OPTIONS_MIN, OPTIONS_MAX = 2, 10
TEXT_ANSWER_MAX = 80  # a short-text answer: a word or a phrase, shown in the word list
SCALE = (1, 2, 3, 4, 5)
POLLS_MAX = 30  # polls in one session


@dataclass
class PollForm:
    """What the host's form (or the JSON API) sends; the option lists pair English and Welsh by position."""

    question: object = ""
    question_cy: object = ""
    kind: object = Poll.SINGLE
    options: object = field(default_factory=list)  # a list of lines; anything else is refused
    options_cy: object = field(default_factory=list)
    hide_results: object = False


# --- loading and roles --------------------------------------------------------------------------


def get(poll_id: object, session_id: object | None = None) -> Poll:
    """The poll (in that session, when one is given)."""
    try:
        key = bounds.whole(poll_id)
    except (TypeError, ValueError):
        raise NotFound(_("That poll does not exist.")) from None
    poll = db.session.get(Poll, key) if 0 < key < 2**62 else None
    if poll is None or (session_id is not None and str(poll.session_id) != str(session_id)):
        raise NotFound(_("That poll does not exist."))
    return poll


def may_run(user: User | None, live: LiveSession) -> bool:
    """The host and the moderators prepare, open and close a session's polls, and see hidden results."""
    return live_roles.is_host(user, live) or (live_roles.is_moderator(user) and signed_in(user))


def require_run(user: User | None, live: LiveSession) -> None:
    if not may_run(user, live):
        raise PermissionDenied(_("Only the session's host or a moderator can run its polls."))


def visible(user: User | None, poll: Poll) -> Poll:
    """A draft is seen by those who run the session only; to anyone else it does not exist."""
    if poll.state == Poll.DRAFT and not may_run(user, poll.session):
        raise NotFound(_("That poll does not exist."))
    return poll


def listing(live: LiveSession, user: User | None) -> list[Poll]:
    """The session's polls in order; drafts for those who run it only."""
    polls = db.session.scalars(select(Poll).where(Poll.session_id == live.id).order_by(Poll.position, Poll.id))
    staff = may_run(user, live)
    return [p for p in polls if staff or p.state != Poll.DRAFT]


# --- preparing ----------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value not in Poll.KINDS:
        raise ValidationError(_("Choose what kind of poll this is."), "kind")
    return str(value)


def _options(form: PollForm, kind: str) -> list[tuple[str, str]]:
    """Choice polls need 2 to 10 options; empty rows of the form are left out. Other kinds take none."""
    if kind not in (Poll.SINGLE, Poll.MULTIPLE):
        return []
    if not isinstance(form.options, list) or not isinstance(form.options_cy, list):
        raise ValidationError(_("The options must be a list."), "options")
    welsh = list(form.options_cy) + [""] * max(0, len(form.options) - len(form.options_cy))
    pairs = []
    for english, cymraeg in zip(form.options, welsh, strict=False):
        label = _line(english, "options", _("An option"), OPTION_MAX)
        label_cy = _line(cymraeg, "options_cy", _("An option in Welsh"), OPTION_MAX)
        if label_cy and not label:
            raise ValidationError(_("Each option in Welsh needs its English beside it."), "options")
        if label:
            pairs.append((label, label_cy))
    if not OPTIONS_MIN <= len(pairs) <= OPTIONS_MAX:
        raise ValidationError(
            _("A choice poll needs from %(least)d to %(most)d options.", least=OPTIONS_MIN, most=OPTIONS_MAX), "options"
        )
    if len({label.casefold() for label, _cy in pairs}) != len(pairs):
        raise ValidationError(_("Two options say the same thing."), "options")
    return pairs


def _line(value: object, name: str, label: str, most: int) -> str:
    """An optional line: "" when left empty, else checked like any line."""
    if not isinstance(value, str) or not value.strip():
        return ""
    return clean_line(value, name, label, max_len=most)


def _clean(form: PollForm) -> tuple[dict[str, object], list[tuple[str, str]]]:
    question = clean_line(form.question, "question", _("The question"), min_len=QUESTION_MIN, max_len=QUESTION_MAX)
    question_cy = _line(form.question_cy, "question_cy", _("The question in Welsh"), QUESTION_MAX)
    kind = _kind(form.kind)
    hide = form.hide_results in (True, "1", "on", "true")
    return {"question": question, "question_cy": question_cy, "kind": kind, "hide_results": hide}, _options(form, kind)


def _set_options(poll: Poll, pairs: list[tuple[str, str]]) -> None:
    poll.options = [PollOption(position=i, label=label, label_cy=cy) for i, (label, cy) in enumerate(pairs)]


def _editable(live: LiveSession) -> None:
    if live.state in (LiveSession.ENDED, LiveSession.CANCELLED):
        raise Conflict(_("This session is over: its polls can no longer be changed."))


def prepare(user: User, session_id: object, form: PollForm) -> Poll:
    """A new draft poll, last in the session's list."""
    require(user, Permission.POST)
    live = live_sessions.get(session_id)
    require_run(user, live)
    _editable(live)
    values, pairs = _clean(form)
    count = len(db.session.scalars(select(Poll.id).where(Poll.session_id == live.id)).all())
    if count >= POLLS_MAX:
        raise Conflict(_("A session can have at most %(most)d polls.", most=POLLS_MAX))
    poll = Poll(session_id=live.id, created_by_id=user.id, position=count, state=Poll.DRAFT, **values)
    _set_options(poll, pairs)
    db.session.add(poll)
    db.session.commit()
    return poll


def _draft(user: User, poll_id: object, session_id: object | None) -> Poll:
    poll = visible(user, get(poll_id, session_id))
    require_run(user, poll.session)
    _editable(poll.session)
    if poll.state != Poll.DRAFT:
        raise Conflict(_("This poll has been opened: it can no longer be changed."))
    return poll


def edit(user: User, poll_id: object, form: PollForm, session_id: object | None = None) -> Poll:
    """Change a draft (an opened poll keeps what people answered)."""
    require(user, Permission.POST)
    poll = _draft(user, poll_id, session_id)
    values, pairs = _clean(form)
    for name, value in values.items():
        setattr(poll, name, value)
    _set_options(poll, pairs)
    db.session.commit()
    return poll


def delete(user: User, poll_id: object, session_id: object | None = None) -> int:
    """Remove a draft; returns its session's id."""
    require(user, Permission.POST)
    poll = _draft(user, poll_id, session_id)
    live_id = poll.session_id
    db.session.delete(poll)
    db.session.commit()
    return live_id


# --- running ------------------------------------------------------------------------------------


def _run(user: User, poll_id: object, session_id: object | None) -> Poll:
    require(user, Permission.POST)
    poll = visible(user, get(poll_id, session_id))
    require_run(user, poll.session)
    return poll


def open_poll(user: User, poll_id: object, session_id: object | None = None) -> Poll:
    """Open a draft in the live room: everyone sees it and may answer."""
    poll = _run(user, poll_id, session_id)
    live_sessions.require_live(poll.session, "run polls")
    state_moves.move(poll, "state", Poll.DRAFT, Poll.OPEN, _("This poll is already open or closed."))
    poll.opened_at = utcnow()
    poll_events.record_poll(poll)
    db.session.commit()
    return poll


def close_poll(user: User, poll_id: object, session_id: object | None = None) -> Poll:
    """Close an open poll: no more answers; hidden results are shown to everyone now, and the closing event
    carries the final counts (so what the flush still owed is claimed here)."""
    poll = _run(user, poll_id, session_id)
    state_moves.move(poll, "state", Poll.OPEN, Poll.CLOSED, _("This poll is not open."))
    poll.closed_at = utcnow()
    db.session.refresh(poll, ["changes"])
    poll.announced_changes = poll.changes
    poll_events.record_poll(poll)
    db.session.commit()
    return poll


# --- answering ----------------------------------------------------------------------------------


def _ids(value: object) -> list[int]:
    items = value if isinstance(value, list) else [value]
    try:
        return sorted({bounds.whole(item) for item in items if item not in (None, "")})
    except (TypeError, ValueError):
        raise ValidationError(_("Choose one of the poll's options."), "choices") from None


def _choices(poll: Poll, value: object) -> list[int]:
    chosen = _ids(value)
    known = {option.id for option in poll.options}
    if not chosen:
        raise ValidationError(_("Choose an answer before sending it."), "choices")
    if any(item not in known for item in chosen):
        raise ValidationError(_("Choose one of the poll's options."), "choices")
    if poll.kind == Poll.SINGLE and len(chosen) > 1:
        raise ValidationError(_("Choose one answer only."), "choices")
    return chosen


def _scale(value: object) -> int:
    try:
        number = bounds.whole(value)
    except (TypeError, ValueError):
        number = 0
    if number not in SCALE:
        raise ValidationError(_("Choose a number from 1 to 5."), "value")
    return number


def _short_text(value: object) -> str:
    return clean_text(
        value,
        "text",
        TEXT_ANSWER_MAX,
        missing=_("Write your answer before sending it."),
        too_long=_("Your answer is too long: %(count)s characters, and the limit is %(limit)s."),
    )


def answer(
    user: User,
    poll_id: object,
    *,
    choices: object = None,
    value: object = None,
    text: object = None,
    session_id: object | None = None,
) -> PollAnswer:
    """Store this person's answer, or change it: one answer each, until the poll closes.

    A short text passes the moderation gate (pre-moderated when the session is) and is counted in the
    word list once published. The results are announced by the next flush (`live_pulse`).
    """
    require(user, Permission.POST)
    poll = visible(user, get(poll_id, session_id))
    capability = moderation.Capability.POST if poll.kind == Poll.TEXT else moderation.Capability.VOTE
    moderation_standing.require_capability(user, capability)
    if poll.state != Poll.OPEN:
        raise Conflict(_("This poll is closed: answers are no longer taken."))
    live_sessions.require_live(poll.session, "answer polls")
    row = db.session.scalar(select(PollAnswer).where(PollAnswer.poll_id == poll.id, PollAnswer.author_id == user.id))
    fields: dict[str, object] = {"choices": [], "value": None, "body": None}
    verdict = None
    if poll.kind == Poll.TEXT:
        fields["body"] = _short_text(text)
        verdict = _screen(user, poll, str(fields["body"]))
    elif poll.kind == Poll.SCALE:
        fields["value"] = _scale(value)
    else:
        fields["choices"] = _choices(poll, choices)
    if row is None:
        row = PollAnswer(poll_id=poll.id, author_id=user.id, state="published", fingerprint="")
        try:
            with db.session.begin_nested():
                _fill(row, fields, verdict)
                db.session.add(row)
        except IntegrityError:  # the same person's two answers at once: the first one stands
            raise Conflict(_("Your answer was just sent. Reload the page.")) from None
    else:
        _fill(row, fields, verdict)
    if verdict is not None:
        publishing.screened("poll_answer", row, verdict)
    row.change = _count_change(poll)
    db.session.commit()
    live_pulse.poll_changed(poll.session_id, poll.id)
    return row


def _screen(user: User, poll: Poll, body: str) -> moderation.Verdict:
    live = poll.session
    context = moderation.Context(
        kind=moderation.ContextKind.LIVE_SESSION,
        id=str(live.id),
        premoderated=frozenset({moderation.ContentKind.CHAT_MESSAGE}) if live.premoderate else frozenset(),
    )
    return publishing.screen(user, moderation.ContentKind.CHAT_MESSAGE, body, context=context)


def _fill(row: PollAnswer, fields: dict[str, object], verdict: moderation.Verdict | None) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    if verdict is not None:
        row.state = publishing.initial_state(verdict)
        row.fingerprint = verdict.fingerprint
        row.state_note = " ".join(r.message for r in verdict.reasons) if verdict.held else None


def _count_change(poll: Poll) -> int:
    """One more change owed to the room, and its number: the flush announces it (one UPDATE, no lock on
    the session; the poll's row orders the changes, so the numbers follow the commits).

    The UPDATE holds only while the poll is open: an answer racing the host's "close" waits for it on the
    poll's row and is then refused, so nothing is stored after a poll closed.
    """
    counted = db.session.scalar(
        update(Poll)
        .where(Poll.id == poll.id, Poll.state == Poll.OPEN)
        .values(changes=Poll.changes + 1)
        .returning(Poll.changes)
        .execution_options(synchronize_session=False)
    )
    if counted is None:
        db.session.rollback()
        raise Conflict(_("This poll is closed: answers are no longer taken."))
    return counted


def mine(user: User | None, poll: Poll) -> PollAnswer | None:
    """This person's answer to the poll, if any."""
    if not signed_in(user):
        return None
    return db.session.scalar(select(PollAnswer).where(PollAnswer.poll_id == poll.id, PollAnswer.author_id == user.id))
