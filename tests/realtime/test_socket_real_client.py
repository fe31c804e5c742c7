"""The live layer over a real websocket, against a real server process (gevent).

One server per module (fixture `server`); each test signs in afresh, so each has
its own login row and ending one does not touch the others.
"""

from __future__ import annotations

import pytest
import requests
import socketio

from tests.realtime._support import (
    ADMIN_NAME,
    HTTP_TIMEOUT,
    LiveSocket,
    end_login_in_database,
    login_nonce,
    sign_in,
    sign_out,
    wait_for,
)

pytestmark = pytest.mark.server


@pytest.fixture
def live_sockets(server):
    """Open LiveSockets, all closed at teardown."""
    opened: list[LiveSocket] = []

    def make(cookie: str | None = None, origin: str | None = None) -> LiveSocket:
        sock = LiveSocket(server, cookie=cookie, origin=origin)
        opened.append(sock)
        return sock

    yield make
    for sock in opened:
        sock.close()


@pytest.fixture
def http(server) -> requests.Session:
    return sign_in(server)


def test_whoami_over_a_real_websocket(http, live_sockets):
    sock = live_sockets(http.cookies["session"]).connect()

    ack = sock.call("whoami")

    assert ack["ok"] is True
    assert ack["data"]["display_name"] == ADMIN_NAME
    assert ack["data"]["role"] == "admin"


def test_account_without_a_cookie_is_refused(server, live_sockets):
    sock = live_sockets()
    with pytest.raises(socketio.exceptions.ConnectionError):
        sock.connect(["/account"])
    assert sock.refusals == {"/account": {"message": "Please sign in first."}}

    # The public namespace stays open to anyone.
    public = live_sockets().connect(["/"])
    assert public.client.connected


def test_foreign_origin_is_refused(server, http, live_sockets):
    for namespaces in (["/account"], ["/"]):
        with pytest.raises(socketio.exceptions.ConnectionError):
            live_sockets(http.cookies["session"], origin="http://evil.example").connect(namespaces)
    assert "http://evil.example is not an accepted origin" in server.log()


def test_logout_signs_the_socket_out(server, http, live_sockets):
    cookie = http.cookies["session"]
    sock = live_sockets(cookie).connect(["/", "/account"])
    assert sock.call("whoami")["ok"] is True

    assert sign_out(server, http).status_code == 200

    signed_out = {
        ("/", "account:signed_out", (("reason", "signed_out"),)),
        ("/account", "account:signed_out", (("reason", "signed_out"),)),
    }

    def told_and_closed():
        seen = {(ns, event, tuple(sorted(data.items()))) for ns, event, data in sock.received}
        return seen >= signed_out and not sock.client.connected

    assert wait_for(told_and_closed, timeout=5), (sock.received, sock.client.connected)

    # Nothing more can be sent on it, and the old cookie cannot open a new one.
    with pytest.raises(socketio.exceptions.BadNamespaceError):
        sock.call("whoami")
    again = live_sockets(cookie)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect(["/account"])
    assert again.refusals == {"/account": {"message": "Please sign in first."}}


def test_each_event_rechecks_the_login(server, http, live_sockets):
    """A login ended elsewhere (another process, no message here) is refused on the next event."""
    cookie = http.cookies["session"]
    sock = live_sockets(cookie).connect()
    assert sock.call("whoami")["ok"] is True

    end_login_in_database(server, login_nonce(server, cookie))

    assert sock.client.connected
    ack = sock.call("whoami")
    assert ack["ok"] is False
    assert ack["error"]["code"] == "login_required"


def test_bad_payload_acks_invalid(http, live_sockets):
    sock = live_sockets(http.cookies["session"]).connect()
    ack = sock.call("whoami", {"unexpected": "x" * 60_000})  # large, but under the 64 KB frame limit
    assert ack["ok"] is False
    assert ack["error"]["code"] == "invalid"
    assert sock.call("whoami")["ok"] is True


def test_oversized_message_closes_the_socket_not_the_server(server, http, live_sockets):
    sock = live_sockets(http.cookies["session"]).connect()
    assert sock.call("whoami")["ok"] is True

    sock.client.emit("whoami", {"blob": "x" * (65 * 1024)}, namespace="/account")

    assert wait_for(lambda: not sock.client.connected, timeout=5)
    assert server.process.poll() is None
    assert "Traceback" not in server.log()
    assert requests.get(server.url + "/", timeout=HTTP_TIMEOUT).status_code == 200
    assert live_sockets(http.cookies["session"]).connect().call("whoami")["ok"] is True
