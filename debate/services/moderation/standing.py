"""A member's standing as the engine sees it (sanctions, flag record), and their history in brief.

`standing_fields` is publishing's standing hook: with it the engine refuses
posts from muted, suspended and banned members with the reason and the end
time, and weighs flags by the flagger's record. `restriction` says, before
they write, whether a member may write now and, if not, why and until when:
every page that shows a form to post, ask, chat, vote or flag asks it, so a
muted member sees their sanction where they would write, not the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

import moderation
from debate.errors import PermissionDenied
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.moderation import Appeal, Flag, ModerationDecision, Sanction
from debate.permissions import signed_in
from debate.services import content
from debate.services.moderation.text import RESTRICTION_HEADLINES, category_label, sanction_sentence

# The engine's rule (moderation.Decision.counts_against), as SQL: hidden, removed or edited for a breach of the
# rules. An off-topic rejection and a typo corrected with no reason are not marks against the author.
ADVERSE = tuple(sorted(a.value for a in moderation.ADVERSE))
BREACHES = tuple(sorted(c.value for c in moderation.BREACHES))


CLEAR = "accounts_with_no_sanction"  # in the database session's `info`: accounts it found no sanction on


def no_sanction_on_record(user_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """A column for a query that loads an account anyway (the signed-in check of every socket event): true
    when the account has no sanction at all. `known_clear` then spares `sanctions_of` a query of its own
    (a live vote's check of its voter's standing was one of its eight round trips)."""
    return ~exists().where(Sanction.subject_id == user_id)


def known_clear(user_id: int) -> None:
    """The session's query found no sanction on record for the account (`no_sanction_on_record`).

    Kept in the session's `info`: the session lives for one request or socket event, as this fact should.
    """
    db.session.info.setdefault(CLEAR, set()).add(user_id)


def sanctions_of(user_id: int) -> list[Sanction]:
    if user_id in db.session.info.get(CLEAR, ()):
        return []
    stmt = select(Sanction).where(Sanction.subject_id == user_id).order_by(Sanction.starts_at.desc())
    return list(db.session.scalars(stmt))


def sanctioned(user_id: int) -> None:
    """A sanction was just added for the account: what this session knew of it no longer holds."""
    db.session.info.get(CLEAR, set()).discard(user_id)


def engine_sanctions(user_id: int) -> tuple[moderation.Sanction, ...]:
    return tuple(s.as_engine() for s in sanctions_of(user_id))


def flag_record(user_id: int) -> tuple[int, int]:
    """(upheld, rejected): how moderators judged this member's flags."""
    stmt = (
        select(Flag.outcome, func.count())
        .where(Flag.flagger_id == user_id, Flag.outcome.is_not(None))
        .group_by(Flag.outcome)
    )
    counts = dict(db.session.execute(stmt).tuples().all())
    return counts.get(Flag.UPHELD, 0), counts.get(Flag.REJECTED, 0)


def standing_fields(user: User) -> dict[str, Any]:
    """publishing's standing hook: the sanctions and flag record of an author or flagger."""
    upheld, rejected = flag_record(user.id)
    return {"sanctions": engine_sanctions(user.id), "flags_upheld": upheld, "flags_rejected": rejected}


def blocking(user: User, capability: moderation.Capability, now: datetime | None = None) -> Sanction | None:
    """The sanction that forbids `capability` now, if any (the engine picks the one to cite)."""
    rows = sanctions_of(user.id)
    found = moderation.blocking([s.as_engine() for s in rows], capability, now or utcnow())
    return next((s for s in rows if found is not None and f"sanction:{s.id}" == found.id), None)


_REFUSALS = {
    moderation.Capability.VOTE: _l("You can't vote: %(sanction)s"),
    moderation.Capability.POST: _l("You can't post: %(sanction)s"),
    moderation.Capability.FLAG: _l("You can't flag: %(sanction)s"),
}


def require_capability(user: User, capability: moderation.Capability) -> None:
    """Refuse, citing the sanction, when one forbids `capability` now (e.g. a muted member voting)."""

    sanction = blocking(user, capability)
    if sanction is not None:
        sentence = str(sanction_sentence(sanction))
        refusal = _REFUSALS.get(capability)
        message = str(refusal) % {"sanction": sentence} if refusal else f"{capability.value}: {sentence}"
        raise PermissionDenied(message)


@dataclass(frozen=True)
class Restriction:
    """Why a member may not write now: the sanction in force that forbids posting, what it forbids, its reason
    and its end. Pages show it where the form would be (templates/_macros.html, `restriction_notice`)."""

    sanction: Sanction
    forbidden: frozenset[moderation.Capability]

    @property
    def kind(self) -> str:
        return self.sanction.kind

    @property
    def headline(self) -> str:
        return str(RESTRICTION_HEADLINES[self.sanction.kind])

    @property
    def reason(self) -> str:
        return category_label(self.sanction.category)

    @property
    def note(self) -> str:
        return self.sanction.note or ""

    @property
    def ends_at(self) -> datetime | None:
        return self.sanction.ends_at

    def forbids(self, capability: moderation.Capability | str) -> bool:
        return moderation.Capability(capability) in self.forbidden


