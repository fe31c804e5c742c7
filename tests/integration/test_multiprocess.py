"""Two real server processes over Redis: what happens on one reaches the clients of the other.

Processes A and B (gevent, LIVE_FLUSH_MS 250) share one fresh PostgreSQL
database and a Redis message queue, as docs/deploy.md runs them. Every client
here is a real python-socketio client over a websocket, signed in through the
login form of one process and talking to the process its test names.
"""

from __future__ import annotations

import threading

import pytest
import socketio

from tests.integration import cluster
from tests.realtime._support import HTTP_TIMEOUT, QuickCloseWebSocket, wait_for
from tests.support.live_clients import Room, quiet
from tests.support.live_clients import sign_in as sign_in_as

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    with cluster.cluster(tmp_path_factory.mktemp("two-processes"), "pair") as (servers, seed):
        a, b = servers
        a.seed = b.seed = seed
        yield a, b


class Channel:
    """A signed-in socket on /account or /staff that records every event it is sent."""

    def __init__(self, server, cookie: str, namespace: str) -> None:
        self.namespace, self.events, self.lock = namespace, [], threading.Lock()
        self.disconnected = threading.Event()
        self.client = socketio.Client(
            reconnection=False, request_timeout=HTTP_TIMEOUT, websocket_extra_options={"class_": QuickCloseWebSocket}
        )
        self.client.on("*", self._record, namespace=namespace)
        self.client.on("*", self._record, namespace="/")
        self.client.on("disconnect", self.disconnected.set, namespace=namespace)
        self.client.connect(
            server.url,
            namespaces=["/", namespace],
            headers={"Cookie": f"session={cookie}"},
            transports=["websocket"],
            wait_timeout=HTTP_TIMEOUT,
        )

    def _record(self, event: str, data=None) -> None:
        with self.lock:
            self.events.append((event, data))

    def named(self, event: str) -> list:
        with self.lock:
            return [data for name, data in self.events if name == event]

    def close(self) -> None:
        self.client.shutdown()


@pytest.fixture
def opened():
    things: list = []
    yield things.append
    for thing in things:
        thing.close()


def room(opened, server, session: str, who: str | None = None) -> Room:
    joined = Room(server, server.seed["sessions"][session], sign_in_as(server, who) if who else None).connect()
    opened(joined)
    joined.join()
    return joined


def test_a_resident_on_one_process_sees_questions_votes_and_presence_from_the_other(pair, opened):
    a, b = pair
    sid = a.seed["sessions"]["open"]
    on_a = room(opened, a, "open", "r1")
    reader_a = room(opened, a, "open")
    asker_b, voter_b = room(opened, b, "open", "r2"), room(opened, b, "open", "r3")
    presence = []
    on_a.client.on("live:presence", lambda data: presence.append(data["count"]))

    asked = asker_b.ok("live:ask", {"session_id": sid, "body": "Asked on process B: when is bin day?"})["question"]
    assert wait_for(lambda: asked["id"] in (on_a.view() or {}).get("questions", {}), timeout=10), on_a.received
    voter_b.ok("live:vote", {"question_id": asked["id"]})
    assert wait_for(lambda: on_a.view()["questions"][asked["id"]]["votes"] == 1, timeout=10), on_a.received
    # Two sockets in the room on each process: everyone is told the sum over both.
    assert wait_for(lambda: presence and presence[-1] == 4, timeout=10), presence
    quiet([on_a, reader_a, asker_b, voter_b])
    assert on_a.view() == reader_a.view() == asker_b.view() == voter_b.view()
    assert on_a.seq == asker_b.seq
    assert on_a.view()["questions"][asked["id"]]["body"] == "Asked on process B: when is bin day?"


def test_a_moderator_on_one_process_gets_the_queue_event_for_a_post_held_on_the_other(pair, opened):
    a, b = pair
    staff = Channel(a, sign_in_as(a, "moderator"), "/staff")
    opened(staff)
    asker = room(opened, b, "premoderated", "r4")
    held = asker.ok(
        "live:ask", {"session_id": a.seed["sessions"]["premoderated"], "body": "Held on process B: the library?"}
    )["question"]
    assert held["state"] == "held"
    assert wait_for(lambda: staff.named("queue:item_added"), timeout=10), staff.events
    [item] = staff.named("queue:item_added")  # the only post held anywhere in this database
    assert (item["cause"], item["status"], item["live"]) == ("held", "open", True), item


def test_a_members_notification_count_moves_for_a_reply_made_on_the_other_process(pair, opened):
    a, b = pair
    author = Channel(a, sign_in_as(a, "r1"), "/account")  # r1 started the seeded thread
    opened(author)
    replier = cluster.http_as(b.url, sign_in_as(b, "r5"))
    response = cluster.post_json(
        replier, b.url, f"/api/v1/threads/{a.seed['thread']}/replies", {"body": "Replied on process B: agreed."}
    )
    assert response.status_code == 201, response.text[:300]
    assert wait_for(lambda: author.named("notification:new"), timeout=10), author.events
    [notice] = author.named("notification:new")
    assert notice["unread"] == 1 and notice["kind"] == "reply_to_you"


def test_signing_out_on_one_process_closes_the_members_sockets_on_the_other(pair, opened):
    a, b = pair
    cookie = sign_in_as(a, "r6")
    account = Channel(a, cookie, "/account")
    opened(account)
    assert account.client.call("whoami", {}, namespace="/account", timeout=HTTP_TIMEOUT)["ok"]

    response = cluster.post_form(cluster.http_as(b.url, cookie), b.url, "/logout")
    assert response.status_code == 200

    assert wait_for(lambda: account.named("account:signed_out"), timeout=10), account.events
    assert account.disconnected.wait(10), "the socket on process A stayed open after signing out on B"
    assert wait_for(lambda: not account.client.connected, timeout=10)
