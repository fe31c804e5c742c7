"""Fixtures for the socket tests.

Test-client side: helpers around Flask-SocketIO's test client (sharing the
Flask test client's cookies) and test-only guarded events registered on the
current app's Socket.IO server.

Real-client side: one real server process per module, with a verified admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from debate import ratelimit
from debate.extensions import socketio
from debate.permissions import Permission
from debate.realtime.guard import Field, on_event
from tests.realtime._support import ADMIN_EMAIL, ADMIN_NAME, ADMIN_PASSWORD
from tests.support import live_server

# --------------------------------------------------------------------------- test client


# Test-only actions' limits (defined once, as every action's is).
TEST_LIMIT = ratelimit.limit("test.echo", "60/minute", "Test events: at most 60 a minute.")
PUBLIC_LIMIT = ratelimit.limit("test.public", "2/minute", "Test public event: at most 2 a minute.")

ECHO_SCHEMA = {
    "text": Field(str, max_len=10),
    "count": Field(int, required=False),
    "flag": Field(bool, required=False),
    "tags": Field(list, required=False, max_len=3),
}


@pytest.fixture
def guarded_events(app) -> None:
    """Register test-only guarded events on this app's Socket.IO server.

    Every app gets a fresh `socketio.Server` from `init_app`, and handlers added
    after that go to the server only, so nothing leaks into other tests.
    """

    @on_event("test:echo", namespace="/account", schema=ECHO_SCHEMA, limit=TEST_LIMIT)
    def echo(user, payload):
        return payload

    @on_event("test:moderate", namespace="/account", permission=Permission.MODERATE, limit=TEST_LIMIT)
    def moderate(user, payload):
        return "moderated"

    @on_event("test:boom", namespace="/account", limit=TEST_LIMIT)
    def boom(user, payload):
        raise RuntimeError("handler bug")

    @on_event("test:public", namespace="/", login=False, limit=PUBLIC_LIMIT)
    def public(user, payload):
        return {"anonymous": user is None}


@pytest.fixture
def sockets(app) -> Iterator[Callable]:
    """Open Flask-SocketIO test clients that share a Flask test client's cookies."""
    opened = []

    def connect(flask_client, namespace: str = "/"):
        tc = socketio.test_client(app, namespace=namespace, flask_test_client=flask_client)
        opened.append(tc)
        return tc

    yield connect
    for tc in opened:
        for namespace, connected in list(tc.connected.items()):
            if connected:
                tc.disconnect(namespace)
        type(tc).clients.pop(tc.eio_sid, None)


# --------------------------------------------------------------------------- real server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server.start(tmp_path_factory.mktemp("live"))
    try:
        srv.flask("create-admin", "--name", ADMIN_NAME, "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD)
        yield srv
    finally:
        srv.stop()
