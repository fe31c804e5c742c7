"""Two real server processes over Redis: what happens on one reaches the clients of the other.

Processes A and B (gevent, LIVE_FLUSH_MS 250) share one fresh PostgreSQL
database and a Redis message queue, as docs/deploy.md runs them. Every client
here is a real python-socketio client over a websocket, signed in through the
login form of one process and talking to the process its test names.
"""

from __future__ import annotations

import pytest

from tests.integration import cluster
from tests.realtime._support import HTTP_TIMEOUT, wait_for
from tests.support.live_clients import Channel, Room, quiet
from tests.support.live_clients import sign_in as sign_in_as

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    with cluster.cluster(tmp_path_factory.mktemp("two-processes"), "pair") as (servers, seed):
        a, b = servers
        a.seed = b.seed = seed
        yield a, b


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


def test_a_password_changed_on_one_process_closes_the_other_logins_sockets_on_the_other(pair, opened):
    a, b = pair
    old_cookie, acting_cookie = sign_in_as(a, "r7"), sign_in_as(a, "r7")
    old, acting = Channel(a, old_cookie, "/account"), Channel(a, acting_cookie, "/account")
    opened(old)
    opened(acting)
    new = "a brand new passphrase 9"
    form = {"current": cluster.PASSWORD, "password": new, "confirm": new}
    assert cluster.post_form(cluster.http_as(b.url, acting_cookie), b.url, "/account/password", form).status_code == 200

    assert wait_for(
        lambda: old.told("account:signed_out") == {("/", "password_changed"), ("/account", "password_changed")}
    )
    assert old.disconnected.wait(10), "the other login's socket on process A stayed open"
    assert acting.client.call("whoami", {}, namespace="/account", timeout=HTTP_TIMEOUT)["ok"]  # the one that changed it
    assert acting.named("account:signed_out") == []


def test_a_moderator_stood_down_on_one_process_loses_the_queue_on_the_other(pair, opened):
    a, b = pair
    admin = cluster.http_as(b.url, sign_in_as(b, "host"))
    r8 = cluster.http_as(a.url, sign_in_as(a, "r8")).get(a.url + "/api/v1/me", timeout=HTTP_TIMEOUT).json()["data"]
    form = {"user_id": str(r8["id"]), "action": "appoint"}
    assert cluster.post_form(admin, b.url, "/admin/moderators", form).status_code == 200
    staff = Channel(a, sign_in_as(a, "r8"), "/staff")
    opened(staff)

    form["action"] = "remove"
    assert cluster.post_form(admin, b.url, "/admin/moderators", form).status_code == 200

    assert wait_for(lambda: ("/staff", "role_changed") in staff.told("account:signed_out"), timeout=10), staff.events
    assert staff.disconnected.wait(10), "the stood-down moderator's queue socket on process A stayed open"
