"""What the results page shows: the stored public result turned into rows a template can draw, and the viewer's
own place.

The page is drawn only from `AgreementResult.public` (safe for anyone) and, for a signed-in voter, from their
own placement (`results.placement`, which answers for that voter only). Nothing here can name anyone else's
group: the public result holds group sizes and centroids, never members. Below the thresholds the page says
"not enough votes yet" with the published thresholds, and shows no order at all, rather than a guess.

Statements are shown only while public: one hidden by moderation after the last computation drops out of the
lists (its votes stay in the counts until the next computation, which leaves it out).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementResult, AgreementRound, Statement
from debate.models.forums import Thread
from debate.models.topics import Topic
from debate.permissions import signed_in
from debate.services.agreement import analysis, group_map, results, rounds, voting

SHOWN = 10  # statements in each list on the results page before "show all"
# What each of a stored result's parameters (public["params"], agreement.analysis) means, for the method box.
PARAM_LABELS = {
    "min_votes": _l("Votes a person needs before they are placed in a group"),
    "min_participants": _l("People placed in groups before any result is shown"),
    "k_min": _l("Fewest groups"),
    "k_max": _l("Most groups"),
    "k_wins": _l("Times in a row a new number of groups must be best before it is used"),
    "pca_components": _l("Dimensions of the opinion map"),
    "smoothing": _l("A group's chance of agreeing"),
    "z_threshold": _l("z above which a statement represents a group"),
    "representative_max": _l("Statements shown for each group at most"),
    "seed": _l("Random seed (the same votes give the same result)"),
}


@dataclass(frozen=True)
class GroupShare:
    """One group's view of one statement: the share of the group's votes on it that agree."""

    label: str
    agree: int
    votes: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.agree / self.votes) if self.votes else None


@dataclass(frozen=True)
class Row:
    """One statement as the lists show it."""

    statement_id: int
    text: str
    agree: int
    disagree: int
    passes: int
    votes: int
    consensus: float | None
    groups: list[GroupShare]

    @property
    def percent(self) -> int:
        """The raw share of everyone's votes on it that agree."""
        return round(100 * self.agree / self.votes) if self.votes else 0

    @property
    def every_group_majority(self) -> bool:
        """More than half of the votes in every group agree: what the report calls a consensus statement."""
        return bool(self.groups) and all(g.votes and 2 * g.agree > g.votes for g in self.groups)


@dataclass(frozen=True)
class Representative:
    """A statement on which one group differs from everyone else, with the test that says so."""

    row: Row
    direction: str  # "agree" | "disagree"
    p_group: int  # percent of the group
    p_rest: int  # percent of everyone else
    z: float
    p_below: float  # the smallest of 0.001, 0.01 and the threshold's level that the one-sided p is below


@dataclass(frozen=True)
class Group:
    label: str
    size: int
    representative: list[Representative]


@dataclass(frozen=True)
class Thresholds:
    min_participants: int
    min_votes: int


@dataclass
class Results:
    """The results page's content. `enough` False: nothing but the thresholds and the counts so far."""

    enough: bool
    thresholds: Thresholds
    computed_at: datetime | None = None
    duration_ms: int = 0
    participants: int = 0
    clustered: int = 0
    statements: int = 0
    votes: int = 0
    groups: list[Group] = field(default_factory=list)
    consensus: list[Row] = field(default_factory=list)
    most_agreed: list[Row] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    alpha: float = 0.05
    so_far: list[Row] = field(default_factory=list)  # below the thresholds: raw counts, in the order added


@dataclass(frozen=True)
class Seat:
    """The viewer's own place: their group and the map, or how many more votes it takes to have one."""

    signed_in: bool
    voted: int = 0
    needed: int = 0  # more votes before they are placed (0: enough)
    label: str | None = None  # their group ("B"), when placed
    others: int = 0  # the rest of their group
    map: group_map.Map | None = None


def param_label(key: str) -> str:
    """A parameter's meaning in the reader's language (an unknown one keeps its name)."""
    label = PARAM_LABELS.get(key)
    return str(label) if label is not None else key


