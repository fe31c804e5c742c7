"""A live room with real Socket.IO clients against a real server process (gevent, LIVE_FLUSH_MS 250).

Each client keeps the room's state the way docs/realtime.md tells a client
author to: buffer events until the join ack, drop numbers already seen,
rejoin with `last_seq` on a gap. The tests then compare what clients built.

The server's database is seeded with the app's own services by a small
script run against the same SQLite file (no web pages needed).
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.realtime._support import wait_for
from tests.support import live_server
from tests.support.live_clients import PASSWORD, Room, quiet, sign_in

pytestmark = pytest.mark.server


SEED = r"""
import json, sys
from datetime import timedelta
from debate import create_app
from debate.extensions import db
from debate.models import RepresentativeProfile, Role, User
from debate.models.base import utcnow
from debate.services import council_time
from debate.services.accounts import credentials as accounts
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions

PASSWORD = sys.argv[1]
app = create_app()
with app.app_context():
    def user(key, role, name):
        row = User(display_name=name, email=f"{key}@example.org", password_hash=accounts.hash_password(PASSWORD),
                   role=role.value, email_verified_at=utcnow())
        db.session.add(row)
        db.session.flush()
        if role is Role.REPRESENTATIVE:
            db.session.add(RepresentativeProfile(user_id=row.id, kind="councillor", title="Councillor",
                                                 area="Riverside ward", party="independent", verified_at=utcnow()))
        db.session.commit()
        return row

    people = {"host": user("host", Role.ADMIN, "Hana Host"), "moderator": user("moderator", Role.MODERATOR, "Mo Mod"),
              "councillor": user("councillor", Role.REPRESENTATIVE, "Cllr Amina Shah")}
    for n in range(1, 9):
        people[f"r{n}"] = user(f"r{n}", Role.RESIDENT, f"Resident {n}")
    starts = council_time.to_local(utcnow() + timedelta(hours=1))
    sessions = {}
    for name in ("a", "b", "c"):
        form = live_sessions.SessionForm(
            title=f"Real clients {name}", starts_at=starts.strftime(live_sessions.DATETIME_FORMAT),
            ends_at=(starts + timedelta(hours=2)).strftime(live_sessions.DATETIME_FORMAT),
            panel=[people["councillor"].id], premoderate=True, allow_anonymous=True, chat_slow_seconds=0)
        live = live_sessions.schedule(people["host"], form)
        live_sessions.start(people["host"], live.id)
        sessions[name] = live.id
    burst = []
    for n, asker in enumerate(["r7", "r7", "r7", "r8", "r8"]):
        q = live_questions.ask(people[asker], sessions["c"], f"Burst question number {n}: what about the bins?")
        live_questions.approve(people["moderator"], q.id)
        burst.append(q.id)
    print(json.dumps({"sessions": sessions, "burst": burst}))
