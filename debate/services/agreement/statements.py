"""A round's statements: residents add their own through the moderation gate every post passes.

A statement is at most 140 characters as people see them (counted like every other limit on the site,
`services.text`). It is screened by the moderation engine as a reply in the round's topic would be, so
the topic's pre-moderation, watched words, new-account rules and sanctions all apply; it is stored in
the state the verdict gives. A held statement is seen by its author (with the reason it waits) and by
moderators, never offered to anyone else to vote on, until a moderator approves it. A statement a
moderator hid or removed tells its author the decision's category (`reason`).

The same form sent twice (a one-time submission key, `services.submissions`) makes one statement.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import moderation
from debate import ratelimit
from debate.errors import Conflict, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementRound, Statement
from debate.models.base import utcnow
from debate.models.forums import Thread
from debate.permissions import Permission, require, signed_in
from debate.services import publishing, submissions
from debate.services.agreement import (
    rounds,
    statement_content,  # noqa: F401 - registers statements with moderation
)
from debate.services.agreement.statement_text import BODY_MAX as BODY_MAX  # the pages read it here
from debate.services.agreement.statement_text import clean_body as clean_body
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.text import category_label

ADD = ratelimit.limit(
    "agreement.statement",
    "10/minute",
    _l("You can add at most 10 statements a minute. Please wait a moment and try again."),
)

MINE_MAX = 200  # a resident's own statements listed on the voting page
NOT_SAVED = _l("That could not be saved. Please try again.")
STATE_LABELS = {
    "published": _l("Published: others can vote on it"),
    "approved": _l("Approved by a moderator: others can vote on it"),
    "edited": _l("Edited by a moderator: others can vote on it"),
    "held": _l("Waiting for a moderator to review it"),
    "flag_hidden": _l("Hidden while a moderator looks at reports about it"),
    "hidden": _l("Hidden by a moderator"),
    "removed": _l("Removed by a moderator"),
    "withdrawn": _l("Withdrawn"),
}


def context(round: AgreementRound) -> moderation.Context:
    """The round's topic is the context (its pre-moderation and watched words apply), also for a thread's."""
    topic_id = round.topic_id
    if topic_id is None and round.thread_id is not None:
        thread = db.session.get(Thread, round.thread_id)
        topic_id = thread.topic_id if thread is not None else None
    return moderation.Context(moderation.ContextKind.FORUM, f"topic:{topic_id}")


def check_add(user: User | None, round: AgreementRound) -> None:
    """Raise why this person cannot add a statement to the round now (pages ask before showing the form)."""
    require(user, Permission.POST)
    assert user is not None  # require() refuses anyone not signed in
    rounds.require_taking_part(round)
    if not round.allow_statements:
        raise Conflict(_("This round does not take new statements: vote on the ones it has."))
    moderation_standing.require_capability(user, moderation.Capability.POST)


def add_statement(user: User, round: AgreementRound, text: object, submission_key: object = None) -> Statement:
    """Add a resident's statement: screened, stored in the state the verdict gives, counted as a change.

    A repeat of the same submission key returns the statement stored under it, whatever its state.
    """
    check_add(user, round)
    key = submissions.clean_key(submission_key)
    earlier = submissions.earlier(Statement, user, key)
    if earlier is not None:
        return earlier
    body = clean_body(text)
    verdict = _screen(user, round, body)
    row = Statement(round_id=round.id, author_id=user.id, body=body, submission_key=key, created_at=utcnow())
    row.state = publishing.initial_state(verdict)
    row.fingerprint = verdict.fingerprint
    row.state_note = " ".join(r.message for r in verdict.reasons) if verdict.held else None
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # the same form twice at once: the other request stored it
        return submissions.after_race(Statement, user, key, NOT_SAVED)
    publishing.screened("agreement_statement", row, verdict)
    _count_change(round)
    db.session.commit()
    return row


def _screen(user: User, round: AgreementRound, body: str) -> moderation.Verdict:
    """Ask the engine; its refusals name our field ("body"), not the engine's ("text")."""
    try:
        return publishing.screen(user, moderation.ContentKind.REPLY, body, context=context(round))
    except ValidationError as exc:
        if exc.field == "text":
            exc.field = "body"
        raise


def _count_change(round: AgreementRound) -> None:
    """One more change for the recomputation to catch up with (an UPDATE in SQL: two at once both count)."""
    db.session.execute(
        update(AgreementRound)
        .where(AgreementRound.id == round.id)
        .values(changes=AgreementRound.changes + 1)
        .execution_options(synchronize_session=False)
    )


def mine(user: User | None, round: AgreementRound) -> list[Statement]:
    """This person's own statements in the round, newest first, in every state (they see why one waits)."""
    if not signed_in(user):
        return []
    return list(
        db.session.scalars(
            select(Statement)
            .where(Statement.round_id == round.id, Statement.author_id == user.id, Statement.is_seed.is_(False))
            .order_by(Statement.created_at.desc(), Statement.id.desc())
            .limit(MINE_MAX)
        )
    )


def public(round: AgreementRound) -> list[Statement]:
    """The round's statements anyone may see and vote on, oldest first."""
    return list(
        db.session.scalars(
            select(Statement)
            .where(Statement.round_id == round.id, Statement.state.in_(Statement.PUBLIC_STATES))
            .order_by(Statement.id)
        )
    )


def state_label(statement: Statement) -> str:
    """What the author reads about their statement's state."""
    return str(STATE_LABELS.get(statement.state, statement.state))


def reason(statement: Statement) -> str:
    """Why it is not shown to others, for its author: the engine's reason while held, else the decision's
    category (hidden, removed, edited); "" when it is simply published."""
    if statement.state == "held":
        return statement.state_note or ""
    if statement.state in ("hidden", "removed", "edited", "flag_hidden"):
        return category_label(statement.state_category)
    return ""
