"""Rounds of "Where do we agree?": create one on a topic or a thread, change it, open and close it.

Staff run rounds (the named permission RUN_AGREEMENT_ROUNDS: moderators and admins): a round about a
divisive issue is a council's own consultation, not a resident's post. A draft is seen by staff only; an
open round takes votes and statements; a closed one keeps its result and takes nothing more. A round
whose `closes_at` has passed is treated as closed at once (`taking_part`), without waiting for anyone to
close it.

Pages, the JSON API and socket events all call these functions, so the rules are written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import moderation
from debate import bounds, ratelimit
from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementRound, Statement
from debate.models.base import utcnow
from debate.models.forums import Thread
from debate.models.topics import Topic
from debate.permissions import Permission, has, require
from debate.services import state_moves
from debate.services.agreement import statement_text
from debate.services.text import clean_line, clean_text

MANAGE = ratelimit.limit(
    "agreement.manage",
    "60/minute",
    _l("You can create, change, open or close rounds at most 60 times a minute. Please wait a moment and try again."),
)

QUESTION_MIN, QUESTION_MAX = 5, 300
DESCRIPTION_MAX = 2000
SEEDS_MAX = 100  # opening statements given when a round is created
EDITABLE = ("question", "question_cy", "description", "description_cy", "allow_statements", "closes_at")


# --- who and which ------------------------------------------------------------------------------


def can_manage(user: User | None, round: AgreementRound | None = None) -> bool:
    """Moderators and admins create, change, open and close rounds (any round: the council's, not theirs)."""
    return has(user, Permission.RUN_AGREEMENT_ROUNDS)


def require_manage(user: User | None, round: AgreementRound | None = None) -> None:
    require(user, Permission.RUN_AGREEMENT_ROUNDS)


def get(round_id: object) -> AgreementRound:
    """The round with this id, drafts included (callers decide who sees a draft)."""
    try:
        key = bounds.whole(round_id)
    except (TypeError, ValueError):
        raise NotFound(_("That round does not exist.")) from None
    found = db.session.get(AgreementRound, key) if 0 < key <= bounds.INT_MAX else None
    if found is None:
        raise NotFound(_("That round does not exist."))
    return found


def get_visible(round_id: object, viewer: User | None) -> AgreementRound:
    """The round, when this person may see it: a draft exists for staff only (NotFound for anyone else)."""
    found = get(round_id)
    if found.state == AgreementRound.DRAFT and not can_manage(viewer, found):
        raise NotFound(_("That round does not exist."))
    return found


def _listed(query: Any) -> list[AgreementRound]:
    rows = db.session.scalars(
        query.where(AgreementRound.state != AgreementRound.DRAFT).order_by(AgreementRound.created_at.desc())
    )
    return list(rows)


def for_topic(topic_id: int) -> list[AgreementRound]:
    """The topic's open and closed rounds, newest first (drafts are on the manage pages only)."""
    return _listed(select(AgreementRound).where(AgreementRound.topic_id == topic_id))


def for_thread(thread_id: int) -> list[AgreementRound]:
    return _listed(select(AgreementRound).where(AgreementRound.thread_id == thread_id))


def taking_part(round: AgreementRound, now: datetime | None = None) -> bool:
    """Open, and not past its closing time: votes and statements are taken."""
    if round.state != AgreementRound.OPEN:
        return False
    return round.closes_at is None or round.closes_at > (now or utcnow())


def require_taking_part(round: AgreementRound) -> None:
    if round.state == AgreementRound.DRAFT:
        raise Conflict(_("This round has not opened yet."))
    if not taking_part(round):
        raise Conflict(_("This round is closed: votes and statements are no longer taken."))


# --- input --------------------------------------------------------------------------------------


def _question(value: object) -> str:
    return clean_line(value, "question", _("The question"), min_len=QUESTION_MIN, max_len=QUESTION_MAX)


def _optional_line(value: object, field: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    return clean_line(value, field, label, max_len=QUESTION_MAX)


def _description(value: object, field: str) -> str:
    return clean_text(
        value,
        field,
        DESCRIPTION_MAX,
        too_long=_l("The description is too long: %(count)s characters, and the limit is %(limit)s."),
    )


def _closes_at(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        raise ValidationError(_("Give the closing time as a date and time."), "closes_at")
    return value


def _subject(topic_id: object, thread_id: object) -> dict[str, int | None]:
    """Exactly one of a topic and a thread, and it must exist (and a thread be public)."""
    if (topic_id is None) == (thread_id is None):
        raise ValidationError(_("A round belongs to one topic or one thread."), "subject")
    if topic_id is not None:
        topic = (
            db.session.get(Topic, topic_id) if isinstance(topic_id, int) and 0 < topic_id <= bounds.INT_MAX else None
        )
        if topic is None:
            raise NotFound(_("There is no such topic."))
        return {"topic_id": topic.id, "thread_id": None}
    thread = (
        db.session.get(Thread, thread_id) if isinstance(thread_id, int) and 0 < thread_id <= bounds.INT_MAX else None
    )
    if thread is None or not thread.is_public:
        raise NotFound(_("That thread does not exist, or it was removed."))
    return {"topic_id": None, "thread_id": thread.id}


def _fields(values: dict[str, object]) -> dict[str, object]:
    """The editable fields, cleaned; only those given."""
    clean: dict[str, object] = {}
    if "question" in values:
        clean["question"] = _question(values["question"])
    if "question_cy" in values:
        clean["question_cy"] = _optional_line(values["question_cy"], "question_cy", _("The question in Welsh"))
    for name in ("description", "description_cy"):
        if name in values:
            clean[name] = _description(values[name], name)
    if "allow_statements" in values:
        clean["allow_statements"] = values["allow_statements"] in (True, "1", "on", "true")
    if "closes_at" in values:
        clean["closes_at"] = _closes_at(values["closes_at"])
    return clean


# --- creating and changing ----------------------------------------------------------------------


def create_round(
    user: User,
    *,
    topic_id: int | None = None,
    thread_id: int | None = None,
    question: object,
    question_cy: object = "",
    description: object = "",
    description_cy: object = "",
    allow_statements: object = True,
    closes_at: object = None,
    seed_statements: Iterable[object] = (),
) -> AgreementRound:
    """A new draft round with the host's opening statements (published at once: staff wrote them)."""
    require_manage(user)
    subject = _subject(topic_id, thread_id)
    fields = _fields(
        {
            "question": question,
            "question_cy": question_cy,
            "description": description,
            "description_cy": description_cy,
            "allow_statements": allow_statements,
            "closes_at": closes_at,
        }
    )
    seeds = _seeds(seed_statements)
    created = AgreementRound(created_by_id=user.id, state=AgreementRound.DRAFT, **subject, **fields)
    created.seed = 1
    db.session.add(created)
    db.session.flush()
    for body in seeds:
        db.session.add(_seed_row(created, user, body))
    created.changes = len(seeds)
    db.session.commit()
    return created


def _seeds(values: Iterable[object]) -> list[str]:
    items = [v for v in values if isinstance(v, str) and v.strip()]
    if len(items) > SEEDS_MAX:
        raise ValidationError(_("A round can start with at most %(most)d statements.", most=SEEDS_MAX), "seeds")
    cleaned = [statement_text.clean_body(v, "seeds") for v in items]
    if len({c.casefold() for c in cleaned}) != len(cleaned):
        raise ValidationError(_("Two statements say the same thing."), "seeds")
    return cleaned


def _seed_row(round: AgreementRound, user: User, body: str) -> Statement:
    return Statement(
        round_id=round.id,
        author_id=user.id,
        body=body,
        is_seed=True,
        state=moderation.ReviewState.PUBLISHED.value,
        fingerprint=moderation.fingerprint(body),
        created_at=utcnow(),
    )


def add_seed_statement(user: User, round: AgreementRound, text: object) -> Statement:
    """One more opening statement from the host (any time before the round closes)."""
    require_manage(user, round)
    if round.state == AgreementRound.CLOSED:
        raise Conflict(_("This round is closed: it can no longer be changed."))
    (body,) = _seeds([text]) or [""]
    if not body:
        raise ValidationError(_("Write the statement before sending it."), "body")
    row = _seed_row(round, user, body)
    db.session.add(row)
    round.changes = AgreementRound.changes + 1
    db.session.commit()
    return row


def update_round(user: User, round: AgreementRound, **fields: object) -> AgreementRound:
    """Change the wording, the description, whether residents may add statements, the closing time."""
    require_manage(user, round)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("That cannot be changed."), sorted(unknown)[0])
    if round.state == AgreementRound.CLOSED:
        raise Conflict(_("This round is closed: it can no longer be changed."))
    for name, value in _fields(fields).items():
        setattr(round, name, value)
    db.session.commit()
    return round


def open_round(user: User, round: AgreementRound) -> AgreementRound:
    """Open a draft: residents may vote and add statements."""
    require_manage(user, round)
    state_moves.move(
        round, "state", AgreementRound.DRAFT, AgreementRound.OPEN, _("This round is already open or closed.")
    )
    round.opens_at = utcnow()
    if round.closes_at is not None and round.closes_at <= round.opens_at:
        round.closes_at = None  # a closing time already past would close it the moment it opened
    db.session.commit()
    return round


def close_round(user: User, round: AgreementRound) -> AgreementRound:
    """Close an open round: its result stays, nothing more is taken."""
    require_manage(user, round)
    state_moves.move(round, "state", AgreementRound.OPEN, AgreementRound.CLOSED, _("This round is not open."))
    now = utcnow()
    if round.closes_at is None or round.closes_at > now:
        round.closes_at = now
    db.session.commit()
    return round


def refuse_unless_manager(user: User | None) -> None:
    """For pages that show the manage controls: the same refusal the actions give."""
    if not can_manage(user):
        raise PermissionDenied(_("Only moderators and administrators can run rounds."))
