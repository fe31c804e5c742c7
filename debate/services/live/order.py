"""How the room's "top" list is ordered, in one place (the page states the rule in one line).

Most votes first, ties to the older question; but within the first
`FAIR_WINDOW` places each asker appears at most once, so one prolific asker
(or a group voting for one person) cannot fill the top of the list. A
question pushed out of the window keeps its place among the rest.
Anonymous questions count for their real asker: the order is computed here,
on the server, and clients receive only the resulting ids.

A host may choose broad support instead (`RULES`): the questions with a bridging score
(`live_bridging`, stored by `live_broad_support`) first, best score first, then the rest by votes; the
same fair window applies. Which rule a room uses, and its scores, are read by `live_order_in_use`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from flask_babel import lazy_gettext as _l

from debate.services.live import bridging

FAIR_WINDOW = 10
RULE = _l(
    "Most votes first; ties go to the older question; no one has more than one question in the top %(num)d. "
    "A question taken ahead of this order is marked with the reason, and logged.",
    num=FAIR_WINDOW,
)
VOTES, BROAD = "votes", "broad"
# The order a host may choose for the room, as the schedule form and the room's host controls name it.
RULES = {VOTES: _l("Most votes"), BROAD: _l("Broad support")}
BROAD_RULE = _l(
    "Broad support first: questions upvoted by people who usually vote differently rank highest (a bridging "
    "score, recomputed as votes come in); questions without a score follow by votes; no one has more than one "
    "question in the top %(num)d. A question taken ahead of this order is marked with the reason, and logged.",
    num=FAIR_WINDOW,
)
FALLBACK_RULE = _l(
    "Broad support needs more votes (at least %(voters)d people with %(votes)d votes each, and questions with "
    "%(question_votes)d votes): ordered by most votes for now.",
    voters=bridging.MIN_VOTERS,
    votes=bridging.MIN_VOTER_VOTES,
    question_votes=bridging.MIN_QUESTION_VOTES,
)
# Why a question may be taken up, or pinned "next up", ahead of the order (`live_skips`); the room and the
# transcript say "Taken ahead of the published order: <reason>".
DEPARTURE_REASONS = {
    "follow_up": _l("it follows on from the answer just given"),
    "related": _l("it was taken together with a related question"),
    "agenda": _l("it is on the agenda announced for the session"),
    "panel": _l("it is for a panel member who is here for part of the session only"),
    "time": _l("it is time-sensitive"),
    "other": _l("another reason, given in the note"),
}
# The same reasons as the audit log's Reason column names them.
DEPARTURE_LABELS = {
    "follow_up": _l("Follows on from an answer"),
    "related": _l("Related question"),
    "agenda": _l("On the agenda"),
    "panel": _l("Panel member's time"),
    "time": _l("Time-sensitive"),
    "other": _l("Other reason"),
}


class Rankable(Protocol):
    """A question, or a row of its columns: what the order reads (read-only, so either fits)."""

    @property
    def id(self) -> int: ...
    @property
    def author_id(self) -> int: ...
    @property
    def vote_count(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def pinned_at(self) -> object: ...


class Recorded(Rankable, Protocol):
    """What the transcript's order reads besides: when the panel took the question up."""

    @property
    def taken_at(self) -> Any: ...  # a datetime, or None if it never was


R = TypeVar("R", bound=Rankable)


def natural_key(question: Rankable) -> tuple[int, int]:
    return (-question.vote_count, question.id)


def broad_key(scores: Mapping[int, float]) -> Callable[[Rankable], tuple[int, float, int, int]]:
    """Broad support: scored questions first, best score first; then the unscored by votes; then the older."""

    def key(question: Rankable) -> tuple[int, float, int, int]:
        score = scores.get(question.id)
        if score is None:
            return (1, 0.0, -question.vote_count, question.id)
        return (0, -score, -question.vote_count, question.id)

    return key


def ranked(questions: Iterable[R], scores: Mapping[int, float] | None = None) -> list[R]:
    """Open questions (not answering, answered or pinned "next up", which are shown apart) in fair order: by
    votes, or by broad support when `scores` (question id -> bridging score) are given."""
    pool = sorted(
        (q for q in questions if q.status == "open" and q.pinned_at is None),
        key=natural_key if scores is None else broad_key(scores),
    )
    top: list[R] = []
    seen: set[int] = set()
    for question in pool:
        if len(top) == FAIR_WINDOW:
            break
        if question.author_id not in seen:
            top.append(question)
            seen.add(question.author_id)
    chosen = {q.id for q in top}
    return top + [q for q in pool if q.id not in chosen]


def departure(reason: str | None, note: str | None) -> dict[str, Any] | None:
    """What the room, the transcript and the exports say of a question taken ahead of the order (None: it
    kept its turn)."""
    if reason not in DEPARTURE_REASONS:
        return None
    return {"reason": reason, "label": str(DEPARTURE_REASONS[reason]), "note": note or ""}


def fair_top(questions: Iterable[Rankable], scores: Mapping[int, float] | None = None) -> list[int]:
    """The ids of the top places (older clients list the rest by votes, then age: `natural_key`)."""
    return [q.id for q in ranked(questions, scores)[:FAIR_WINDOW]]
