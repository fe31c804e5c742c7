"""A poll's results: counts per option or per point of the scale, the mean, and the word list.

Read from the answers whenever they are shown or announced (a flush, a page), never kept as counters
that could drift: a room of 1,000 answers is 1,000 small rows. Results may be hidden from residents
until the poll closes (the host's choice); those who run the session always see them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import regex
from sqlalchemy import func, select

from debate.extensions import db
from debate.models.polls import Poll, PollAnswer, PollOption

WORDS_SHOWN = 30
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
# Words too common to say anything (English and Welsh), left out of the word list.
STOP_WORDS = frozenset(
    """a an and are as at be but by for from has have i in is it its more of on or so than that the their them
    they this to too was we were will with you your our not no yes very just all can should would could
    a'r ac ar at bod da dim ei eu fe gan gyda hefyd i mae mwy na neu o oedd os pan sy sydd y yn yr ydy ydw""".split()
)


@dataclass
class Row:
    """One bar: what it is (an option's id, or a point of the scale), its count and its share of the answers."""

    key: int
    count: int
    percent: int
    option: PollOption | None = None


@dataclass
class Results:
    poll: Poll
    answers: int  # people who answered (for a short-text poll: whose answer is published)
    shown: bool  # whether the counts are for this reader's eyes (hidden until the poll closes, when set)
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None  # the scale's
    words: list[tuple[str, int]] = field(default_factory=list)
    waiting: int = 0  # short-text answers awaiting review


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def hidden_from_public(poll: Poll) -> bool:
    return poll.hide_results and poll.state != Poll.CLOSED


def results(poll: Poll, staff: bool = False) -> Results:
    """The poll's results as `staff` (those who run the session) or everyone else sees them."""
    shown = staff or not hidden_from_public(poll)
    if poll.kind == Poll.TEXT:
        return _text_results(poll, shown)
    rows = db.session.execute(select(PollAnswer.choices, PollAnswer.value).where(PollAnswer.poll_id == poll.id)).all()
    total = len(rows)
    found = Results(poll, total, shown)
    if not shown:
        return found
    if poll.kind == Poll.SCALE:
        counts = Counter(value for _choices, value in rows if value is not None)
        found.rows = [Row(point, counts[point], _percent(counts[point], total)) for point in (1, 2, 3, 4, 5)]
        found.mean = round(sum(p * n for p, n in counts.items()) / total, 1) if total else None
    else:
        counts = Counter(option for choices, _value in rows for option in (choices or []))
        found.rows = [Row(o.id, counts[o.id], _percent(counts[o.id], total), o) for o in poll.options]
    return found


def _text_results(poll: Poll, shown: bool) -> Results:
    bodies = list(
        db.session.scalars(
            select(PollAnswer.body).where(PollAnswer.poll_id == poll.id, PollAnswer.state.in_(PollAnswer.PUBLIC_STATES))
        )
    )
    waiting = db.session.scalar(select(func.count()).where(PollAnswer.poll_id == poll.id, PollAnswer.state == "held"))
    found = Results(poll, len(bodies), shown, waiting=int(waiting or 0))
    if shown:
        found.words = word_list(bodies)
    return found


def word_list(bodies: list[str | None]) -> list[tuple[str, int]]:
    """The words of the answers, counted (once per answer), stop words left out; most said first."""
    counts: Counter[str] = Counter()
    for body in bodies:
        words = {w.casefold().strip("'’-") for w in _WORD.findall(body or "")}
        counts.update(w for w in words if len(w) > 1 and w not in STOP_WORDS)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:WORDS_SHOWN]


def plain(found: Results) -> dict[str, object]:
    """The results as data (the JSON API, the socket acks and the exports): numbers only, no markup."""
    poll = found.poll
    data: dict[str, object] = {"answers": found.answers, "hidden": not found.shown}
    if not found.shown:
        return data
    if poll.kind == Poll.TEXT:
        data["words"] = [{"word": w, "count": n} for w, n in found.words]
    elif poll.kind == Poll.SCALE:
        data["scale"] = [{"value": r.key, "count": r.count} for r in found.rows]
        data["mean"] = found.mean
    else:
        data["options"] = [{"id": r.key, "count": r.count} for r in found.rows]
    return data