def one_sided_p(z: float) -> float:
    """The one-sided p-value of a standard normal z (the chance of a z at least this large by chance)."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def p_below(z: float, alpha: float) -> float:
    """The bound a page states: "p < 0.001", "p < 0.01" or "p < alpha" (the test's own level)."""
    p = one_sided_p(abs(z))
    return next((level for level in (0.001, 0.01) if p < level and level < alpha), alpha)


def thresholds(public: Mapping[str, Any] | None) -> Thresholds:
    """The published thresholds: the stored result's own, or the analysis's constants before any result."""
    params = (public or {}).get("params") or {}
    return Thresholds(
        int(params.get("min_participants", analysis.MIN_PARTICIPANTS)),
        int(params.get("min_votes", analysis.MIN_VOTES)),
    )


def statement_texts(round_id: int, ids: Sequence[int]) -> dict[int, str]:
    """The public statements' words by id (statements hidden since are left out)."""
    if not ids:
        return {}
    rows = db.session.scalars(select(Statement).where(Statement.round_id == round_id, Statement.id.in_(list(ids))))
    return {s.id: s.body for s in rows if s.is_public}


def _rows(public: Mapping[str, Any], texts: Mapping[int, str]) -> dict[int, Row]:
    labels = [str(g["label"]) for g in public.get("groups", [])]
    rows = {}
    for item in public.get("statement_results", []):
        sid = int(item["statement_id"])
        if sid not in texts:
            continue
        shares = [
            GroupShare(label, int(g["agree"]), int(g["votes"]))
            for label, g in zip(labels, item.get("groups", []), strict=True)
        ]
        rows[sid] = Row(
            sid,
            texts[sid],
            int(item["agree"]),
            int(item["disagree"]),
            int(item["pass"]),
            int(item["votes"]),
            item.get("consensus"),
            shares,
        )
    return rows


def _groups(public: Mapping[str, Any], rows: Mapping[int, Row], alpha: float) -> list[Group]:
    groups = []
    for group in public.get("groups", []):
        label = str(group["label"])
        shown = [
            Representative(
                rows[int(r["statement_id"])],
                str(r["direction"]),
                round(100 * float(r["p_group"])),
                round(100 * float(r["p_rest"])),
                round(float(r["z"]), 1),
                p_below(float(r["z"]), alpha),
            )
            for r in public.get("representative", {}).get(label, [])
            if int(r["statement_id"]) in rows
        ]
        groups.append(Group(label, int(group["size"]), shown))
    return groups


def build(
    public: Mapping[str, Any] | None, texts: Mapping[int, str], computed: Mapping[str, Any] | None = None
) -> Results:
    """The page's content from a stored public result (None: nothing computed yet) and the statements' words."""
    shown = Results(enough=False, thresholds=thresholds(public))
    if public is None:
        return shown
    computed = computed or {}
    shown.computed_at = computed.get("computed_at")
    shown.duration_ms = int(computed.get("duration_ms") or 0)
    for name in ("participants", "clustered", "statements", "votes"):
        setattr(shown, name, int(public.get(name) or 0))
    shown.params = dict(public.get("params") or {})
    if not public.get("enough"):
        shown.so_far = [row for _id, row in sorted(_rows(public, texts).items())]
        return shown
    shown.enough = True
    shown.alpha = round(one_sided_p(float(shown.params.get("z_threshold", 1.645))), 3)
    rows = _rows(public, texts)
    shown.consensus = [rows[i] for i in public.get("consensus_order", []) if i in rows]
    shown.most_agreed = [rows[i] for i in public.get("most_agreed", []) if i in rows]
    shown.groups = _groups(public, rows, shown.alpha)
    return shown


def ids_in(public: Mapping[str, Any] | None) -> list[int]:
    """Every statement id a public result mentions."""
    return [int(item["statement_id"]) for item in (public or {}).get("statement_results", [])]


def seat(
    public: Mapping[str, Any] | None,
    placement: analysis.Placement | None,
    voted: int | None,
    rtl: bool = False,
) -> Seat:
    """The viewer's own place (`voted` None: not signed in). Their placement is drawn only against groups of
    the same result; a placement that does not fit it (a result changing under the page) is not shown."""
    if voted is None:
        return Seat(signed_in=False)
    needed = max(0, thresholds(public).min_votes - voted)
    groups = (public or {}).get("groups", []) if (public or {}).get("enough") else []
    if placement is None or needed or not 0 <= placement.group < len(groups):
        return Seat(signed_in=True, voted=voted, needed=needed)
    mine = groups[placement.group]
    drawn = group_map.layout(groups, (placement.x, placement.y), rtl=rtl, mine=placement.group)
    return Seat(True, voted, 0, str(mine["label"]), max(0, int(mine["size"]) - 1), drawn)


@dataclass(frozen=True)
class Subject:
    """What a round is on: a topic or a thread (for the pages' breadcrumbs and the report)."""

    topic: Topic | None
    thread: Thread | None

    @property
    def title(self) -> str:
        return self.thread.title if self.thread else (self.topic.title if self.topic else "")

    @property
    def topic_of(self) -> Topic | None:
        return self.thread.topic if self.thread else self.topic


def subject_of(round_: AgreementRound) -> Subject:
    if round_.thread_id is not None:
        return Subject(None, db.session.get(Thread, round_.thread_id))
    return Subject(db.session.get(Topic, round_.topic_id), None)


def listed(viewer: User | None, topic_id: int | None = None, thread_id: int | None = None) -> list[AgreementRound]:
    """The rounds a topic's or thread's "Where do we agree?" box lists: open and closed ones for everyone, and
    drafts too for those who run rounds (so a draft left half-made can be found again), newest first."""
    if not rounds.can_manage(viewer):
        return rounds.for_thread(thread_id) if thread_id is not None else rounds.for_topic(topic_id or 0)
    on = AgreementRound.thread_id == thread_id if thread_id is not None else AgreementRound.topic_id == topic_id
    return list(db.session.scalars(select(AgreementRound).where(on).order_by(AgreementRound.created_at.desc())))


@dataclass(frozen=True)
class Page:
    round: AgreementRound
    where: Subject
    results: Results
    seat: Seat


def page(round_id: int, viewer: User | None, rtl: bool = False) -> Page:
    """The results page of a round the viewer may see (NotFound otherwise): the public result and, for a signed-in
    viewer, their own place only."""
    round_ = rounds.get_visible(round_id, viewer)
    result = results.latest(round_)
    public = result.public if result is not None else None
    shown = of_result(round_, result)
    if not signed_in(viewer):
        return Page(round_, subject_of(round_), shown, seat(public, None, None, rtl))
    voted, _open = voting.progress(viewer, round_)
    return Page(round_, subject_of(round_), shown, seat(public, results.placement(viewer, round_), voted, rtl))


def of_result(round_: AgreementRound, result: AgreementResult | None) -> Results:
    """What a stored result (None: none yet) shows, with the words of the statements still public."""
    public = result.public if result is not None else None
    computed = {"computed_at": result.computed_at, "duration_ms": result.duration_ms} if result is not None else None
    return build(public, statement_texts(round_.id, ids_in(public)), computed)
