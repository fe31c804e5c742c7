"""A poll answered by real Socket.IO clients against a real server process (LIVE_FLUSH_MS 250): a burst of
answers reaches a watching reader as coalesced "poll_results" events (at most one per flush window, however
fast the machine answers) with the right final counts."""

from __future__ import annotations

import math
import threading
import time

import pytest

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
from debate.services.live import polls
from debate.services.live import sessions as live_sessions

PASSWORD = sys.argv[1]
app = create_app()
with app.app_context():
    def user(key, role, name):
        row = User(display_name=name, email=f"{key}@example.org", password_hash=accounts.hash_password(PASSWORD),
                   role=role.value, email_verified_at=utcnow())
        db.session.add(row)
        db.session.commit()
        return row

    host = user("host", Role.ADMIN, "Hana Host")
    councillor = user("councillor", Role.REPRESENTATIVE, "Cllr Amina Shah")
    db.session.add(RepresentativeProfile(user_id=councillor.id, kind="councillor", title="Councillor",
                                         area="Riverside ward", party="independent", verified_at=utcnow()))
    db.session.commit()
    for n in range(1, 9):
        user(f"r{n}", Role.RESIDENT, f"Resident {n}")
    starts = council_time.to_local(utcnow() + timedelta(hours=1))
    form = live_sessions.SessionForm(
        title="Real clients answer a poll", starts_at=starts.strftime(live_sessions.DATETIME_FORMAT),
        ends_at=(starts + timedelta(hours=2)).strftime(live_sessions.DATETIME_FORMAT),
        panel=[councillor.id], premoderate=True, allow_anonymous=False, chat_slow_seconds=0)
    live = live_sessions.schedule(host, form)
    live_sessions.start(host, live.id)
    poll = polls.prepare(host, live.id, polls.PollForm(question="Bins weekly or fortnightly?", kind="single",
                                                       options=["Weekly", "Fortnightly"]))
    polls.open_poll(host, poll.id)
    print(json.dumps({"session": live.id, "poll": poll.id, "options": [o.id for o in poll.options]}))
"""


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("poll-rooms")
    server = live_server.start(tmp)
    try:
        server.seed = live_server.run_seed(server, SEED, PASSWORD)
        yield server
    finally:
        server.stop()


def test_a_burst_of_answers_is_sent_as_a_few_coalesced_events(srv):
    seed = srv.seed
    watcher = Room(srv, seed["session"]).connect()
    answerers = [Room(srv, seed["session"], sign_in(srv, f"r{n}")).connect() for n in range(1, 9)]
    try:
        watcher.join()
        quiet([watcher], for_seconds=0.5)
        first_seq = watcher.seq
        acks: list[dict] = []
        done = threading.Event()

        def got(ack):
            acks.append(ack)
            if len(acks) == 16:
                done.set()

        weekly, fortnightly = seed["options"]
        started = time.monotonic()
        for n, room in enumerate(answerers):  # each answers, then changes their mind: 16 answers in all
            room.client.emit("poll:answer", {"poll_id": seed["poll"], "choices": [weekly]}, callback=got)
            room.client.emit(
                "poll:answer", {"poll_id": seed["poll"], "choices": [fortnightly if n % 2 else weekly]}, callback=got
            )
        assert done.wait(10), f"only {len(acks)} of 16 answers were acknowledged"
        answered = time.monotonic() - started
        quiet([watcher])
        assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
        assert sorted(a["data"]["change"] for a in acks) == list(range(1, 17))  # each answer's own number
        results = [e for e in watcher.received if e["kind"] == "poll_results" and e["seq"] > first_seq]
        announced = [e["data"]["polls"][0]["changes"] for e in results]
        assert announced == sorted(set(announced)) and announced[-1] == 16  # rising, and every answer in
        # Coalesced: one event per flush window at most (the last may come one window after the last ack),
        # never one per answer.
        windows = math.ceil(answered / 0.25) + 1
        assert 1 <= len(results) <= min(windows, 15), (len(results), answered)
        final = results[-1]["data"]["polls"][0]["results"]
        assert final == {
            "answers": 8,
            "hidden": False,
            "options": [{"id": weekly, "count": 4}, {"id": fortnightly, "count": 4}],
        }
    finally:
        for room in (watcher, *answerers):
            room.close()
