"""A session's record to take away: the transcript as CSV and JSON, and the session as a calendar entry.

Only questions shown in the room are exported, in the order the panel took
them; an anonymous asker is never named. CSV cells that a spreadsheet would
run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_pgettext, pgettext

from debate.models.live import LiveSession, SessionQuestion
from debate.services import bilingual
from debate.services.live import events as live_events
from debate.services.live import order as live_order
from debate.services.live import questions as live_questions

COLUMNS = (
    "id",
    "asked_at",
    "author",
    "question",
    "votes",
    "status",
    "taken_at",
    "answered_at",
    "answered_by",
    "answered_live",
    "answer",
    "out_of_order_reason",
    "out_of_order_note",
)
# The CSV's header row, in the requester's language (the English is the column's key, as it always was;
# the JSON keeps the keys). Translators: each is the heading of a column in a spreadsheet of questions.
# Each column's heading has a context of its own, so "question" heads a column in capitals in Welsh too.
HEADERS = {
    "id": lazy_pgettext("CSV column", "id"),
    "asked_at": lazy_pgettext("CSV column", "asked_at"),
    "author": lazy_pgettext("CSV column", "author"),
    "question": lazy_pgettext("CSV column", "question"),
    "votes": lazy_pgettext("CSV column", "votes"),
    "status": lazy_pgettext("CSV column", "status"),
    "taken_at": lazy_pgettext("CSV column", "taken_at"),
    "answered_at": lazy_pgettext("CSV column", "answered_at"),
    "answered_by": lazy_pgettext("CSV column", "answered_by"),
    "answered_live": lazy_pgettext("CSV column", "answered_live"),
    "answer": lazy_pgettext("CSV column", "answer"),
    "out_of_order_reason": lazy_pgettext("CSV column", "out_of_order_reason"),
    "out_of_order_note": lazy_pgettext("CSV column", "out_of_order_note"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def rows(live: LiveSession) -> list[dict[str, Any]]:
    """The public questions in transcript order, one dict each (the CSV's columns)."""
    return [
        {
            "id": q.id,
            "asked_at": _iso(q.created_at),
            "author": live_events.public_name(q),
            "question": q.body,
            "votes": q.vote_count,
            "status": q.status,
            "taken_at": _iso(q.taken_at),
            "answered_at": _iso(q.answered_at),
            "answered_by": q.answered_by.public_name if q.answered_by else None,
            "answered_live": q.answered_live,
            "answer": q.answer_body,
            **_departure(q),
        }
        for q in live_questions.transcript(live)
    ]


def _departure(question: SessionQuestion) -> dict[str, Any]:
    """Why it was taken ahead of the published order, as the transcript says it (empty when it kept its turn)."""
    why = live_order.departure(question.out_of_order_reason, question.out_of_order_note)
    return {"out_of_order_reason": why and why["label"], "out_of_order_note": why and why["note"]}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        # The one yes/no column says whether a question was answered live (Welsh answers "do"/"naddo").
        return pgettext("answered live", "yes") if value else pgettext("answered live", "no")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(live: LiveSession) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(HEADERS[name]) for name in COLUMNS])
    for row in rows(live):
        writer.writerow([_cell(row[name]) for name in COLUMNS])
    return out.getvalue()


def session_url(live: LiveSession) -> str:
    return f"{current_app.config['SERVER_URL'].rstrip('/')}/sessions/{live.id}"


def metadata(live: LiveSession) -> dict[str, Any]:
    return {
        "id": live.id,
        "title": live.title,
        "description": live.description,
        "title_cy": live.title_cy or None,
        "description_cy": live.description_cy or None,
        "topic": live.topic.title if live.topic else None,
        "state": live.state,
        "starts_at": _iso(live.starts_at),
        "ends_at": _iso(live.ends_at),
        "started_at": _iso(live.started_at),
        "ended_at": _iso(live.ended_at),
        "panel": [p.user.public_name for p in live.panel],
        "url": session_url(live),
    }


def to_json(live: LiveSession) -> str:
    data = {"session": metadata(live), "tally": live_events.tally(live.id), "questions": rows(live)}
    return json.dumps(data, ensure_ascii=False, indent=2)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def welsh_url(live: LiveSession) -> str:
    """Where a follower answers "Will you speak Welsh at this session?"."""
    return f"{session_url(live)}/welsh"


def ics(live: LiveSession) -> bytes:
    """One calendar event for the session, times in UTC, in the requester's language: the session's title and
    description in it where written, and the question "Will you speak Welsh?" with the link to answer it."""
    host = urlsplit(current_app.config["SERVER_URL"]).hostname or "localhost"
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{current_app.config['SITE_NAME']}//Live Q&A//EN")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"session-{live.id}@{host}")
    event.add("dtstamp", _utc(live.created_at))
    event.add("dtstart", _utc(live.starts_at))
    event.add("dtend", _utc(live.ends_at))
    event.add("summary", bilingual.pick(live, "title").text)
    panel = ", ".join(p.user.public_name for p in live.panel)
    parts = [bilingual.pick(live, "description").text.strip()]
    if panel:
        parts.append(_("Panel: %(names)s", names=panel))
    parts.append(_("Will you speak Welsh at this session? Answer here: %(url)s", url=welsh_url(live)))
    event.add("description", "\n\n".join(p for p in parts if p))
    event.add("url", session_url(live))
    if live.state == LiveSession.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
