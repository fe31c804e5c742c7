"""Failover: one of two server processes is killed (SIGKILL) mid-session; nothing asked or voted is lost.

Residents on A and on B ask and vote as fast as their acks come back. A is
killed while they do. A's residents then do what docs/realtime.md tells a
client to do: connect to the other process, send `live:join` with
`last_seq`, and retry what was never acknowledged (asks with the same `key`,
so a retry of an ask that did get stored is not stored twice). They must end
with exactly the state of the residents who never moved and of a fresh
snapshot, holding every acknowledged question and vote.

Votes acknowledged by A in its last LIVE_FLUSH_MS are not yet announced by
A's flusher when it dies. A flushes every 5 s here instead of 250 ms, which
widens that window so that it always holds some votes: they reach the room
only because the shared state (`announced_votes`) lets process B announce
them (with the flusher of before, this test fails for that reason). A's
presence rows stop counting after LIVE_PRESENCE_STALE_S.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, text

from tests.integration import cluster
from tests.realtime._support import wait_for
from tests.support.live_clients import Room, quiet
from tests.support.live_clients import sign_in as sign_in_as

pytestmark = pytest.mark.server

STALE_S = 3  # presence of a killed process stops counting after this (LIVE_PRESENCE_STALE_S)
ON_A, ON_B = ["r1", "r2", "r3", "r4"], ["r5", "r6", "r7", "r8"]


@dataclass
class Resident:
    """One resident's room and what they sent: acked results, and requests that got no ack."""

    who: str
    room: Room
    asked: dict[str, int] = field(default_factory=dict)  # key -> question id, acked
    voted: set[int] = field(default_factory=set)  # question ids, acked (a repeated vote acks too)
    unacked: list[tuple[str, dict]] = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)

    def send(self, event: str, payload: dict) -> dict | None:
        """The ack's result, or None when none came (the process died, the socket dropped)."""
        try:
            ack = self.room.call(event, payload)
        except Exception:  # noqa: BLE001 - no ack, whatever the reason: retry it after moving
            self.unacked.append((event, payload))
            return None
        self._record(event, payload, ack)
        return ack

    def _record(self, event: str, payload: dict, ack: dict) -> None:
        if event == "live:ask":
            assert ack["ok"], ack
            self.asked[payload["key"]] = ack["data"]["question"]["id"]
        elif ack["ok"] or ack["error"]["code"] == "conflict":  # a retried vote that was stored the first time
            self.voted.add(payload["question_id"])
        else:
            raise AssertionError((event, payload, ack))

    def act(self) -> bool:
        """Ask a question, then vote for one of someone else's not voted for yet; False once nothing answers."""
        n = next(self.counter)
        key = f"{self.who}-ask-{n:03d}"
        payload = {
            "session_id": self.room.session_id,
            "body": f"{self.who} asks, number {n}: the potholes?",
            "key": key,
        }
        if self.send("live:ask", payload) is None:
            return False
        mine = set(self.asked.values())
        with self.room.lock:
            shown = sorted(self.room.state["questions"])
        candidates = [q for q in shown if q not in mine and q not in self.voted]
        if candidates:
            return self.send("live:vote", {"question_id": candidates[n % len(candidates)]}) is not None
        return True

    def retry(self) -> None:
        pending, self.unacked = self.unacked, []
        for event, payload in pending:
            ack = self.room.call(event, payload)
            self._record(event, payload, ack)


def resident(server, who: str, session_id: int) -> Resident:
    room = Room(server, session_id, sign_in_as(server, who)).connect()
    room.join()
    return Resident(who, room)


def move(person: Resident, to) -> None:
    """Reconnect to the other process and rejoin with the last number seen (the client's own state kept)."""
    again = Room(to, person.room.session_id, person.room.cookie).connect()
    again.seq, again.state = person.room.seq, person.room.view()
    ack = again.join()
    assert "events" in ack, "a client this close behind catches up through seq, not a snapshot"
    person.room.close()
    person.room = again


def keep_acting(people: list[Resident], stop: threading.Event) -> list[threading.Thread]:
    def loop(person: Resident) -> None:
        while not stop.is_set() and person.act():
            pass

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    return threads


