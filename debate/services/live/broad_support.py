"""Broad support: a room's choice of order, and the bridging scores behind it, kept current off the request path.

A host (or a moderator) chooses the room's order, "Most votes" or "Broad support" (`choose`): one service
for the room's form and its socket event, under one rate limit, written to the moderation audit log, and
announced as a numbered "order" event so every client, the projector included, reorders and names it.

In broad-support order each vote marks the session (`recompute.mark`) after its commit; the background
job (`recompute_session`) reads the room's upvotes and what each voter could have seen, fits the model
(`live_bridging.scores`, through `offload.run`), stores the result over an older one only, and, when the
room's order changed, records an "order" event. What a voter "could have seen": every question the room
shows, asked before that voter's last vote in the session and not taken up by the panel before their
first, except their own (nobody can upvote their own question). A question is in the model whatever its
status now (an answered question's voters still say where they stand); only open ones are ranked. A
question the room stops showing (hidden, rejected, merged) leaves the model at the room's next vote.

`SessionBridging.changes` is the sum of the session's `SessionQuestion.vote_changes` read before the votes
were: a result is stored only over one computed from fewer changes, so of two processes (or two runs) the
newer result always wins, and `stale` finds rooms whose stored result is behind their votes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import ratelimit
from debate.errors import Conflict, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.live import LiveSession, QuestionVote, SessionBridging, SessionQuestion
from debate.permissions import Permission, require
from debate.services import offload, recompute, rows
from debate.services.live import bridging, order_in_use
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.moderation import audit as moderation_audit

log = logging.getLogger("commonground.live")

KIND = "bridging"  # the recompute kind
CHOOSE = ratelimit.limit(
    "live.order",
    "10/minute",
    _l("You can change the order of questions at most 10 times a minute. Please wait a moment and try again."),
)


# --- the host's choice ------------------------------------------------------------------------


def clean_rule(value: object) -> str:
    """A `live_order.RULES` key, or a refusal naming the field."""
    if not isinstance(value, str) or value not in live_order.RULES:
        raise ValidationError(_("Choose “Most votes” or “Broad support” for the order of questions."), "order_rule")
    return value


def may_choose(user: User | None, live: LiveSession) -> bool:
    """The host runs the room and a moderator keeps it fair: either may change its order."""
    return live_roles.is_host(user, live) or live_roles.is_moderator(user)


def choose(user: User, session_id: object, rule: object) -> LiveSession:
    """Set the room's order ("votes" or "broad"): audited, announced as a numbered "order" event. Choosing
    the rule already in use changes nothing and is no error."""
    require(user, Permission.POST)
    live = live_sessions.get(session_id)
    if not may_choose(user, live):
        raise PermissionDenied(_("Only the session's host or a moderator can change the order of questions."))
    if live.state in (LiveSession.ENDED, LiveSession.CANCELLED):
        raise Conflict(_("This session is over: its order of questions can no longer be changed."))
    chosen = clean_rule(rule)
    before = live.order_rule
    if chosen == before:
        return live
    live.order_rule = chosen
    moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(user.id),
            action=moderation.AuditAction.ORDER_RULE,
            target_type="session",
            target_id=f"session:{live.id}",
            at=utcnow(),
            before={"order_rule": before},
            after={"order_rule": chosen},
        )
    )
    live_events.record_order(live)
    db.session.commit()
    log.info("live: session %s ordered by %s (was %s), by member %s", live.id, chosen, before, user.id)
    if chosen == live_order.BROAD:
        recompute.mark(KIND, live.id)
    return live


def voted(session_id: int, rule: str) -> None:
    """After a vote's commit in a room of rule `rule`: its bridging order is due again (broad support only)."""
    if rule == live_order.BROAD:
        recompute.mark(KIND, session_id)


# --- the computation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the model reads of a room, as plain values (computed on off the event loop)."""

    upvotes: list[tuple[int, int]]  # (voter, question)
    questions: list[tuple[int, int, datetime, datetime | None]]  # (id, asker, asked at, taken up at)
    last_vote: dict[int, datetime]
    first_vote: dict[int, datetime]

    def seen(self) -> dict[int, list[int]]:
        """Each voter's questions they could have upvoted (see the module's docstring)."""
        found: dict[int, list[int]] = {}
        for voter, last in self.last_vote.items():
            first = self.first_vote[voter]
            found[voter] = [
                qid
                for qid, asker, asked, taken in self.questions
                if asker != voter and asked <= last and (taken is None or taken >= first)
            ]
        return found


