"""A live-room client that follows docs/realtime.md, for tests against real server processes.

Each client keeps the room's state the way the protocol tells a client author
to: buffer events until the join ack, drop numbers already seen, rejoin with
`last_seq` on a gap. Used by the real-client tests and the multi-process,
failover and nginx tests, which compare what their clients built.
"""

from __future__ import annotations

import copy
import re
import threading
import time

import requests
import socketio

from tests.realtime._support import HTTP_TIMEOUT, QuickCloseWebSocket, csrf_token

PASSWORD = "a long test password"


def sign_in(server, who: str) -> str:
    """Sign a seeded person in over HTTP; returns their session cookie."""
    http = requests.Session()
    page = http.get(server.url + "/login", timeout=HTTP_TIMEOUT)
    response = http.post(
        server.url + "/login",
        data={"csrf_token": csrf_token(page.text), "email": f"{who}@example.org", "password": PASSWORD},
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200 and "session" in http.cookies, response.text[:300]
    return http.cookies["session"]


# --------------------------------------------------------------------------- a protocol-following client


def apply(state: dict, event: dict) -> None:
    """Apply one numbered event to a room's state (every event carries the full state of what it is about)."""
    kind, data = event["kind"], event["data"]
    if kind == "session":
        state["session"] = data["session"]
    elif kind == "questions":
        for q in data["questions"]:
            if q["visible"] and q["status"] != "merged":
                state["questions"][q["id"]] = q
            else:
                state["questions"].pop(q["id"], None)
        state["top"], state["tally"] = data["top"], data["tally"]
    elif kind == "votes":
        for question_id, count in data["votes"]:
            if question_id in state["questions"]:
                state["questions"][question_id]["votes"] = count
        state["top"] = data["top"]
    elif kind == "announcement":
        state["announcements"][data["announcement"]["id"]] = data["announcement"]
    elif kind == "chat":
        message = data["message"]
        if message["visible"]:
            state["chat"][message["id"]] = message
        else:
            state["chat"].pop(message["id"], None)


def without_counts(html: str | None) -> str | None:
    """A question's fragment without its vote count (the number, its word, the vote button's name)."""
    if not html:
        return html
    html = re.sub(r'data-votes="\d+"', "", html)
    html = re.sub(r'<span class="vote-count">\d+</span>', "", html)
    html = re.sub(r'<span data-plural="vote votes">votes?</span>', "", html)
    return re.sub(r'aria-label="Vote for this question \(\d+ votes?\)"', "", html)


def from_snapshot(snapshot: dict) -> dict:
    return {
        "session": snapshot["session"],
        "questions": {q["id"]: q for q in snapshot["questions"]},
        "top": snapshot["top"],
        "tally": snapshot["tally"],
        "announcements": {a["id"]: a for a in snapshot["announcements"]},
        "chat": {m["id"]: m for m in snapshot["chat"]},
    }


class Room:
    """One person's (or an anonymous reader's) view of one session, over its own websocket."""

    def __init__(self, server, session_id: int, cookie: str | None = None) -> None:
        self.server, self.session_id, self.cookie = server, session_id, cookie
        self.lock = threading.RLock()
        self.seq: int | None = None
        self.state: dict | None = None
        self.joining = False
        self.buffer: list[dict] = []
        self.gaps = 0
        self.received: list[dict] = []  # every live:event, as it arrived
        self.arrived: list[float] = []
        self.client: socketio.Client | None = None

    def connect(self) -> Room:
        client = socketio.Client(
            reconnection=False, request_timeout=HTTP_TIMEOUT, websocket_extra_options={"class_": QuickCloseWebSocket}
        )
        client.on("live:event", self._on_event)
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        # No Origin header here: websocket-client sends the server's own origin.
        client.connect(self.server.url, headers=headers, transports=["websocket"], wait_timeout=HTTP_TIMEOUT)
        self.client = client
        return self

    def join(self) -> dict:
        """Join (or rejoin with the last number seen); apply the ack, then what arrived meanwhile."""
        with self.lock:
            self.joining, self.buffer = True, []
        payload = {"session_id": self.session_id}
        if self.seq is not None:
            payload["last_seq"] = self.seq
        data = self.ok("live:join", payload)
        with self.lock:
            if "snapshot" in data:
                self.state, self.seq = from_snapshot(data["snapshot"]), data["seq"]
            else:
                for event in data["events"]:
                    self._take(event)
                assert self.seq == data["seq"]
            self.joining = False
            pending, self.buffer = sorted(self.buffer, key=lambda e: e["seq"]), []
            for event in pending:
                self._take(event)
        return data

    def _on_event(self, event: dict) -> None:
        if event["session_id"] != self.session_id:
            return
        with self.lock:
            self.received.append(event)
            self.arrived.append(time.monotonic())
            if self.joining:
                self.buffer.append(event)
            else:
                self._take(event)

    def _take(self, event: dict) -> None:
        if event["seq"] <= self.seq:
            return  # already applied (or in the snapshot)
        if event["seq"] != self.seq + 1:
            self.gaps += 1  # a gap: `settle` rejoins with last_seq (not from the socket's reader thread)
            return
        apply(self.state, event)
        self.seq = event["seq"]

    def settle(self) -> None:
        if self.gaps:
            self.join()

    def call(self, event: str, payload: dict) -> dict:
        return self.client.call(event, payload, timeout=HTTP_TIMEOUT)

    def ok(self, event: str, payload: dict) -> dict:
        ack = self.call(event, payload)
        assert ack["ok"] is True, (event, payload, ack)
        return ack["data"]

    def close(self) -> None:
        if self.client is not None:
            self.client.shutdown()

    def view(self) -> dict:
        """The state, each question's markup without its vote count: counts come in "votes" events and a
        page sets them in the markup it has (docs/realtime.md), so a fragment's own count may be older."""
        with self.lock:
            state = copy.deepcopy(self.state)
        for question in state["questions"].values():
            for part, html in (question.get("html") or {}).items():
                question["html"][part] = without_counts(html)
        return state


def quiet(rooms_: list[Room], for_seconds: float = 0.8, timeout: float = 10) -> None:
    """Wait until no room has received an event for `for_seconds` (votes flush every 250 ms)."""
    called = time.monotonic()
    deadline = called + timeout
    while time.monotonic() < deadline:
        # Counted from the call when nothing arrived yet: an empty room is not quiet before a flush is due.
        last = max((r.arrived[-1] for r in rooms_ if r.arrived), default=called)
        if time.monotonic() - last >= for_seconds:
            for room in rooms_:
                room.settle()
            return
        time.sleep(0.05)
    raise AssertionError("the room did not go quiet")


# --------------------------------------------------------------------------- a signed-in channel


class Channel:
    """A signed-in socket on "/" and /account or /staff that records every event it is sent, and where."""

    def __init__(self, server, cookie: str, namespace: str) -> None:
        self.namespace, self.events, self.lock = namespace, [], threading.Lock()
        self.disconnected = threading.Event()
        self.client = socketio.Client(
            reconnection=False, request_timeout=HTTP_TIMEOUT, websocket_extra_options={"class_": QuickCloseWebSocket}
        )
        for where in (namespace, "/"):
            self.client.on("*", self._recorder(where), namespace=where)
        self.client.on("disconnect", self.disconnected.set, namespace=namespace)
        self.client.connect(
            server.url,
            namespaces=["/", namespace],
            headers={"Cookie": f"session={cookie}"},
            transports=["websocket"],
            wait_timeout=HTTP_TIMEOUT,
        )

    def _recorder(self, namespace: str):
        def record(event: str, data=None) -> None:
            with self.lock:
                self.events.append((event, data, namespace))

        return record

    def named(self, event: str) -> list:
        with self.lock:
            return [data for name, data, _ in self.events if name == event]

    def names(self, since: int = 0) -> list[str]:
        with self.lock:
            return [name for name, _, _ in self.events[since:]]

    def told(self, event: str) -> set[tuple[str, str]]:
        """Where (namespace) and with what `reason` an event such as account:signed_out arrived."""
        with self.lock:
            return {(where, (data or {}).get("reason")) for name, data, where in self.events if name == event}

    def close(self) -> None:
        self.client.shutdown()
