"""Polls over the socket and the JSON API (the same service as the forms), the numbered events, the coalescing
of answers (N answers -> a few "poll_results" events, never one per answer), catch-up, and the shared limits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models.live import SessionEvent
from debate.models.polls import Poll, PollAnswer
from debate.services.live import events as live_events
from debate.services.live import polls
from debate.services.live import pulse as live_pulse
from tests.conftest import PASSWORD
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture(autouse=True)
def fresh_pulse():
    """live_pulse keeps what is owed in module globals: start each test from nothing."""
    with live_pulse._lock:
        live_pulse._dirty_polls.clear()
    yield
    with live_pulse._lock:
        live_pulse._dirty_polls.clear()


@pytest.fixture
def coalescing(app, monkeypatch):
    """LIVE_FLUSH_MS > 0 as in production, but no background flusher: the test calls flush()."""
    monkeypatch.setattr(live_pulse, "ensure_running", lambda app: None)
    monkeypatch.setitem(app.config, "LIVE_FLUSH_MS", 250)


def sent(published, kind: str, lang: str = "en") -> list[dict]:
    return [p for e, p, r, _n in published if e == "live:event" and p["kind"] == kind and live_events.speaks(r) == lang]


def test_many_answers_then_one_flush_give_one_results_event(coalescing, people, live, make_poll, make_user, published):
    poll = make_poll(live)
    yes, no, _ = option_ids(poll)
    voters = [make_user() for _ in range(12)]
    published.clear()
    for n, voter in enumerate(voters):
        polls.answer(voter, poll.id, choices=[yes if n % 3 else no])
    assert sent(published, "poll_results") == []  # nothing is sent per answer
    live_pulse.flush()
    results = sent(published, "poll_results")
    assert len(results) == 1
    (shown,) = results[0]["data"]["polls"]
    assert shown["results"] == {
        "answers": 12,
        "hidden": False,
        "options": [{"id": yes, "count": 8}, {"id": no, "count": 4}, {"id": option_ids(poll)[2], "count": 0}],
    }
    assert "8" in shown["html"]["results"] and "<svg" in shown["html"]["results"]
    live_pulse.flush()
    assert len(sent(published, "poll_results")) == 1  # nothing more was owed
    assert len([p for e, p, _r, _n in published if e == "live:event"]) == 1 * len(live_events.rooms(live.id))


def test_what_a_process_left_unannounced_is_swept_up(coalescing, people, live, make_poll, published):
    poll = make_poll(live)
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    with live_pulse._lock:
        live_pulse._dirty_polls.clear()  # the process that counted it died before its flush
    live_pulse.sweep()
    live_pulse.flush()
    assert sent(published, "poll_results")[0]["data"]["polls"][0]["results"]["answers"] == 1


def test_hidden_results_are_never_in_a_public_event(people, live, make_poll, published):
    poll = make_poll(live, hide=True)
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    (shown,) = sent(published, "poll_results")[0]["data"]["polls"]
    assert shown["results"] == {"answers": 1, "hidden": True}
    staff = [p for e, p, r, _n in published if e == "live:poll_staff" and live_events.speaks(r) == "en"]
    assert "100%" in staff[-1]["polls"][0]["html"]
    polls.close_poll(people["admin"], poll.id)
    closed = sent(published, "poll")[-1]["data"]["poll"]
    assert closed["state"] == "closed" and closed["results"]["options"][0]["count"] == 1


def test_events_are_rendered_once_per_language(people, live, make_poll, published):
    make_poll(live, question="Should the library open on Sundays?", question_cy="A ddylai'r llyfrgell agor ar y Sul?")
    english, welsh = sent(published, "poll", "en")[0], sent(published, "poll", "cy")[0]
    assert "Should the library" in english["data"]["poll"]["html"]["room"]
    assert "A ddylai" in welsh["data"]["poll"]["html"]["room"]


def test_socket_lifecycle_open_answer_change_close(people, live, make_poll, connect):
    poll = make_poll(live, open_=False)
    host, resident = connect(people["admin"]), connect(people["resident"])
    refused = resident.emit("poll:open", {"poll_id": poll.id}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "not_found"  # a draft is not theirs to see
    opened = host.emit("poll:open", {"poll_id": poll.id}, callback=True)
    assert opened["ok"] and opened["data"]["poll"]["state"] == "open"
    yes, no, _ = option_ids(poll)
    first = resident.emit("poll:answer", {"poll_id": poll.id, "choices": [yes]}, callback=True)
    assert first["ok"] and first["data"]["choices"] == [yes]
    again = resident.emit("poll:answer", {"poll_id": poll.id, "choices": [no]}, callback=True)
    assert again["ok"] and again["data"]["choices"] == [no]
    bad = resident.emit("poll:answer", {"poll_id": poll.id, "choices": [yes, no]}, callback=True)
    assert bad["error"]["code"] == "invalid"
    assert host.emit("poll:close", {"poll_id": poll.id}, callback=True)["data"]["poll"]["state"] == "closed"
    late = resident.emit("poll:answer", {"poll_id": poll.id, "choices": [yes]}, callback=True)
    assert late["error"]["code"] == "conflict"
    assert db.session.scalar(select(PollAnswer.choices)) == [no]
    anonymous = connect()
    assert anonymous.emit("poll:answer", {"poll_id": poll.id, "choices": [yes]}, callback=True)["ok"] is False


def test_a_joining_reader_gets_the_polls_and_a_reconnecting_one_catches_up(people, live, make_poll, connect):
    reader = connect()
    joined = reader.emit("live:join", {"session_id": live.id}, callback=True)["data"]
    assert joined["snapshot"]["polls"] == []
    seq = joined["seq"]
    poll = make_poll(live)
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    polls.close_poll(people["admin"], poll.id)
    back = reader.emit("live:join", {"session_id": live.id, "last_seq": seq}, callback=True)["data"]
    kinds = [e["kind"] for e in back["events"]]
    assert kinds == ["poll", "poll_results", "poll"]
    assert back["events"][-1]["data"]["poll"]["results"]["answers"] == 1
    fresh = connect().emit("live:join", {"session_id": live.id}, callback=True)["data"]
    assert [p["id"] for p in fresh["snapshot"]["polls"]] == [poll.id]
    assert fresh["snapshot"]["polls"][0]["state"] == "closed"


def test_json_api_lifecycle(app, people, live):
    def client(user):
        browser = app.test_client()
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return browser

    host, resident = client(people["moderator"]), client(people["resident"])
    made = host.post(
        f"/api/v1/sessions/{live.id}/polls",
        json={"question": "How useful was tonight?", "kind": "scale", "hide_results": True},
    )
    assert made.status_code == 201, made.get_json()
    poll_id = made.get_json()["data"]["id"]
    assert resident.get(f"/api/v1/polls/{poll_id}").status_code == 404
    assert resident.post(f"/api/v1/polls/{poll_id}/open").status_code == 404
    assert host.post(f"/api/v1/polls/{poll_id}/open").get_json()["data"]["state"] == "open"
    answered = resident.post(f"/api/v1/polls/{poll_id}/answer", json={"value": 4})
    assert answered.status_code == 200 and answered.get_json()["data"]["value"] == 4
    assert resident.post(f"/api/v1/polls/{poll_id}/answer", json={"value": 9}).status_code == 400
    listed = app.test_client().get(f"/api/v1/sessions/{live.id}/polls").get_json()["data"]
    assert listed[0]["results"] == {"answers": 1, "hidden": True}
    assert host.get(f"/api/v1/polls/{poll_id}").get_json()["data"]["results"]["mean"] == 4.0
    assert host.post(f"/api/v1/polls/{poll_id}/close").get_json()["data"]["results"]["hidden"] is False
    late = resident.post(f"/api/v1/polls/{poll_id}/answer", json={"value": 2})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "conflict"
    assert db.session.get(Poll, poll_id).state == Poll.CLOSED
    assert db.session.scalar(select(func.count()).select_from(SessionEvent).where(SessionEvent.kind == "poll")) == 2


def test_answering_by_form_api_and_socket_share_one_budget(app, people, live, make_poll, rate_limits_on):
    poll = make_poll(live, "scale")
    browser = app.test_client()
    assert browser.post("/login", data={"email": people["resident"].email, "password": PASSWORD}).status_code == 302
    from debate.extensions import socketio

    tc = socketio.test_client(app, flask_test_client=browser)
    try:
        for n in range(10):
            assert browser.post(f"/sessions/{live.id}/polls/{poll.id}/answer", data={"value": "3"}).status_code == 302
            assert browser.post(f"/api/v1/polls/{poll.id}/answer", json={"value": 4}).status_code == 200, n
            assert tc.emit("poll:answer", {"poll_id": poll.id, "value": 5}, callback=True)["ok"]
        over = tc.emit("poll:answer", {"poll_id": poll.id, "value": 5}, callback=True)
        assert over["error"]["code"] == "rate_limited" and over["error"]["message"] == str(polls.ANSWER.message)
        assert browser.post(f"/api/v1/polls/{poll.id}/answer", json={"value": 1}).status_code == 429
    finally:
        tc.disconnect()