def changes(session_id: int) -> int:
    """The session's vote changes so far (the sum of its questions' `vote_changes`)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(SessionQuestion.vote_changes), 0)).where(SessionQuestion.session_id == session_id)
    )
    return int(total or 0)


def inputs(session_id: int) -> Inputs:
    shown = live_events.shown_in_room(session_id)
    questions = [
        (row.id, row.author_id, row.created_at, row.taken_at)
        for row in db.session.execute(
            select(SessionQuestion.id, SessionQuestion.author_id, SessionQuestion.created_at, SessionQuestion.taken_at)
            .where(*shown)
            .order_by(SessionQuestion.id)
        )
    ]
    votes = db.session.execute(
        select(QuestionVote.user_id, QuestionVote.question_id, QuestionVote.created_at)
        .join(SessionQuestion, SessionQuestion.id == QuestionVote.question_id)
        .where(*shown)
    ).all()
    last: dict[int, datetime] = {}
    first: dict[int, datetime] = {}
    for voter, _question, at in votes:
        last[voter] = max(last.get(voter, at), at)
        first[voter] = min(first.get(voter, at), at)
    return Inputs([(v, q) for v, q, _at in votes], questions, last, first)


def fit(data: Inputs) -> bridging.Bridging:
    """The model on the room's votes (run through `offload.run`: off the event loop)."""
    return bridging.scores(data.upvotes, data.seen())


def recompute_session(session_id: int) -> None:
    """The recompute job: fit, store over an older result only, announce the room's order if it moved."""
    live = db.session.get(LiveSession, session_id)
    if live is None or live.order_rule != live_order.BROAD:
        return
    now_changes = changes(session_id)
    stored = db.session.get(SessionBridging, session_id)
    if stored is not None and stored.changes >= now_changes:
        return
    data = inputs(session_id)
    db.session.rollback()  # no transaction held open while the model runs
    result = offload.run(lambda: fit(data))
    live = db.session.get(LiveSession, session_id)
    if live is None or live.order_rule != live_order.BROAD:
        return
    before = _shown_order(session_id)
    if not store(session_id, now_changes, result):
        db.session.rollback()
        return
    if _shown_order(session_id) != before:
        live_events.record_order(live)
    db.session.commit()


def _shown_order(session_id: int) -> tuple[str, list[int], list[int]]:
    """What the room shows of its order: the rule in use and the lists it orders."""
    in_use = order_in_use.of(session_id)
    moved = live_events.orders(session_id, only=("top", "projector"), in_use=in_use)
    return in_use.key, moved["top"], moved["projector"]


def store(session_id: int, computed_from: int, result: bridging.Bridging) -> bool:
    """Keep `result` unless a result computed from as many changes or more is stored already (True: kept)."""
    values = {
        "changes": computed_from,
        "computed_at": utcnow(),
        "voters": result.voters,
        "questions": result.questions,
        "fallback": result.fallback,
        "scores": {str(k): round(v, 6) for k, v in result.scores.items()},
    }
    kept = rows.changed(
        update(SessionBridging)
        .where(SessionBridging.session_id == session_id, SessionBridging.changes < computed_from)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if kept:
        return True
    if db.session.get(SessionBridging, session_id) is not None:
        return False  # a result as new or newer is there
    try:
        with db.session.begin_nested():
            db.session.add(SessionBridging(session_id=session_id, **values))
    except IntegrityError:
        return False  # another process stored its first result meanwhile
    return True


def stale() -> Iterable[int]:
    """Live rooms in broad-support order whose stored result is behind their votes (or missing)."""
    totals = (
        select(SessionQuestion.session_id, func.sum(SessionQuestion.vote_changes).label("n"))
        .group_by(SessionQuestion.session_id)
        .subquery()
    )
    stmt = (
        select(LiveSession.id)
        .join(totals, totals.c.session_id == LiveSession.id)
        .outerjoin(SessionBridging, SessionBridging.session_id == LiveSession.id)
        .where(
            LiveSession.order_rule == live_order.BROAD,
            LiveSession.state == LiveSession.LIVE,
            or_(SessionBridging.changes.is_(None), SessionBridging.changes < totals.c.n),
        )
    )
    return list(db.session.scalars(stmt))


recompute.register(KIND, recompute_session, stale)
