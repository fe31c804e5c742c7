"""Exports of a session: CSV (formula-safe), JSON, and the calendar entry."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC

import icalendar
import pytest

from debate.services.live import export as live_export
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def finished(live, people):
    """A session with an answered question, an anonymous one awaiting an answer, and a held one (not exported)."""
    answered = live_questions.ask(people["resident"], live.id, '=HYPERLINK("http://evil.example","click")')
    anonymous = live_questions.ask(people["resident2"], live.id, "-2+3 is my budget question", anonymous=True)
    live_questions.ask(people["resident3"], live.id, "Still held, never shown")
    for q in (answered, anonymous):
        live_questions.approve(people["moderator"], q.id)
    live_questions.set_vote(people["resident3"], answered.id, True)
    live_questions.answering(people["councillor"], answered.id)
    live_questions.answer(people["councillor"], answered.id, "@everyone: in March.")
    live_sessions.end(people["admin"], live.id)
    return live, answered, anonymous


def test_rows_are_public_questions_in_transcript_order_without_anonymous_names(finished, people):
    live, answered, anonymous = finished
    rows = live_export.rows(live)
    assert [r["id"] for r in rows] == [answered.id, anonymous.id]
    first, second = rows
    assert set(first) == set(live_export.COLUMNS)
    assert first["author"] == "Rita Resident" and first["votes"] == 1 and first["status"] == "answered"
    assert first["answered_by"] == "Cllr Amina Shah" and first["answered_live"] is True
    assert first["answer"] == "@everyone: in March." and first["taken_at"].endswith("Z")
    assert second["author"] == "Anonymous" and second["status"] == "awaiting" and second["answered_at"] is None


def test_csv_neutralises_formulas(client, finished):
    live, answered, anonymous = finished
    response = client.get(f"/sessions/{live.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="session-{live.id}.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(live_export.COLUMNS)
    assert rows[0]["question"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[0]["answer"] == "'@everyone: in March." and rows[0]["answered_live"] == "yes"
    assert rows[1]["question"] == "'-2+3 is my budget question" and rows[1]["author"] == "Anonymous"
    assert "Sam Resident" not in text and "Still held" not in text


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(value):
    assert live_export._cell(value) == "'" + value


def test_json_export_structure(client, finished):
    live, answered, anonymous = finished
    response = client.get(f"/sessions/{live.id}/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert set(data) == {"session", "tally", "questions", "polls"}
    session = data["session"]
    assert session["id"] == live.id and session["title"] == live.title and session["state"] == "ended"
    assert session["panel"] == ["Cllr Amina Shah", "Cllr Ben Ortiz"]
    assert session["starts_at"].endswith("Z") and session["url"] == f"http://localhost/sessions/{live.id}"
    assert data["tally"]["asked"] == 3 and data["tally"]["awaiting_review"] == 1 and data["tally"]["answered"] == 1
    assert [q["id"] for q in data["questions"]] == [answered.id, anonymous.id]
    assert data["questions"][1]["author"] == "Anonymous"
    assert "Sam Resident" not in response.get_data(as_text=True)


def test_calendar_entry_parses_with_utc_times(client, schedule):
    live = schedule(title="Parks: ask the panel")
    response = client.get(f"/sessions/{live.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"session-{live.id}@localhost"
    assert str(event["SUMMARY"]) == "Parks: ask the panel"
    assert str(event["URL"]) == f"http://localhost/sessions/{live.id}"
    assert "Cllr Amina Shah" in str(event["DESCRIPTION"])
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset().total_seconds() == 0 and end.utcoffset().total_seconds() == 0
    assert start == live.starts_at.replace(tzinfo=UTC) and end == live.ends_at.replace(tzinfo=UTC)
    assert b"DTSTART:" in response.get_data() and response.get_data().count(b"Z\r\n") >= 2


def test_exports_of_a_missing_session_are_404(client):
    for path in ("export.csv", "export.json", "calendar.ics"):
        assert client.get(f"/sessions/424242/{path}").status_code == 404
