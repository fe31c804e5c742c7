"""Which official content still lacks its Welsh: the admin dashboard's list (debate/services/bilingual.py).

Official content is written by the council in English and Welsh; each kind keeps its Welsh in `<field>_cy`.
A row is listed when any of its fields has English and no Welsh yet, with the fields missing and, where a
page edits it, that page's address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from debate.extensions import db
from debate.models.accountability import TrackedQuestion
from debate.models.forums import OfficialResponse
from debate.models.live import LiveSession
from debate.models.outcomes import Outcome
from debate.models.topics import Topic
from debate.services.bilingual import missing_welsh

LIMIT = 200  # rows listed per kind: enough to work through, not a page of thousands

FIELD_LABELS = {
    "title": _l("title"),
    "description": _l("description"),
    "heard": _l("what was heard"),
    "will_happen": _l("what will happen"),
    "answer_body": _l("answer"),
    "body": _l("response"),
}


@dataclass(frozen=True)
class Gap:
    """One piece of official content whose Welsh is missing."""

    kind: str  # the heading it is listed under (topics, sessions, ...)
    name: str  # what it is called (its English title, or a short excerpt)
    fields: list[str]  # the fields without Welsh, as the admin reads them
    edit_url: str | None  # where it is edited, if a page does


@dataclass(frozen=True)
class _Source:
    kind: Any  # a lazy heading
    model: Any
    fields: tuple[str, ...]
    where: tuple[Any, ...]
    name: Callable[[Any], str]
    edit_url: Callable[[Any], str | None]


def _excerpt(text: str | None, most: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _outcome_edit(outcome: Outcome) -> str | None:
    if outcome.session_id is not None:
        return url_for("outcomes.session_form", session_id=outcome.session_id)
    if outcome.thread_id is not None:
        return url_for("outcomes.thread_form", thread_id=outcome.thread_id)
    return None


def _sources() -> list[_Source]:
    return [
        _Source(
            _l("Topics"),
            Topic,
            ("title", "description"),
            (),
            lambda t: t.title,
            lambda t: url_for("forums.edit_topic", slug=t.slug),
        ),
        _Source(
            _l("Live sessions"),
            LiveSession,
            ("title", "description"),
            (LiveSession.state != LiveSession.CANCELLED,),
            lambda s: s.title,
            lambda s: url_for("live.edit", session_id=s.id),
        ),
        _Source(_l("Outcomes"), Outcome, ("heard", "will_happen"), (), lambda o: _excerpt(o.heard), _outcome_edit),
        _Source(
            _l("Written answers"),
            TrackedQuestion,
            ("answer_body",),
            (TrackedQuestion.status == TrackedQuestion.ANSWERED, TrackedQuestion.how == TrackedQuestion.WRITTEN),
            lambda q: _excerpt(q.text),
            lambda q: None,  # no page edits an answer once given
        ),
        _Source(
            _l("Official responses"),
            OfficialResponse,
            ("body",),
            (),
            lambda r: _excerpt(r.reply.body if r.reply is not None else ""),
            lambda r: url_for("forums.edit_reply", reply_id=r.reply_id),
        ),
    ]


def _lacking(source: _Source) -> list[Any]:
    """Rows where a field has no Welsh (the English is checked in Python: the response's is in its reply)."""
    welsh_empty = [getattr(source.model, f"{f}_cy") == "" for f in source.fields]
    stmt = select(source.model).where(or_(*welsh_empty), *source.where).order_by(source.model.id).limit(LIMIT)
    if source.model is OfficialResponse:
        stmt = stmt.options(selectinload(OfficialResponse.reply))
    return list(db.session.scalars(stmt))


class _ResponseView:
    """An official response seen as bilingual content: English `body` (its reply's), Welsh `body_cy`."""

    def __init__(self, response: OfficialResponse) -> None:
        self.body = response.reply.body if response.reply is not None else ""
        self.body_cy = response.body_cy


def missing() -> list[tuple[str, list[Gap]]]:
    """Official content with English and no Welsh, by kind (headings in the reader's language); kinds with
    nothing missing are left out."""
    found: list[tuple[str, list[Gap]]] = []
    for source in _sources():
        gaps = []
        for row in _lacking(source):
            checked = _ResponseView(row) if isinstance(row, OfficialResponse) else row
            fields = missing_welsh(checked, source.fields)
            if fields:
                labels = [str(FIELD_LABELS.get(f, f)) for f in fields]
                gaps.append(Gap(str(source.kind), source.name(row), labels, source.edit_url(row)))
        if gaps:
            found.append((str(source.kind), gaps))
    return found
