"""Who took part, against the area: `profile_of(user_ids)`, the one function every report calls.

A report holds counts and shares only, already suppressed (`suppression`): a hidden cell's count and share are
None, so no page, export or API built on a `Report` can show them. It never holds a user id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from debate.extensions import db
from debate.models.equality import EqualityAnswer
from debate.services.equality import census, suppression
from debate.services.equality import questions as q

OTHER = "other"  # open-ended answers each given by fewer than the threshold, merged unnamed
NOT_ANSWERED = "not_answered"


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    count: int | None  # None: suppressed ("fewer than 10")
    share: float | None  # per cent: of those who answered (a category), or of participants (the other two)
    census: float | None = None  # per cent of the area's residents, when the census profile has it

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class QuestionReport:
    key: str
    label: str
    categories: list[Cell]
    answered: Cell
    prefer_not: Cell
    not_answered: Cell
    census_source: tuple[str, int] | None = None


@dataclass(frozen=True)
class Report:
    participants: int | None  # None: fewer than the threshold, and nothing else is shown
    threshold: int
    questions: list[QuestionReport] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.participants is None


def profile_of(user_ids: Collection[int] | Select[tuple[int]]) -> Report:
    """The equality profile of these members (the participants of one session, thread, poll or survey), with
    the census beside it, suppressed. Accepts ids, or a SELECT of ids (kept in the database for big groups)."""
    k = suppression.threshold()
    if isinstance(user_ids, Select):
        people = user_ids.distinct().subquery()
        total = db.session.scalar(select(func.count()).select_from(people)) or 0
        where = EqualityAnswer.user_id.in_(select(people.c[0]))
    else:
        ids = {int(i) for i in user_ids}
        total = len(ids)
        where = EqualityAnswer.user_id.in_(ids)
    if total < k:
        return Report(None, k)
    counts: dict[str, Counter[str]] = {}
    rows = db.session.execute(
        select(EqualityAnswer.question, EqualityAnswer.answer, func.count())
        .where(where)
        .group_by(EqualityAnswer.question, EqualityAnswer.answer)
    )
    for question, answer, n in rows:
        counts.setdefault(question, Counter())[answer] = n
    area = census.profile()
    return Report(
        total, k, [_question(question, counts.get(question.key, Counter()), total, area, k) for question in q.asked()]
    )


def _categories(question: q.Question, given: Counter[str], area: census.Profile, k: int) -> dict[str, int]:
    """Category -> count, in the question's order; open-ended answers seen by few and not in the census merged."""
    if not question.open_ended:
        return {o.value: given.get(o.value, 0) for o in question.options}
    named = sorted(
        set(area.shares.get(question.key, {})) | {a for a, n in given.items() if n >= k and a != q.PREFER_NOT}
    )
    merged = {value: given.get(value, 0) for value in named}
    merged[OTHER] = sum(n for a, n in given.items() if a not in merged and a != q.PREFER_NOT)
    return merged


def _question(question: q.Question, given: Counter[str], total: int, area: census.Profile, k: int) -> QuestionReport:
    categories = _categories(question, given, area, k)
    prefer_not = given.get(q.PREFER_NOT, 0)
    answered = sum(categories.values())
    not_answered = total - answered - prefer_not
    hidden = suppression.suppress_question(categories, prefer_not, not_answered, k)

    def cell(key: str, label: str, n: int, of: int, share_of_census: float | None = None) -> Cell:
        if key in hidden:
            return Cell(key, label, None, None, share_of_census)
        return Cell(key, label, n, round(100 * n / of, 1) if of else None, share_of_census)

    other_label = _("Other districts") if question.open_ended else _("Other")
    return QuestionReport(
        question.key,
        str(question.label),
        [
            cell(
                key, other_label if key == OTHER else question.label_of(key), n, answered, area.share(question.key, key)
            )
            for key, n in categories.items()
        ],
        cell("answered", _("Answered"), answered, total),
        cell(q.PREFER_NOT, str(q.PREFER_NOT_LABEL), prefer_not, total),
        cell(NOT_ANSWERED, _("Not answered"), not_answered, total),
        area.sources.get(question.key),
    )