def test_clients_of_a_killed_process_move_to_the_other_and_nothing_is_lost(tmp_path_factory):
    stale = {"LIVE_PRESENCE_STALE_S": str(STALE_S)}
    envs = [{**stale, "LIVE_FLUSH_MS": "5000"}, stale]
    with cluster.cluster(tmp_path_factory.mktemp("failover"), "failover", envs=envs) as ((a, b), seed):
        sid = seed["sessions"]["failover"]
        on_a = [resident(a, who, sid) for who in ON_A]
        on_b = [resident(b, who, sid) for who in ON_B]
        watcher = Room(b, sid).connect()  # never moves, never acts
        watcher.join()
        presence: list[int] = []
        watcher.client.on("live:presence", lambda data: presence.append(data["count"]))
        everyone = on_a + on_b
        try:
            for person in everyone:  # something to vote for from the start
                assert person.act()
            stop = threading.Event()
            threads = keep_acting(everyone, stop)
            acked = lambda: sum(len(p.asked) + len(p.voted) for p in on_a)  # noqa: E731
            assert wait_for(lambda: acked() >= 24, timeout=30), "process A acknowledged too little"
            a.kill()  # mid-stream: A's residents are waiting for acks right now
            assert wait_for(lambda: not any(p.room.client.connected for p in on_a), timeout=15)
            for thread in threads[: len(on_a)]:
                thread.join(timeout=15)
            assert wait_for(lambda: len(on_b[0].asked) >= 4, timeout=10)  # B goes on meanwhile
            stop.set()
            for thread in threads:
                thread.join(timeout=15)
            assert not any(t.is_alive() for t in threads)

            unacked = sum(len(p.unacked) for p in on_a)
            for person in on_a:
                move(person, b)
                person.retry()
            for person in everyone:  # life goes on, on B alone
                assert person.act()
            rooms = [p.room for p in everyone] + [watcher]
            quiet(rooms, for_seconds=1.5, timeout=20)

            fresh = Room(b, sid).connect()
            fresh.join()
            rooms.append(fresh)
            final = fresh.view()
            for room in rooms:
                assert room.view() == final, f"{room.cookie and 'a resident'} differs from a fresh snapshot"
                assert room.seq == fresh.seq
            _check_nothing_lost(b, everyone, final)
            print(
                f"{len(final['questions'])} questions, {sum(q['votes'] for q in final['questions'].values())} votes,"
                f" {unacked} requests unacknowledged when A died (retried on B), final seq {fresh.seq}"
            )
            # A's presence rows stop counting: the room counts the sockets connected now (8 + watcher + fresh).
            assert wait_for(lambda: presence and presence[-1] == len(rooms), timeout=STALE_S * 4), presence
            assert "Traceback" not in b.log(), b.log()[-3000:]
        finally:
            for room in [p.room for p in everyone] + [watcher]:
                room.close()


def _check_nothing_lost(server, everyone: list[Resident], final: dict) -> None:
    questions = final["questions"]
    for person in everyone:
        assert not person.unacked
        for key, question_id in person.asked.items():
            assert question_id in questions, f"{person.who}'s acknowledged question {key} is missing"
        for question_id in person.voted:
            assert question_id in questions
    # One question per (asker, key): a retried ask was not stored twice; every shown count is the stored votes.
    bodies = [q["body"] for q in questions.values()]
    assert len(bodies) == len(set(bodies))
    assert len(questions) == sum(len(p.asked) for p in everyone)
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            stored = dict(
                conn.execute(text("SELECT question_id, count(*) FROM question_votes GROUP BY question_id")).all()
            )
            voters = conn.execute(
                text("SELECT u.email, v.question_id FROM question_votes v JOIN users u ON u.id = v.user_id")
            ).all()
    finally:
        engine.dispose()
    assert {qid: q["votes"] for qid, q in questions.items()} == {qid: stored.get(qid, 0) for qid in questions}
    recorded = {(f"{p.who}@example.org", qid) for p in everyone for qid in p.voted}
    assert recorded == set(voters), "a vote is stored that no resident was told about, or the reverse"
    assert sum(stored.values()) > len(everyone), "too few votes to show anything"
