"""A session's record to take away: the transcript as CSV and JSON (with its closed polls' results), and the
session as a calendar entry.

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
from debate.services.live import order_in_use, poll_pages, poll_results
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
# The closed polls' results follow the questions, after an empty row, as a table of their own: one row per
# option (or point of the scale, or word of the word list) with its count.
POLL_COLUMNS = ("poll_id", "poll_question", "poll_kind", "poll_answers", "answer", "count")
POLL_HEADERS = {
    "poll_id": lazy_pgettext("CSV column", "poll_id"),
    "poll_question": lazy_pgettext("CSV column", "poll_question"),
    "poll_kind": lazy_pgettext("CSV column", "poll_kind"),
    "poll_answers": lazy_pgettext("CSV column", "poll_answers"),
    "answer": lazy_pgettext("CSV column", "answer"),
    "count": lazy_pgettext("CSV column", "count"),
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
    tallies = poll_rows(live)
    if tallies:
        writer.writerow([])
        writer.writerow([str(POLL_HEADERS[name]) for name in POLL_COLUMNS])
        for tally_row in tallies:
            writer.writerow([_cell(tally_row[name]) for name in POLL_COLUMNS])
    in_use = order_in_use.of(live.id)
    writer.writerow([])
    writer.writerow([_("Order of questions"), _cell(in_use.name()), _cell(in_use.label()), _cell(in_use.text())])
    return out.getvalue()


def order(live: LiveSession) -> dict[str, Any]:
    """The room's published order as the JSON export states it: the rule chosen, the one in use, and the
    bridging computation it came from (broad support)."""
    in_use = order_in_use.of(live.id)
    return {
        "rule": in_use.rule,
        "in_use": in_use.key,
        "name": in_use.name(),
        "label": in_use.label(),
        "text": in_use.text(),
        "computed_at": _iso(in_use.computed_at),
        "voters_counted": in_use.voters,
        "questions_scored": in_use.questions,
    }


def polls(live: LiveSession) -> list[dict[str, Any]]:
    """The closed polls and their final results, as the JSON export holds them."""
    return [
        {
            "id": v.poll.id,
            "question": v.poll.question,
            "question_cy": v.poll.question_cy or None,
            "kind": v.poll.kind,
            "options": [{"id": o.id, "label": o.label, "label_cy": o.label_cy or None} for o in v.poll.options],
            "opened_at": _iso(v.poll.opened_at),
            "closed_at": _iso(v.poll.closed_at),
            "results": poll_results.plain(v.results),
        }
        for v in poll_pages.closed_polls(live)
    ]


def poll_rows(live: LiveSession) -> list[dict[str, Any]]:
    """One row per option, point of the scale or word of each closed poll (the CSV's second table)."""
    found: list[dict[str, Any]] = []
    for v in poll_pages.closed_polls(live):
        head = {"poll_id": v.poll.id, "poll_question": v.poll.question, "poll_kind": v.poll.kind}
        head["poll_answers"] = v.results.answers
        if v.poll.kind == "text":
            pairs: list[tuple[object, int]] = [(word, n) for word, n in v.results.words]
        else:
            pairs = [(r.option.label if r.option else r.key, r.count) for r in v.results.rows]
        found.extend({**head, "answer": answer, "count": count} for answer, count in pairs)
    return found


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
        "order": order(live),
    }


def to_json(live: LiveSession) -> str:
    data = {
        "session": metadata(live),
        "tally": live_events.tally(live.id),
        "questions": rows(live),
        "polls": polls(live),
    }
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
