"""Every way a login ends, and a moderator stood down, against a real server process with real Socket.IO
clients (python-socketio over websockets; the server on gevent, as the README runs it).

Each way is done over HTTP as a person does it (the member, a moderator or an admin). The member's old
browser has a socket on "/" and /account and a question held for review; after the action that socket
must have been told why and closed. A moderator then approves the question, which sends the asker
`live:mine`, `moderation:notice` and `notification:new`: a socket of a login that is live now receives
all three, the old one nothing.
"""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.realtime._support import HTTP_TIMEOUT, csrf_token, wait_for
from tests.support import live_server
from tests.support.live_clients import PASSWORD, Channel, Room, sign_in

pytestmark = pytest.mark.server

NEW_PASSWORD = "a brand new passphrase 9"
PRIVATE = ("live:mine", "moderation:notice", "notification:new")

SEED = r"""
import json, sys
from datetime import timedelta
from debate import create_app
from debate.models import Role
from debate.models.base import utcnow
from debate.services import council_time
from debate.services.live import sessions as live_sessions
from tests.support.people import person

PASSWORD = sys.argv[1]
app = create_app()
with app.app_context():
    people = {"admin": person("admin", Role.ADMIN, "Ada Admin", PASSWORD),
              "moderator": person("moderator", Role.MODERATOR, "Mo Mod", PASSWORD),
              "councillor": person("councillor", Role.REPRESENTATIVE, "Cllr Amina Shah", PASSWORD),
              "asker": person("asker", Role.RESIDENT, "Rita Resident", PASSWORD),
              "formerly": person("formerly", Role.RESIDENT, "Fay Formerly", PASSWORD)}
    for way in ("password", "reset", "deletion", "suspension", "ban", "role"):
        people[way] = person(way, Role.RESIDENT, f"Member {way.title()}", PASSWORD)
    starts = council_time.to_local(utcnow() + timedelta(hours=1))
    form = live_sessions.SessionForm(
        title="Logins ending", starts_at=starts.strftime(live_sessions.DATETIME_FORMAT),
        ends_at=(starts + timedelta(hours=2)).strftime(live_sessions.DATETIME_FORMAT),
        panel=[people["councillor"].id], premoderate=True, allow_anonymous=True, chat_slow_seconds=0)
    live = live_sessions.schedule(people["admin"], form)
    live_sessions.start(people["admin"], live.id)
    print(json.dumps({"session": live.id, "ids": {key: user.id for key, user in people.items()}}))
"""


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    server = live_server.start(tmp_path_factory.mktemp("logins-end"))
    try:
        server.seed = live_server.run_seed(server, SEED, PASSWORD)
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- HTTP as a person


def http_with(srv, cookie: str) -> requests.Session:
    http = requests.Session()
    http.cookies.set("session", cookie)
    return http


def post_form(srv, http: requests.Session, path: str, data: dict) -> requests.Response:
    token = csrf_token(http.get(srv.url + "/", timeout=HTTP_TIMEOUT).text)
    return http.post(srv.url + path, data={"csrf_token": token, **data}, timeout=HTTP_TIMEOUT, allow_redirects=False)


def sign_in_with(srv, who: str, password: str) -> str:
    http = requests.Session()
    response = post_form(srv, http, "/login", {"email": f"{who}@example.org", "password": password})
    assert response.status_code == 302, response.text[:300]
    return http.cookies["session"]


def emailed_link(srv, to: str, path_prefix: str) -> str:
    marker = "Email (no MAIL_SERVER set, so logged, not sent)"
    for chunk in reversed(srv.log().split(marker)[1:]):
        if chunk.lstrip().startswith(f"To: {to}\n"):
            found = re.findall(re.escape(srv.url + path_prefix) + r"[A-Za-z0-9_\-\.]+", chunk)
            if found:
                return found[-1]
    raise AssertionError(f"no {path_prefix} link emailed to {to}")


# --------------------------------------------------------------------------- the ways