def restriction(user: User | None, now: datetime | None = None) -> Restriction | None:
    """Whether this member may write now (post, reply, ask, chat), and if not, why: None when they may.

    The same rule the engine applies when they submit (the sanction that forbids posting, the most
    severe and longest first), asked before they write. One query.
    """
    if not signed_in(user):
        return None
    moment = now or utcnow()
    rows = sanctions_of(user.id)
    engine = [s.as_engine() for s in rows]
    found = moderation.blocking(engine, moderation.Capability.POST, moment)
    if found is None:
        return None
    sanction = next(s for s in rows if f"sanction:{s.id}" == found.id)
    return Restriction(sanction, moderation.forbidden(engine, moment))


def allows(found: Restriction | None, capability: moderation.Capability) -> bool:
    """Whether a member with this restriction (None: none) may still do `capability` (a muted member votes)."""
    return found is None or not found.forbids(capability)


@dataclass(frozen=True)
class HistoryBrief:
    """What a moderator sees of an author next to an item: enough to judge, nothing more."""

    user_id: int | None
    name: str
    role: str
    joined_at: datetime | None
    public_posts: int
    decisions_against: int
    flags_upheld: int
    flags_rejected: int
    sanctions: int
    active: tuple[Sanction, ...]


UNKNOWN = HistoryBrief(None, "unknown", "", None, 0, 0, 0, 0, 0, ())


def history(user: User | None) -> HistoryBrief:
    return histories([user])[user.id] if user is not None else UNKNOWN


def histories(users: list[User]) -> dict[int, HistoryBrief]:
    """The brief history of many authors in a fixed number of queries (a queue page lists hundreds)."""
    ids = list({u.id for u in users})
    if not ids:
        return {}
    now = utcnow()
    sanctions: dict[int, list[Sanction]] = {i: [] for i in ids}
    for row in db.session.scalars(select(Sanction).where(Sanction.subject_id.in_(ids))):
        sanctions[row.subject_id].append(row)
    against = _decisions_against(ids)
    outcomes: dict[tuple[int, str], int] = {
        (who, outcome): n
        for who, outcome, n in db.session.execute(
            select(Flag.flagger_id, Flag.outcome, func.count())
            .where(Flag.flagger_id.in_(ids), Flag.outcome.is_not(None))
            .group_by(Flag.flagger_id, Flag.outcome)
        )
    }
    posts = _public_posts(ids)
    return {
        u.id: HistoryBrief(
            user_id=u.id,
            name=u.public_name,
            role=u.role,
            joined_at=u.created_at,
            public_posts=posts.get(u.id, 0),
            decisions_against=against.get(u.id, 0),
            flags_upheld=outcomes.get((u.id, Flag.UPHELD), 0),
            flags_rejected=outcomes.get((u.id, Flag.REJECTED), 0),
            sanctions=len([s for s in sanctions[u.id] if not s.overturned]),
            active=tuple(s for s in sanctions[u.id] if s.as_engine().in_force(now)),
        )
        for u in users
    }


def _decisions_against(ids: list[int]) -> dict[int, int]:
    """How many decisions count against each author: `moderation.Decision.counts_against`, and not overturned
    on appeal (an overturned sanction stops counting too)."""
    overturned = exists().where(
        Appeal.decision_id == ModerationDecision.id, Appeal.outcome == moderation.AppealOutcome.OVERTURNED.value
    )
    stmt = (
        select(ModerationDecision.subject_id, func.count())
        .where(
            ModerationDecision.subject_id.in_(ids),
            ModerationDecision.action.in_(ADVERSE),
            ModerationDecision.category.in_(BREACHES),
            ~overturned,
        )
        .group_by(ModerationDecision.subject_id)
    )
    return {subject: n for subject, n in db.session.execute(stmt).tuples() if subject is not None}


def _public_posts(ids: list[int]) -> dict[int, int]:
    """content.approved_posts for many authors: one statement, a grouped count per content type added up."""
    parts = [
        select(ct.model.author_id.label("author_id"), func.count().label("n"))
        .where(ct.model.author_id.in_(ids), ct.model.state.in_(ct.model.PUBLIC_STATES), *ct.post_rows())
        .group_by(ct.model.author_id)
        for ct in content.types()
    ]
    if not parts or not ids:
        return {}
    counts = union_all(*parts).subquery()
    rows = db.session.execute(select(counts.c.author_id, func.sum(counts.c.n)).group_by(counts.c.author_id))
    return {author_id: int(n) for author_id, n in rows}