"""


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live-rooms")
    server = live_server.start(tmp)
    server.tmp = tmp
    try:
        server.seed = live_server.run_seed(server, SEED, PASSWORD)
        yield server
    finally:
        server.stop()


def restart(server) -> None:
    """Stop the server process and start a new one on the same port and database file."""
    server.stop()
    again = live_server.start(server.tmp, database_url=server.database_url, port=server.port)
    server.process, server.log_path = again.process, again.log_path


@pytest.fixture
def rooms(srv):
    opened: list[Room] = []

    def make(session: str, who: str | None = None, join: bool = True) -> Room:
        room = Room(srv, srv.seed["sessions"][session], sign_in(srv, who) if who else None).connect()
        opened.append(room)
        if join:
            room.join()
        return room

    yield make
    for room in opened:
        room.close()


# --------------------------------------------------------------------------- (a) reconnecting


def test_a_client_that_reconnects_ends_with_the_same_state_as_one_that_never_left(srv, rooms):
    stays, also_stays, leaves = rooms("a", "r1"), rooms("a", "r2"), rooms("a", "r3")
    moderator, panel, host = rooms("a", "moderator"), rooms("a", "councillor"), rooms("a", "host")
    sid = srv.seed["sessions"]["a"]
    before = leaves.ok("live:ask", {"session_id": sid, "body": "Asked before the drop: parking permits?"})
    moderator.ok("live:approve", {"question_id": before["question"]["id"]})
    also_stays.ok("live:vote", {"question_id": before["question"]["id"]})
    quiet([stays, leaves])
    leaves.close()
    left_at = leaves.seq

    asked = [
        stays.ok("live:ask", {"session_id": sid, "body": f"Asked while away {n}: street lights?"})["question"]["id"]
        for n in range(3)
    ]
    moderator.ok("live:approve", {"question_id": asked[0]})
    moderator.ok("live:approve", {"question_id": asked[1]})
    moderator.ok("live:reject", {"question_id": asked[2], "category": "off_topic", "note": "Not for tonight."})
    for voter in (also_stays, moderator, host):
        voter.ok("live:vote", {"question_id": asked[1]})
    also_stays.ok("live:vote", {"question_id": asked[0]})
    panel.ok("live:answering", {"question_id": asked[1]})
    panel.ok("live:answer", {"question_id": asked[1], "text": "Next **spring**."})
    host.ok("live:announce", {"session_id": sid, "body": "Ten minutes left."})
    moderator.ok("live:pin", {"question_id": asked[0], "pinned": True, "reason": "follow_up"})
    quiet([stays, also_stays])

    back = Room(srv, sid, leaves.cookie).connect()
    back.seq, back.state = left_at, leaves.view()
    ack = back.join()
    quiet([stays, also_stays, back])
    back.close()

    assert "events" in ack and ack["events"][0]["seq"] == left_at + 1
    assert [e["seq"] for e in ack["events"]] == list(range(left_at + 1, ack["seq"] + 1))
    assert back.seq == stays.seq == also_stays.seq
    assert back.view() == stays.view() == also_stays.view()
    fresh = rooms("a")  # a new reader's snapshot says the same
    assert fresh.seq == stays.seq
    assert fresh.view() == stays.view()
    questions = stays.view()["questions"]
    assert set(questions) == {before["question"]["id"], asked[0], asked[1]}
    assert questions[asked[1]]["status"] == "answered" and questions[asked[1]]["votes"] == 3
    assert questions[asked[0]]["pinned"] is True and questions[asked[0]]["votes"] == 1
    assert stays.view()["tally"]["rejected"] == 1
    assert [a["body_html"] for a in stays.view()["announcements"].values()] == ["<p>Ten minutes left.</p>"]


# --------------------------------------------------------------------------- (c) coalescing


def test_a_burst_of_votes_is_sent_as_a_few_coalesced_events(srv, rooms):
    watcher = rooms("c")
    voters = [rooms("c", f"r{n}", join=False) for n in range(1, 7)]
    burst = srv.seed["burst"]
    quiet([watcher], for_seconds=0.5)
    first_seq = watcher.seq
    acks: list[dict] = []
    done = threading.Event()

    def got(ack):
        acks.append(ack)
        if len(acks) == 30:
            done.set()

    started = time.monotonic()
    for question_id in burst:
        for voter in voters:
            voter.client.emit("live:vote", {"question_id": question_id}, callback=got)
    sent = time.monotonic() - started
    assert done.wait(10), f"only {len(acks)} of 30 votes were acknowledged"
    took = time.monotonic() - started
    quiet([watcher])

    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
    votes_events = [e for e in watcher.received if e["kind"] == "votes" and e["seq"] > first_seq]
    print(
        f"30 votes sent in {sent * 1000:.0f} ms, acknowledged in {took * 1000:.0f} ms;"
        f" {len(votes_events)} 'votes' events at",
        [
            round((t - started) * 1000)
            for t, e in zip(watcher.arrived, watcher.received, strict=True)
            if e in votes_events
        ],
    )
    assert len(votes_events) < 10
    assert {q["id"]: q["votes"] for q in watcher.view()["questions"].values()} == dict.fromkeys(burst, 6)
    assert rooms("c").view() == watcher.view()


# --------------------------------------------------------------------------- (b) a server restart


def test_clients_catch_up_after_the_server_restarts(srv, rooms):
    sid = srv.seed["sessions"]["b"]
    first, second = rooms("b", "r4"), rooms("b", "r5")
    moderator = rooms("b", "moderator")
    asked = [
        first.ok("live:ask", {"session_id": sid, "body": f"Before the restart {n}: the ring road?"}) for n in (1, 2)
    ]
    ids = [a["question"]["id"] for a in asked]
    for question_id in ids:
        moderator.ok("live:approve", {"question_id": question_id})
    second.ok("live:vote", {"question_id": ids[0]})
    quiet([first, second])
    second.ok("live:vote", {"question_id": ids[1]})  # the server goes down straight after this vote
    restart(srv)
    assert wait_for(lambda: not first.client.connected and not second.client.connected, timeout=10)
    seen = {room: (room.seq, room.view()) for room in (first, second)}

    # While the two are away, the room goes on on the new process.
    moderator = rooms("b", "moderator")
    newcomer = rooms("b", "r6")
    late = newcomer.ok("live:ask", {"session_id": sid, "body": "After the restart: the new bus lanes?"})
    moderator.ok("live:approve", {"question_id": late["question"]["id"]})
    newcomer.ok("live:vote", {"question_id": ids[0]})
    quiet([newcomer])

    back = []
    for room in (first, second):
        again = Room(srv, sid, room.cookie).connect()
        again.seq, again.state = seen[room]
        ack = again.join()
        assert "events" in ack, "a reconnect this close should catch up through seq, not a snapshot"
        back.append(again)
    quiet([newcomer, *back])
    for room in back:
        room.close()

    fresh = rooms("b")
    expected = {ids[0]: 2, ids[1]: 1, late["question"]["id"]: 0}
    for room in (*back, newcomer, fresh):
        assert {q["id"]: q["votes"] for q in room.view()["questions"].values()} == expected, srv.log()[-2000:]
        assert room.view() == fresh.view()
        assert room.seq == fresh.seq