def change_password(srv, who: str, acting: str) -> str:
    response = post_form(
        srv,
        http_with(srv, acting),
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    return NEW_PASSWORD


def reset_password(srv, who: str, acting: str) -> str:
    stranger = requests.Session()
    assert post_form(srv, stranger, "/forgot", {"email": f"{who}@example.org"}).status_code == 200
    link = emailed_link(srv, f"{who}@example.org", "/reset/")
    response = post_form(srv, stranger, link.removeprefix(srv.url), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    return NEW_PASSWORD


def delete_account(srv, who: str, acting: str) -> None:
    response = post_form(srv, http_with(srv, acting), "/account/delete", {"password": PASSWORD, "confirm": "yes"})
    assert response.status_code == 302
    return None


def sanction(kind: str):
    def issue(srv, who: str, acting: str) -> str:
        moderator = http_with(srv, sign_in(srv, "moderator"))
        member_id = srv.seed["ids"][who]
        data = {"item_id": "1", "kind": kind, "sanction_category": "spam", "duration": "7d"}
        assert post_form(srv, moderator, f"/moderation/members/{member_id}/sanctions", data).status_code == 302
        return PASSWORD

    return issue


def appoint_moderator(srv, who: str, acting: str) -> str:
    admin = http_with(srv, sign_in(srv, "admin"))
    data = {"user_id": str(srv.seed["ids"][who]), "action": "appoint"}
    assert post_form(srv, admin, "/admin/moderators", data).status_code == 302
    return PASSWORD


WAYS = {
    "password": (change_password, "password_changed"),
    "reset": (reset_password, "password_reset"),
    "deletion": (delete_account, "account_deleted"),
    "suspension": (sanction("suspension"), "sanctioned"),
    "ban": (sanction("ban"), "sanctioned"),
    "role": (appoint_moderator, "role_changed"),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_every_way_a_login_ends_closes_its_real_sockets(srv, opened, way):
    action, reason = WAYS[way]
    old_cookie, acting = sign_in(srv, way), sign_in(srv, way)
    old = Channel(srv, old_cookie, "/account")
    opened(old)
    ask = {"session_id": srv.seed["session"], "body": f"Held until a moderator looks: the {way} question?"}
    held = old.client.call("live:ask", ask, namespace="/", timeout=HTTP_TIMEOUT)["data"]["question"]
    assert held["state"] == "held"

    password = action(srv, way, acting)

    assert wait_for(lambda: old.told("account:signed_out") == {("/", reason), ("/account", reason)}), old.events
    assert old.disconnected.wait(5) and wait_for(lambda: not old.client.connected)
    seen = len(old.events)
    now = None
    if password is not None:  # the member can sign in again: a live login's socket hears what follows
        now = Channel(srv, sign_in_with(srv, way, password), "/account")
        opened(now)
    moderator = Room(srv, srv.seed["session"], sign_in(srv, "moderator")).connect()
    opened(moderator)
    moderator.ok("live:approve", {"question_id": held["id"]})

    if now is not None:
        assert wait_for(lambda: set(PRIVATE) <= set(now.names()), timeout=10), now.events
    else:
        time.sleep(1)  # nothing can arrive for a deleted account; give a stray event the time to
    assert not set(PRIVATE) & set(old.names(seen)), old.events[seen:]


# --------------------------------------------------------------------------- a moderator stood down


def test_a_moderator_stood_down_gets_no_held_questions_over_a_real_socket(srv, opened):
    """The report's steps: appoint, join the room, remove at /admin/moderators, an anonymous question."""
    session_id = srv.seed["session"]
    admin = http_with(srv, sign_in(srv, "admin"))
    member_id = str(srv.seed["ids"]["formerly"])
    assert post_form(srv, admin, "/admin/moderators", {"user_id": member_id, "action": "appoint"}).status_code == 302
    former = Room(srv, session_id, sign_in(srv, "formerly")).connect()
    opened(former)
    pending: list[dict] = []
    former.client.on("live:pending", pending.append)
    assert former.join()["personal"]["roles"]["moderator"] is True
    current = Room(srv, session_id, sign_in(srv, "moderator")).connect()
    opened(current)
    current_pending: list[dict] = []
    current.client.on("live:pending", current_pending.append)
    current.join()

    assert post_form(srv, admin, "/admin/moderators", {"user_id": member_id, "action": "remove"}).status_code == 302
    asker = Room(srv, session_id, sign_in(srv, "asker")).connect()
    opened(asker)
    body = {"session_id": session_id, "body": "Asked anonymously: who sets the rent cap?", "anonymous": True}
    question = asker.ok("live:ask", body)["question"]

    assert wait_for(lambda: current_pending, timeout=10), "moderators now were not told"
    assert current_pending[-1]["question"]["id"] == question["id"]
    assert current_pending[-1]["question"]["author"] == "Rita Resident"
    assert pending == [], "the former moderator was sent the held question and its asker's name"
    assert not former.client.connected, "the former moderator's socket stayed open"
    again = Room(srv, session_id, sign_in(srv, "formerly")).connect()
    opened(again)
    again.client.on("live:pending", pending.append)
    personal = again.join()["personal"]
    assert personal["pending"] is None and personal["roles"]["moderator"] is False
    asker.ok("live:ask", {**body, "body": "Asked anonymously again: and who enforces it?"})
    assert wait_for(lambda: len(current_pending) == 2, timeout=10)
    assert pending == []
