"""The broad-support order of a live room (issue 16), through the services, the pages, the exports and the socket.

The replayed session: a 60 % bloc upvotes only its own five questions, the other 40 % only theirs, and
question X is upvoted by 40 % of each bloc. By votes X comes after the big bloc's five; by broad support
it comes first. Below the published thresholds the room is ordered by votes and says so.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from debate.extensions import db, socketio
from debate.models.live import LiveSession, SessionBridging, SessionEvent
from debate.models.moderation import AuditEntry
from debate.services.live import broad_support, order_in_use
from debate.services.live import events as live_events
from debate.services.live import export as live_export
from debate.services.live import order as live_order
from debate.services.live import pulse as live_pulse
from debate.services.live import questions as live_questions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")

BIG, SMALL = 60, 40  # the two blocs: 100 voters
FALLBACK = (
    "Broad support needs more votes (at least 10 people with 5 votes each, and questions with 5 votes): "
    "ordered by most votes for now."
)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def listed(page: str, list_id: str) -> list[int]:
    """The question ids of one list of a page, in the page's order."""
    block = page.split(f'id="{list_id}"', 1)[1].split("</ol>", 1)[0]
    return [int(n) for n in re.findall(r'data-question-id="(\d+)"', block)]


def browser(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def replayed(app, schedule, people, make_user, monkeypatch):
    """The session of the issue's test, voted through `live_questions.set_vote` with recomputation held back
    (RECOMPUTE_MS < 0: the test runs the job when it chooses) and the pulse's counts sent once at the end, as
    a busy room's flush coalesces them (a commit each would double the replay's time).
    Returns (session, {name: question id})."""
    app.config["RECOMPUTE_MS"] = -1
    monkeypatch.setattr(live_pulse, "_after_mark", lambda: None)
    live = schedule(start=True, premoderate=False)
    broad_support.choose(people["admin"], live.id, "broad")
    topics = ["bins", "buses", "parks", "rents", "schools", "library", "lights", "potholes", "pool", "market"]
    ids = {}
    for n, topic in enumerate(topics):
        asker = make_user(name=f"Asker {n}")
        body = f"What is the plan for the {topic} in the east ward this year?"
        ids[f"{'A' if n < 5 else 'B'}{n % 5 + 1}"] = live_questions.ask(asker, live.id, body).id
    ids["X"] = live_questions.ask(make_user(name="Asker X"), live.id, "Can both wards share one community hall?").id
    blocs = {
        "A": [make_user(name=f"Voter A{n}") for n in range(BIG)],
        "B": [make_user(name=f"Voter B{n}") for n in range(SMALL)],
    }
    for bloc, voters in blocs.items():
        for n, voter in enumerate(voters):
            for k in range(1, 6):
                live_questions.set_vote(voter, ids[f"{bloc}{k}"], True)
            if n < len(voters) * 4 // 10:  # 40 % of each bloc
                live_questions.set_vote(voter, ids["X"], True)
    monkeypatch.undo()
    live_pulse.flush()
    db.session.expire_all()
    return db.session.get(LiveSession, live.id), ids


def test_broad_support_puts_the_bridging_question_first_and_most_votes_does_not(
    app, client, people, replayed, published
):
    live, ids = replayed
    assert order_in_use.of(live.id).key == "broad_fallback"  # chosen, not computed yet: by votes, and it says so
    assert list(broad_support.stale()) == [live.id]
    before = live.seq

    broad_support.recompute_session(live.id)

    assert list(broad_support.stale()) == []
    stored = db.session.get(SessionBridging, live.id)
    assert (stored.voters, stored.questions, stored.fallback) == (100, 11, False)
    assert stored.changes == BIG * 5 + SMALL * 5 + (BIG + SMALL) * 4 // 10
    in_use = order_in_use.of(live.id)
    assert in_use.key == "broad" and in_use.name() == "Broad support"
    top = live_events.orders(live.id)["top"]
    assert top[0] == ids["X"]
    # The order moved: one numbered "order" event, with the rule's name and the new lists, for every client.
    event = db.session.scalars(
        select(SessionEvent).where(SessionEvent.session_id == live.id, SessionEvent.seq > before)
    ).one()
    wired = live_events.wire(event, "en")
    assert wired["kind"] == "order" and wired["data"]["top"][0] == ids["X"]
    assert wired["data"]["order_rule"]["key"] == "broad" and wired["data"]["order_rule"]["name"] == "Broad support"
    assert any(name == live_events.EVENT and payload["kind"] == "order" for name, payload, *_ in published)
    # A reconnecting client's snapshot has the order and names it.
    db.session.expire_all()
    snap = live_events.snapshot(db.session.get(LiveSession, live.id), "en")
    assert snap["top"][0] == ids["X"] and snap["orders"]["top"] == top
    assert snap["order_rule"]["label"] == "Order of questions: Broad support"
    # The room, the projector and the transcript name the order and put X first.
    room = client.get(f"/sessions/{live.id}").get_data(as_text=True)
    assert "Order of questions: Broad support" in unescape(room)
    assert listed(room, "live-questions")[0] == ids["X"]
    projector = client.get(f"/sessions/{live.id}/projector")
    assert "Order of questions: Broad support" in text(projector)
    assert listed(projector.get_data(as_text=True), "live-next")[0] == ids["X"]
    assert "Order of questions: Broad support" in text(client.get(f"/sessions/{live.id}/transcript"))
    rows = list(csv.reader(io.StringIO(live_export.to_csv(live))))
    assert rows[-1][:2] == ["Order of questions", "Broad support"]
    order = json.loads(live_export.to_json(live))["session"]["order"]
    assert (order["rule"], order["in_use"], order["voters_counted"], order["questions_scored"]) == (
        "broad",
        "broad",
        100,
        11,
    )
    # The pulse's "votes" event carries the same top order: one place decides it.
    published.clear()
    live_questions.set_vote(people["resident"], ids["A1"], True)
    votes = [p for name, p, *_ in published if name == live_events.EVENT and p["kind"] == "votes"]
    assert votes and votes[-1]["data"]["top"][0] == ids["X"]
    # Most votes, on the same votes: the big bloc's five first, X after every question with as many votes.
    broad_support.choose(people["admin"], live.id, "votes")
    top = live_events.orders(live.id)["top"]
    assert top[:5] == [ids[f"A{k}"] for k in range(1, 6)] and top.index(ids["X"]) == 10  # a tie: the older first
    assert order_in_use.of(live.id).key == "votes"
    room = unescape(client.get(f"/sessions/{live.id}").get_data(as_text=True))
    assert "Order of questions: Most votes" in room and str(live_order.RULE) in room
    assert listed(room, "live-questions")[0] == ids["A1"]


def test_below_the_thresholds_the_room_orders_by_votes_and_says_so(app, client, schedule, people, make_user):
    live = schedule(start=True, premoderate=False)
    broad_support.choose(people["admin"], live.id, "broad")  # RECOMPUTE_MS=0: each vote recomputes at once
    first = live_questions.ask(make_user(), live.id, "Will the library open on Sundays again?").id
    second = live_questions.ask(make_user(), live.id, "When will the Station Road crossing be repaired?").id
    for voter in [make_user() for _ in range(3)]:
        live_questions.set_vote(voter, second, True)
    live_questions.set_vote(people["resident"], first, True)
    stored = db.session.get(SessionBridging, live.id)
    assert stored is not None and stored.fallback and stored.changes == 4
    assert order_in_use.of(live.id).key == "broad_fallback"
    assert live_events.orders(live.id)["top"] == [second, first]  # by votes
    for page in ("", "/projector", "/transcript"):
        assert FALLBACK in text(client.get(f"/sessions/{live.id}{page}")), page
    rows = list(csv.reader(io.StringIO(live_export.to_csv(live))))
    assert rows[-1][1:] == ["Most votes", FALLBACK, str(live_order.RULE)]
    assert json.loads(live_export.to_json(live))["session"]["order"]["in_use"] == "broad_fallback"


def test_an_older_result_never_replaces_a_newer_one(app, live):
    live.order_rule = "broad"
    db.session.commit()
    newer = broad_support.bridging.Bridging(scores={1: 0.5, 2: 0.1}, voters=10, questions=2, fallback=False)
    assert broad_support.store(live.id, 7, newer) is True
    assert broad_support.store(live.id, 5, broad_support.bridging.Bridging()) is False  # computed from fewer changes
    assert broad_support.store(live.id, 7, broad_support.bridging.Bridging()) is False  # from as many
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(SessionBridging, live.id)
    assert (stored.changes, stored.fallback, stored.scores) == (7, False, {"1": 0.5, "2": 0.1})
    assert broad_support.store(live.id, 8, broad_support.bridging.Bridging(voters=3)) is True


# --- choosing the order: form, socket, roles, limit, numbered event ------------------------------------


def test_the_host_chooses_the_order_by_form_and_it_is_a_numbered_audited_event(app, schedule, people):
    live = schedule(start=True)
    seq = live.seq
    host = browser(app, people["admin"])
    response = host.post(f"/sessions/{live.id}/order", data={"order_rule": "broad"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#live-order")
    assert "The room is now ordered by: Broad support." in text(host.get(response.headers["Location"]))
    db.session.expire_all()
    live = db.session.get(LiveSession, live.id)
    assert live.order_rule == "broad" and live.seq == seq + 1
    event = db.session.scalars(
        select(SessionEvent).where(SessionEvent.session_id == live.id, SessionEvent.seq == live.seq)
    ).one()
    assert event.kind == "order"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "order_rule")).one()
    assert (entry.actor_id, entry.target_id, entry.before, entry.after) == (
        people["admin"].id,
        f"session:{live.id}",
        {"order_rule": "votes"},
        {"order_rule": "broad"},
    )
    # The same rule again changes nothing and numbers nothing.
    assert host.post(f"/sessions/{live.id}/order", data={"order_rule": "broad"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(LiveSession, live.id).seq == seq + 1


def test_only_the_host_or_a_moderator_may_choose_and_only_a_known_order(app, schedule, people, connect):
    live = schedule(start=True, host=people["councillor"])
    resident = browser(app, people["resident"])
    follow = resident.post(f"/sessions/{live.id}/order", data={"order_rule": "broad"}, follow_redirects=True)
    assert "Only the session's host or a moderator can change the order of questions." in text(follow)
    panel = connect(people["councillor2"])  # on the panel, not the host
    ack = panel.emit("live:order", {"session_id": live.id, "order_rule": "broad"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    anonymous = connect()
    assert anonymous.emit("live:order", {"session_id": live.id, "order_rule": "broad"}, callback=True)["ok"] is False
    moderator = connect(people["moderator"])
    wrong = moderator.emit("live:order", {"session_id": live.id, "order_rule": "loudest"}, callback=True)
    assert wrong["ok"] is False and wrong["error"]["field"] == "order_rule"
    db.session.expire_all()
    assert db.session.get(LiveSession, live.id).order_rule == "votes"
    ack = moderator.emit("live:order", {"session_id": live.id, "order_rule": "broad"}, callback=True)
    assert ack == {"ok": True, "data": {"session_id": live.id, "order_rule": "broad"}}
    host = browser(app, people["councillor"])
    assert host.post(f"/sessions/{live.id}/order", data={"order_rule": "votes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(LiveSession, live.id).order_rule == "votes"


def test_an_ended_session_keeps_its_order(app, schedule, people):
    from debate.services.live import sessions as live_sessions

    live = schedule(start=True)
    live_sessions.end(people["admin"], live.id)
    with pytest.raises(Exception, match="its order of questions can no longer be changed"):
        broad_support.choose(people["admin"], live.id, "broad")


def test_the_form_and_the_socket_share_one_limit(app, schedule, people, connect, rate_limits_on):
    live = schedule(start=True)
    host = browser(app, people["admin"])
    tc = socketio.test_client(app, flask_test_client=host)
    try:
        for n in range(5):
            assert host.post(f"/sessions/{live.id}/order", data={"order_rule": "broad"}).status_code == 302
            ack = tc.emit("live:order", {"session_id": live.id, "order_rule": "votes"}, callback=True)
            assert ack["ok"] is True, (n, ack)
        refused = tc.emit("live:order", {"session_id": live.id, "order_rule": "broad"}, callback=True)
        assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
        assert refused["error"]["message"] == str(broad_support.CHOOSE.message)
        assert host.post(f"/sessions/{live.id}/order", data={"order_rule": "broad"}).status_code == 429
    finally:
        tc.disconnect()


def test_the_socket_snapshot_and_a_joining_reader_get_the_order_rule(app, schedule, people, connect):
    live = schedule(start=True)
    broad_support.choose(people["admin"], live.id, "broad")
    reader = connect(lang="cy")
    answer = reader.emit("live:join", {"session_id": live.id}, callback=True)
    assert answer["ok"] is True
    rule = answer["data"]["snapshot"]["order_rule"]
    assert rule["key"] == "broad_fallback" and rule["rule"] == "broad"
    assert answer["data"]["snapshot"]["session"]["order_rule"] == "broad"
    assert isinstance(rule["label"], str) and rule["label"]  # in the socket's language, not every language


def test_a_new_session_may_start_in_broad_support_order(app, people):
    from datetime import timedelta

    from debate.models.base import utcnow
    from debate.services import council_time
    from debate.services.live import sessions as live_sessions

    def local(moment):
        return council_time.to_local(moment).strftime(live_sessions.DATETIME_FORMAT)

    starts = utcnow() + timedelta(hours=2)
    form = dict(
        title="Broad support trial",
        starts_at=local(starts),
        ends_at=local(starts + timedelta(hours=1)),
        panel=[people["councillor"].id],
        chat_slow_seconds="10",
    )
    assert (
        live_sessions.schedule(people["admin"], live_sessions.SessionForm(**form, order_rule="broad")).order_rule
        == "broad"
    )
    assert live_sessions.schedule(people["admin"], live_sessions.SessionForm(**form)).order_rule == "votes"
    with pytest.raises(Exception, match="Most votes"):
        live_sessions.schedule(people["admin"], live_sessions.SessionForm(**form, order_rule="loudest"))
    host = browser(app, people["admin"])
    page = host.get("/sessions/new").get_data(as_text=True)
    assert 'name="order_rule" id="order_rule-broad" value="broad"' in page
