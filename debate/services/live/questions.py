"""Questions in a live session: ask, vote, withdraw; moderate, merge, pin; answer.

Pages, the JSON API and socket events call these functions. Each one checks
the role and the session's state, changes the rows, records the numbered
event (`live_events.record`) and commits; broadcasts follow the commit.
Votes are the exception to "one event per change": they are counted at once
but announced by `live_pulse`, a few times a second, for all questions that
changed together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

import moderation
from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession, QuestionVote, SessionQuestion
from debate.models.moderation import ModerationDecision, ReviewItem
from debate.permissions import Permission, require, signed_in
from debate.services import publishing, submissions, vote_rows
from debate.services.accountability import questions as accountability
from debate.services.accounts import language as account_language
from debate.services.live import broad_support as live_broad_support
from debate.services.live import content as live_content  # noqa: F401 - registers questions and chat with moderation
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import pulse as live_pulse
from debate.services.live import question_notices
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.live import skips as live_skips
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import notices as moderation_notices
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import standing as moderation_standing
from debate.services.text import clean_text

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
ASK = ratelimit.limit(
    "live.ask",
    "10/minute",
    _l("You can ask at most 10 questions a minute. Please wait a moment and try again."),
)
VOTE = ratelimit.limit(
    "live.vote",
    "60/minute",
    _l("You can vote or take back a vote at most 60 times a minute. Please wait a moment and try again."),
)
WITHDRAW = ratelimit.limit(
    "live.withdraw",
    "20/minute",
    _l("You can withdraw at most 20 questions a minute. Please wait a moment and try again."),
)
MODERATE = ratelimit.limit(
    "live.moderate",
    "120/minute",
    _l("You can approve, reject, correct, merge or pin questions at most 120 times a minute. Please wait a moment."),
)
PANEL = ratelimit.limit(
    "live.answer",
    "60/minute",
    _l("You can take up, answer or reopen at most 60 questions a minute. Please wait a moment and try again."),
)

ANSWER_MAX = 5000
T = TypeVar("T", bound=live_order.Recorded)  # a question, or a row of its columns (`live_pages`)


# --- loading ----------------------------------------------------------------------------------


def get(question_id: object, with_session: bool = False) -> SessionQuestion:
    """The question (and, when asked, its session in the same query)."""
    try:
        key = bounds.whole(question_id)
    except (TypeError, ValueError):
        raise NotFound(_("That question does not exist.")) from None
    options = [joinedload(SessionQuestion.session)] if with_session else []
    question = db.session.get(SessionQuestion, key, options=options) if 0 < key < 2**62 else None
    if question is None:
        raise NotFound(_("That question does not exist."))
    return question


def _in_session(question_id: object, session_id: object | None, with_session: bool = False) -> SessionQuestion:
    question = get(question_id, with_session)
    if session_id is not None and str(question.session_id) != str(session_id):
        raise NotFound(_("That question is not in this session."))
    return question


def question_max() -> int:
    """The most characters in a question (the policy's `limits.question`): the form, the socket and the room read it."""
    return publishing.policy().limits.question


def clean_question(value: object) -> str:
    return clean_text(
        value,
        "body",
        question_max(),
        missing=_("Write your question before sending it."),
        too_long=_("Your question is too long: {count} characters, and the limit is {limit}."),
    )


# --- residents --------------------------------------------------------------------------------


def ask(
    user: User, session_id: object, body: object, anonymous: object = False, submission_key: object = None
) -> SessionQuestion:
    """Put a question. Under pre-moderation it waits, seen by its asker and moderators only.

    The same form or socket message sent twice (same key) makes one question.
    """
    require(user, Permission.POST)
    live = live_sessions.get(session_id)
    live_sessions.require_live(live, "ask a question")
    text = clean_question(body)
    anonymous = anonymous in (True, "1", "on", "true")
    if anonymous and not live.allow_anonymous:
        raise ValidationError(_("This session does not take anonymous questions."), "anonymous")
    key = submissions.clean_key(submission_key)
    existing = submissions.earlier(SessionQuestion, user, key)
    if existing is not None:
        return existing
    context = moderation.Context(
        kind=moderation.ContextKind.LIVE_SESSION,
        id=str(live.id),
        premoderated=frozenset({moderation.ContentKind.QUESTION}) if live.premoderate else frozenset(),
    )
    verdict = publishing.screen(user, moderation.ContentKind.QUESTION, text, context=context)
    question = SessionQuestion(
        session_id=live.id,
        author_id=user.id,
        body=text,
        anonymous=anonymous,
        submission_key=key,
        state=publishing.initial_state(verdict),
        fingerprint=verdict.fingerprint,
    )
    if verdict.held:
        question.state_note = " ".join(r.message for r in verdict.reasons)
    try:
        with db.session.begin_nested():
            db.session.add(question)
    except IntegrityError:  # the same key at the same moment: the first one stands
        return submissions.after_race(SessionQuestion, user, key, _("That question was just sent. Reload the page."))
    publishing.screened("question", question, verdict)
    _announce(live, question)
    db.session.commit()
    return question


def _announce(live: LiveSession, question: SessionQuestion) -> None:
    """Tell the room (public questions), the moderators (held ones) and the asker, after the commit."""
    if question.is_public:
        live_events.record_questions(live, [question])
    elif question.state == "held":
        item = moderation_queue.find("question", question.id)
        live_events.to_staff(
            live, "live:pending", {"question": live_events.staff_data(question, item.id if item else None)}
        )
    live_events.to_asker(question)


def set_vote(user: User, question_id: object, voted: bool, session_id: object | None = None) -> SessionQuestion:
    """One vote per person per question, idempotent (`vote_rows`): voting twice, or taking back a vote not given,
    changes nothing and is no error. Your own question can't be voted.

    The busiest write of a live room (10 a second and more), so it costs few round trips: the question and
    its session in one query, the vote as an insert that skips a duplicate (`vote_rows`, no savepoint), the count moved
    and read back in one UPDATE ... RETURNING, one commit, and no reload afterwards.
    """
    require(user, Permission.POST)
    moderation_standing.require_capability(user, moderation.Capability.VOTE)
    question = _in_session(question_id, session_id, with_session=True)
    live_sessions.require_live(question.session, "vote")
    if voted:
        if question.author_id == user.id:
            raise ValidationError(_("This is your own question: you can't vote for it."))
        if not question.is_public or question.status not in (SessionQuestion.OPEN, SessionQuestion.ANSWERING):
            raise Conflict(_("This question is not open for votes."))
    if not vote_rows.set_row(QuestionVote, voted, question_id=question.id, user_id=user.id):
        return question  # already so: nothing changes, and that is no error; the count read above is current
    change = 1 if voted else -1
    count = db.session.execute(
        update(SessionQuestion)
        .where(SessionQuestion.id == question.id)
        .values(vote_count=SessionQuestion.vote_count + change, vote_changes=SessionQuestion.vote_changes + 1)
        .returning(SessionQuestion.vote_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    ids, rule = (question.id, question.session_id), question.session.order_rule
    db.session.commit()
    # The commit expired the object; what callers read of it is known, so set it rather than reload the row.
    for name, value in zip(("id", "session_id", "vote_count"), (*ids, count), strict=True):
        set_committed_value(question, name, value)
    live_pulse.vote_changed(question.session_id, question.id)
    live_broad_support.voted(question.session_id, rule)
    return question


def withdraw(user: User, question_id: object, session_id: object | None = None) -> SessionQuestion:
    """The asker takes their question back (before it is answered); it leaves the room and the review queue."""
    require(user, Permission.POST)
    question = _in_session(question_id, session_id)
    if question.author_id != user.id:
        raise PermissionDenied(_("You can only withdraw your own question."))
    if question.status in (SessionQuestion.ANSWERED, SessionQuestion.MERGED):
        raise Conflict(_("This question was already answered or merged: it can't be withdrawn."))
    if question.session.state in (LiveSession.ENDED, LiveSession.CANCELLED):
        # After the session it is on the panel's list with a due date: the record must not lose it quietly.
        raise Conflict(_("The session is over and your question is with the panel: it can no longer be withdrawn."))
    try:
        question.state = moderation.transition(
            moderation.ReviewState(question.state), moderation.ReviewAction.WITHDRAW
        ).value
    except moderation.IllegalTransition:
        raise Conflict(_("This question was already withdrawn or removed.")) from None
    question.pinned_at = None
    item = moderation_queue.find("question", question.id)
    if item is not None and item.status == item.OPEN:
        item.status = item.DECIDED
        live_events.to_staff(question.session, "live:pending_removed", {"question_id": question.id})
    _changed(question)
    db.session.commit()
    return question


def _changed(*questions: SessionQuestion) -> None:
    """Record one event for questions changed together, and tell their askers."""
    live_events.record_questions(questions[0].session, list(questions))
    for question in questions:
        live_events.to_asker(question)


# --- moderators -------------------------------------------------------------------------------


def _review_item(moderator: User, question: SessionQuestion) -> ReviewItem:
    """The question's open review item, opened in this transaction if needed (a moderator acting on a
    published question). Not committed here: if the decision is refused, the item is not left open."""
    item = moderation_queue.find("question", question.id)
    if item is None or item.status != item.OPEN:
        item = moderation_queue.enqueue("question", question, ReviewItem.FLAGGED)
    return item


def approve(moderator: User, question_id: object, session_id: object | None = None) -> ModerationDecision:
    require(moderator, Permission.MODERATE)
    question = _in_session(question_id, session_id)
    if question.state != "held":
        raise Conflict(_("This question is not waiting for review."))
    item = _review_item(moderator, question)
    return moderation_decisions.decide(moderator, item.id, "approve")


def reject(
    moderator: User, question_id: object, category: object, note: object = "", session_id: object | None = None
) -> ModerationDecision:
    """Reject with a reason the asker sees (on their question and in their notices)."""
    require(moderator, Permission.MODERATE)
    question = _in_session(question_id, session_id)
    if not category:
        raise ValidationError(_("Choose a reason: the asker will see it."), "category")
    item = _review_item(moderator, question)
    return moderation_decisions.decide(moderator, item.id, "remove", category, note)


def fix(
    moderator: User, question_id: object, text: object, note: object, session_id: object | None = None
) -> ModerationDecision:
    """Correct a typo (or take out a personal detail): the question shows "edited by a moderator"."""
    require(moderator, Permission.MODERATE)
    question = _in_session(question_id, session_id)
    corrected = clean_question(text)
    item = _review_item(moderator, question)
    return moderation_decisions.decide(moderator, item.id, "edit", None, note, corrected)


def merge(moderator: User, question_id: object, into_id: object, session_id: object | None = None) -> SessionQuestion:
    """Fold a duplicate into another question: its voters and its asker now support the other; the asker is told."""
    require(moderator, Permission.MODERATE)
    source = _in_session(question_id, session_id)
    target = _in_session(into_id, source.session_id)
    if source.id == target.id:
        raise ValidationError(_("Choose a different question to merge into."), "into_id")
    for question in (source, target):
        if question.status in (SessionQuestion.MERGED, SessionQuestion.ANSWERED) or question.state not in (
            *SessionQuestion.PUBLIC_STATES,
            "held",
        ):
            raise Conflict(
                _(
                    "Question %(number)s can't be merged: it is %(state)s.",
                    number=question.id,
                    state=question.status or question.state,
                )
            )
    if not target.is_public:
        raise Conflict(_("Merge into a question that is shown in the room."))
    supporters = set(db.session.scalars(select(QuestionVote.user_id).where(QuestionVote.question_id == source.id))) | {
        source.author_id
    }
    already = set(db.session.scalars(select(QuestionVote.user_id).where(QuestionVote.question_id == target.id)))
    for user_id in supporters - already - {target.author_id}:
        db.session.add(QuestionVote(question_id=target.id, user_id=user_id))
    db.session.execute(delete(QuestionVote).where(QuestionVote.question_id == source.id))
    db.session.flush()
    target.vote_count = db.session.scalar(
        select(func.count()).select_from(QuestionVote).where(QuestionVote.question_id == target.id)
    )
    target.vote_changes = (target.vote_changes or 0) + 1  # its voters changed: the bridging order is due again
    was_held = source.state == "held"
    source.status, source.merged_into_id, source.vote_count, source.pinned_at = (
        SessionQuestion.MERGED,
        target.id,
        0,
        None,
    )
    if was_held:
        source.state = "approved"
    item = moderation_queue.find("question", source.id)
    if item is not None and item.status == item.OPEN:
        item.status = item.DECIDED
    live_skips.audit(
        moderator,
        moderation.AuditAction.MERGE,
        source,
        before={"status": "open", "votes": len(supporters) - 1},
        after={"merged_into": f"question:{target.id}", "votes_after": target.vote_count},
    )
    with account_language.speaking(source.author):  # written in the asker's language
        told = _("A moderator merged your question with one asking the same thing; your support now counts there.")
    moderation_notices.tell(
        source.author_id,
        "question",
        told,
        f"/sessions/{source.session_id}#q{target.id}",
    )
    if was_held:
        live_events.to_staff(source.session, "live:pending_removed", {"question_id": source.id})
    accountability.sync(source)  # merged after the session: its support moved on, and so does the answer owed
    _changed(source, target)
    session_id, rule = target.session_id, target.session.order_rule
    db.session.commit()
    live_broad_support.voted(session_id, rule)
    return target


def pin(
    moderator: User,
    question_id: object,
    pinned: bool,
    session_id: object | None = None,
    *,
    reason: object = None,
    note: object = "",
) -> SessionQuestion:
    """Pin a question as "next up" (one at a time), or unpin it. Pinning one that is not at the top of the
    fair order needs a reason (`live_skips`): the room and the transcript show it, the audit log keeps it."""
    require(moderator, Permission.MODERATE)
    question = _in_session(question_id, session_id)
    live_sessions.require_live(question.session, "pin questions")
    changed = [question]
    if pinned:
        if not question.is_public or question.status != SessionQuestion.OPEN:
            raise Conflict(_("Only an open question that is shown can be next up."))
        if question.pinned_at is not None:
            raise Conflict(_("This question is already next up."))
        expected = live_skips.next_in_order(question.session_id, pinning=True)
        live_skips.depart(moderator, question, expected, live_skips.PINNED, live_skips.clean(reason, note))
        for other in _pinned(question.session_id):
            other.pinned_at = None
            live_skips.forget(other)
            changed.append(other)
        question.pinned_at = utcnow()
    else:
        if question.pinned_at is None:
            raise Conflict(_("This question is not pinned."))
        question.pinned_at = None
        live_skips.forget(question)
    _changed(*changed)
    db.session.commit()
    return question


def _pinned(session_id: int) -> list[SessionQuestion]:
    stmt = select(SessionQuestion).where(
        SessionQuestion.session_id == session_id, SessionQuestion.pinned_at.is_not(None)
    )
    return list(db.session.scalars(stmt))


# --- the panel --------------------------------------------------------------------------------


def _require_answerer(user: User, question: SessionQuestion) -> None:
    require(user, Permission.POST)
    if not live_roles.may_answer(user, question.session):
        raise PermissionDenied(_("Only the session's panel and host can answer questions."))
    if not question.is_public or question.status == SessionQuestion.MERGED:
        raise Conflict(_("This question is not shown in the room."))


PREVIOUS = ("answered", "put_back")  # what became of the question being answered when another is taken up


def answering_now(session_id: int) -> list[SessionQuestion]:
    stmt = select(SessionQuestion).where(
        SessionQuestion.session_id == session_id, SessionQuestion.status == SessionQuestion.ANSWERING
    )
    return list(db.session.scalars(stmt.order_by(SessionQuestion.id)))


def answering(
    user: User,
    question_id: object,
    session_id: object | None = None,
    *,
    previous: object = None,
    reason: object = None,
    note: object = "",
) -> SessionQuestion:
    """Mark "answering now": highlighted for everyone.

    Never silent about the rest of the room: if another question is being
    answered, `previous` says what became of it ("answered": answered live;
    "put_back": back in the list, not answered, and audited); if this one is
    not next in the published order, `reason` (and `note`) say why
    (`live_skips`). Without them it is refused with the field to fill in.
    """
    question = _in_session(question_id, session_id)
    _require_answerer(user, question)
    live_sessions.require_live(question.session, "take questions")
    if question.status != SessionQuestion.OPEN:
        raise Conflict(_("Only an open question can be taken up."))
    others = [q for q in answering_now(question.session_id) if q.id != question.id]
    if others and previous not in PREVIOUS:
        raise ValidationError(
            _(
                "“%(question)s” is being answered now: say whether it was answered or goes back to the list.",
                question=live_skips.short(others[0].body),
            ),
            "previous",
        )
    expected = live_skips.next_in_order(question.session_id)
    live_skips.depart(user, question, expected, live_skips.TAKEN, live_skips.clean(reason, note))
    moment = utcnow()
    for other in others:
        if previous == "answered":
            _mark_answered(other, user, "", moment)
            question_notices.answered(other, user)
        else:
            _put_back(other, user, f"question:{question.id} taken up")
    question.status, question.pinned_at = SessionQuestion.ANSWERING, None
    question.taken_at = question.taken_at or moment
    _changed(question, *others)
    db.session.commit()
    return question


def _mark_answered(question: SessionQuestion, user: User, body: str, moment: datetime) -> None:
    question.status, question.pinned_at = SessionQuestion.ANSWERED, None
    question.taken_at = question.taken_at or moment
    question.answered_at, question.answered_by_id = moment, user.id
    question.answered_live = True
    question.answer_body = body or None


def _put_back(question: SessionQuestion, user: User, why: str) -> None:
    """Back in the list, not answered: the room and the transcript show "taken up, then put back"; audited."""
    question.status = SessionQuestion.OPEN
    question.answered_at = question.answered_by_id = question.answer_body = None
    question.answered_live = False
    live_skips.audit(
        user,
        moderation.AuditAction.PUT_BACK,
        question,
        before={"status": SessionQuestion.ANSWERING},
        after={"status": SessionQuestion.OPEN, "because": why},
    )


def answer(
    user: User,
    question_id: object,
    text: object = "",
    session_id: object | None = None,
    *,
    reason: object = None,
    note: object = "",
) -> SessionQuestion:
    """Mark a question answered, live (during the session) or in writing; a written answer may go with it.

    After the session, a question awaiting a written answer can be answered by
    the panel; that needs the text.
    """
    question = _in_session(question_id, session_id)
    _require_answerer(user, question)
    body = clean_text(
        text, "answer", ANSWER_MAX, too_long=_("The answer is too long: {count} characters, and the limit is {limit}.")
    )
    live = question.session
    if question.status == SessionQuestion.ANSWERED:
        raise Conflict(_("This question has already been answered."))
    if live.state == LiveSession.LIVE:
        if question.status == SessionQuestion.OPEN:  # taken up and answered at once: the order's rule applies
            expected = live_skips.next_in_order(question.session_id)
            live_skips.depart(user, question, expected, live_skips.TAKEN, live_skips.clean(reason, note))
        _mark_answered(question, user, body, utcnow())
    elif question.status == SessionQuestion.AWAITING:
        if not body:
            raise ValidationError(_("Write the answer: this question is waiting for a written answer."), "answer")
        if not live_roles.is_panelist(user, live):
            raise PermissionDenied(_("Written answers come from the session's panel."))
        # One rule for written answers, whichever page sends them: the accountability service's.
        accountability.answer(user, accountability.for_session_question(question).id, body)
        return question
    else:
        raise Conflict(_("This session is not live."))
    _changed(question)
    question_notices.answered(question, user)
    db.session.commit()
    return question


def reopen(user: User, question_id: object, session_id: object | None = None) -> SessionQuestion:
    """Undo "answering now" or "answered" during the session (a mistaken click)."""
    question = _in_session(question_id, session_id)
    _require_answerer(user, question)
    live_sessions.require_live(question.session, "reopen questions")
    if question.status not in (SessionQuestion.ANSWERING, SessionQuestion.ANSWERED):
        raise Conflict(_("This question is already open."))
    if question.status == SessionQuestion.ANSWERING:
        _put_back(question, user, "reopened")
    else:
        question.status = SessionQuestion.OPEN
        question.answered_at = question.answered_by_id = question.answer_body = None
        question.answered_live = False
    _changed(question)
    db.session.commit()
    return question


# --- reading ----------------------------------------------------------------------------------


def transcript_order(questions: Iterable[T]) -> list[T]:
    """The record's order, for the transcript page and the exports alike: taken questions in the order the
    panel took them, then the rest (awaiting a written answer, never taken up) by votes, then age."""
    questions = list(questions)
    taken = sorted((q for q in questions if q.taken_at is not None), key=lambda q: (q.taken_at, q.id))
    rest = sorted((q for q in questions if q.taken_at is None), key=live_order.natural_key)
    return taken + rest


def transcript(live: LiveSession) -> list[SessionQuestion]:
    """Every question the room shows, in the record's order (`transcript_order`)."""
    return transcript_order(live_events.public_questions(live.id))


def voted(user: User | None, question_ids: list[int]) -> set[int]:
    if not signed_in(user) or not question_ids:
        return set()
    stmt = select(QuestionVote.question_id).where(
        QuestionVote.user_id == user.id, QuestionVote.question_id.in_(question_ids)
    )
    return set(db.session.scalars(stmt))
