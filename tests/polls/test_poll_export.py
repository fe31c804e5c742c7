"""Closed polls in the exports: the JSON and the CSV hold the same counts as the stored answers."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models.polls import PollAnswer
from debate.services.live import polls
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.usefixtures("forum_policy")


def test_exports_match_the_stored_answers(client, people, live, make_poll, make_user):
    choice = make_poll(live, "multiple", options=("=Parks", "Roads", "Schools"))  # a formula-looking label
    scale = make_poll(live, "scale", question="How safe is the high street?")
    still_open = make_poll(live, question="Still open: not exported yet")
    parks, roads, schools = option_ids(choice)
    for n in range(7):
        person = make_user()
        polls.answer(person, choice.id, choices=[parks, roads] if n % 2 else [schools])
        polls.answer(person, scale.id, value=1 + n % 5)
    polls.answer(people["resident"], still_open.id, choices=[option_ids(still_open)[0]])
    for poll in (choice, scale):
        polls.close_poll(people["admin"], poll.id)

    stored_choices = Counter(
        c for row in db.session.scalars(select(PollAnswer.choices).where(PollAnswer.poll_id == choice.id)) for c in row
    )
    stored_values = Counter(db.session.scalars(select(PollAnswer.value).where(PollAnswer.poll_id == scale.id)))

    data = json.loads(client.get(f"/sessions/{live.id}/export.json").get_data(as_text=True))
    exported = {p["id"]: p for p in data["polls"]}
    assert set(exported) == {choice.id, scale.id}
    assert {o["id"]: o["count"] for o in exported[choice.id]["results"]["options"]} == {
        parks: stored_choices[parks],
        roads: stored_choices[roads],
        schools: stored_choices[schools],
    }
    assert exported[choice.id]["results"]["answers"] == 7
    assert {s["value"]: s["count"] for s in exported[scale.id]["results"]["scale"]} == {
        v: stored_values[v] for v in range(1, 6)
    }
    assert "author" not in json.dumps(data["polls"])  # counts only: nobody's answer is exported

    text = client.get(f"/sessions/{live.id}/export.csv").get_data(as_text=True)
    table = text.split("\r\n\r\n", 1)[1]
    rows = list(csv.DictReader(io.StringIO(table)))
    choice_rows = {r["answer"]: int(r["count"]) for r in rows if r["poll_id"] == str(choice.id)}
    assert choice_rows == {
        "'=Parks": stored_choices[parks],
        "Roads": stored_choices[roads],
        "Schools": stored_choices[schools],
    }
    assert sum(int(r["count"]) for r in rows if r["poll_id"] == str(scale.id)) == 7
    assert not any(r["poll_id"] == str(still_open.id) for r in rows)
