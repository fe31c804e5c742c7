"""The live room in Welsh (and Arabic): the page, the fragments each language's room is sent, the socket's
snapshot and its error acks, plural forms, and residents' text isolated (dir="auto", <bdi>).

These read the compiled catalogues (`make translations/.compiled`, which `make test` runs).
"""

from __future__ import annotations

import json

import pytest
from flask_babel import force_locale

from debate.extensions import db
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def speaking(connect):
    """A socket that speaks a language (the room's script connects with `?lang=` of its page)."""
    return lambda lang, user=None: connect(user, lang=lang)


def call(tc, event, payload):
    return tc.emit(event, payload, callback=True)


def received(tc, name):
    return [m["args"][0] for m in tc.get_received() if m["name"] == name]


def test_the_room_page_in_welsh(client, live, people):
    live.title_cy = "Tai: gofynnwch i’ch cynghorwyr"
    db.session.commit()
    asker = people["resident"]
    question = live_questions.ask(asker, live.id, "Pryd fydd y llyfrgell yn ailagor?")
    live_questions.approve(people["moderator"], question.id)
    page = client.get(f"/cy/sessions/{live.id}").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert '<h1 dir="auto" lang="cy">Tai: gofynnwch i’ch cynghorwyr</h1>' in page  # the council's Welsh title
    for welsh in ("Gofyn cwestiwn", "Yn fyw nawr", "Mewngofnodwch i ofyn cwestiwn.", "Yn cael ei ateb nawr", "Sgwrs"):
        assert welsh in page, welsh
    assert "1 cwestiwn wedi’i ofyn: 1 ar agor." in page  # the tally, one sentence in Welsh
    assert "Ask a question" not in page and "Answering now" not in page
    assert f'Gofynnwyd gan <span class="author"><bdi>{asker.public_name}</bdi></span>' in page
    assert '<div class="post-body question-body" dir="auto">' in page
    english = client.get(f"/en/sessions/{live.id}").get_data(as_text=True)
    assert "Ask a question" in english and "1 question asked: 1 open." in english
    assert '<h1 dir="auto" lang="en">Housing: ask your councillors</h1>' in english


def test_each_language_room_gets_its_own_fragments_and_acks(speaking, live, people):
    welsh_reader, english_reader = speaking("cy"), speaking("en")
    welsh_asker = speaking("cy", people["resident"])
    for tc in (welsh_reader, english_reader, welsh_asker):
        joined = call(tc, "live:join", {"session_id": live.id})
        assert joined["ok"] is True, joined
        tc.get_received()

    # An empty question: the error ack is in the socket's language.
    refused = call(welsh_asker, "live:ask", {"session_id": live.id, "body": "   "})
    assert refused["ok"] is False and refused["error"]["message"] == "Ysgrifennwch eich cwestiwn cyn ei anfon."
    english_asker = speaking("en", people["resident2"])
    refused = call(english_asker, "live:ask", {"session_id": live.id, "body": ""})
    assert refused["error"]["message"] == "Write your question before sending it."

    asked = call(welsh_asker, "live:ask", {"session_id": live.id, "body": "A fydd y bysiau’n newid?"})
    assert asked["ok"] is True
    assert "Yn aros i gael ei adolygu" in asked["data"]["question"]["review"]  # the asker's own view, in Welsh
    live_questions.approve(people["moderator"], asked["data"]["question"]["id"])

    [welsh] = [e for e in received(welsh_reader, "live:event") if e["kind"] == "questions"]
    [english] = [e for e in received(english_reader, "live:event") if e["kind"] == "questions"]
    assert welsh["seq"] == english["seq"]
    welsh_item = welsh["data"]["questions"][0]["html"]["item"]
    english_item = english["data"]["questions"][0]["html"]["item"]
    assert "Gofynnwyd gan" in welsh_item and "Asked by" not in welsh_item
    assert "Asked by" in english_item and "Gofynnwyd gan" not in english_item
    assert welsh["data"]["tally_text"] == "1 cwestiwn wedi’i ofyn: 1 ar agor."
    assert english["data"]["tally_text"] == "1 question asked: 1 open."
    assert "_i18n" not in json.dumps(welsh) + json.dumps(english)  # each gets its own words, not all of them

    # A Welsh reader joining now: the snapshot, and the catch-up from an earlier number, are in Welsh.
    late = speaking("cy")
    snapshot = call(late, "live:join", {"session_id": live.id})["data"]["snapshot"]
    assert "Gofynnwyd gan" in snapshot["questions"][0]["html"]["item"]
    assert snapshot["tally_text"].startswith("1 cwestiwn")
    caught_up = call(speaking("cy"), "live:join", {"session_id": live.id, "last_seq": welsh["seq"] - 1})["data"]
    assert "Gofynnwyd gan" in caught_up["events"][-1]["data"]["questions"][0]["html"]["item"]


def test_an_event_is_rendered_once_per_language(published, live, people):
    question = live_questions.ask(people["resident"], live.id, "Is the pool reopening?")
    live_questions.approve(people["moderator"], question.id)
    rooms = [r for e, p, r, n in published if e == "live:event" and p["kind"] == "questions"]
    assert rooms == [r for _, r in live_events.rooms(live.id)]  # live:<id> (English), live:<id>:cy, live:<id>:ar
    staff = [r for e, p, r, n in published if e == "live:staff"]
    assert staff == [live_events.staff_room(live.id, code) for code, _ in live_events.rooms(live.id)]
    assert all(live_events.is_staff_room(r) for r in staff)


@pytest.mark.parametrize(
    ("n", "tally", "votes"),
    [
        (0, "Dim cwestiynau wedi’u gofyn eto.", "0 pleidleisiau"),
        (1, "1 cwestiwn wedi’i ofyn: 1 ar agor.", "1 bleidlais"),
        (2, "2 gwestiwn wedi’u gofyn: 2 ar agor.", "2 bleidlais"),
        (3, "3 chwestiwn wedi’u gofyn: 3 ar agor.", "3 pleidlais"),
        (6, "6 chwestiwn wedi’u gofyn: 6 ar agor.", "6 phleidlais"),
        (100, "100 cwestiwn wedi’u gofyn: 100 ar agor.", "100 pleidlais"),
    ],
)
def test_welsh_plural_forms(app, n, tally, votes):
    with app.test_request_context("/"), force_locale("cy"):
        assert live_events.tally_text({"asked": n, "open": n}) == tally
        macros = app.jinja_env.get_template("live/_live_macros.html").module
        assert str(macros.votes_text(n)) == votes


def test_residents_text_is_isolated_in_fragments(published, live, people, make_user):
    arabic = make_user(name="\u0633\u0627\u0631\u0629 \u0623\u062d\u0645\u062f")  # an Arabic display name
    question = live_questions.ask(
        arabic, live.id, "\u0645\u062a\u0649 \u062a\u0641\u062a\u062d \u0627\u0644\u0645\u0643\u062a\u0628\u0629\u061f"
    )
    live_questions.approve(people["moderator"], question.id)
    [event] = [
        p
        for e, p, r, n in published
        if e == "live:event" and p["kind"] == "questions" and r == live_events.room(live.id)
    ]
    item = event["data"]["questions"][0]["html"]["item"]
    assert f'Asked by <span class="author"><bdi>{arabic.public_name}</bdi></span>' in item
    assert '<div class="post-body question-body" dir="auto">' in item
