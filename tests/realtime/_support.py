"""Helpers for the socket tests (plain functions; the fixtures are in conftest.py)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable

import requests
import socketio as socketio_client
import websocket
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from socketio import packet

from debate.extensions import socketio
from debate.models.base import utcnow


def refusal(tc, namespace: str) -> tuple[bool, list]:
    """Connect `tc` to another namespace; return (connected, CONNECT_ERROR payloads sent to it)."""
    server = socketio.server
    original = server._send_packet
    errors: list = []

    def record(eio_sid, pkt):
        if eio_sid == tc.eio_sid and pkt.packet_type == packet.CONNECT_ERROR and pkt.namespace == namespace:
            errors.append(pkt.data)
        return original(eio_sid, pkt)

    server._send_packet = record
    try:
        tc.connect(namespace=namespace)
    finally:
        server._send_packet = original
    return tc.is_connected(namespace), errors


# --------------------------------------------------------------------------- real server

ADMIN_NAME = "Ada Admin"
ADMIN_EMAIL = "ada@example.org"
ADMIN_PASSWORD = "a long test password"
HTTP_TIMEOUT = 5


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf[-_]token" (?:value|content)="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(srv) -> requests.Session:
    """Sign the admin in over HTTP (a fresh login row each time)."""
    http = requests.Session()
    page = http.get(srv.url + "/login", timeout=HTTP_TIMEOUT)
    assert page.status_code == 200
    response = http.post(
        srv.url + "/login",
        data={"csrf_token": csrf_token(page.text), "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, response.text[:500]
    assert "session" in http.cookies
    return http


def sign_out(srv, http: requests.Session) -> requests.Response:
    token = csrf_token(http.get(srv.url + "/", timeout=HTTP_TIMEOUT).text)
    return http.post(srv.url + "/logout", data={"csrf_token": token}, timeout=HTTP_TIMEOUT)


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


class QuickCloseWebSocket(websocket.WebSocket):
    """websocket-client's WebSocket with a short close handshake.

    The engine.io client sends its CLOSE packet first; the server answers with a
    close frame that the client's reader thread consumes, so `close()` then waits
    its full default 3 s for a frame that never comes. Not a server problem (a raw
    client-initiated close completes at once): only keeps the tests fast.
    """

    def close(self, status: int = websocket.STATUS_NORMAL, reason: bytes = b"", timeout: float = 0.2) -> None:
        super().close(status, reason, timeout)


class LiveSocket:
    """A python-socketio client over a real websocket, recording what the server sends it."""

    def __init__(self, srv, cookie: str | None = None, origin: str | None = None) -> None:
        self.srv = srv
        self.cookie = cookie
        self.origin = origin or srv.url
        # websocket-client adds its own Origin header unless told not to; two Origin
        # headers reach the server joined by a comma and fail the origin check.
        self.client = socketio_client.Client(
            reconnection=False,
            request_timeout=HTTP_TIMEOUT,
            websocket_extra_options={"suppress_origin": True, "class_": QuickCloseWebSocket},
        )
        self.received: list[tuple[str, str, object]] = []
        self.refusals: dict[str, object] = {}

    def _record(self, namespace: str, event: str):
        def handler(*args):
            self.received.append((namespace, event, args[0] if args else None))

        return handler

    def _refused(self, namespace: str):
        def handler(data=None):
            self.refusals[namespace] = data

        return handler

    def connect(self, namespaces: Iterable[str] = ("/account",)) -> LiveSocket:
        namespaces = list(namespaces)
        for namespace in namespaces:
            self.client.on("account:signed_out", self._record(namespace, "account:signed_out"), namespace=namespace)
            self.client.on("connect_error", self._refused(namespace), namespace=namespace)
        headers = {"Origin": self.origin}
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        self.client.connect(
            self.srv.url, headers=headers, transports=["websocket"], namespaces=namespaces, wait_timeout=HTTP_TIMEOUT
        )
        return self

    def call(self, event: str, data=None, namespace: str = "/account"):
        return self.client.call(event, data, namespace=namespace, timeout=HTTP_TIMEOUT)

    def close(self) -> None:
        self.client.shutdown()


def login_nonce(srv, cookie: str) -> str:
    """Read the login nonce from a session cookie (signed, not encrypted) with the server's key."""
    app = Flask("cookie-reader")
    app.secret_key = srv.env["SECRET_KEY"]
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)["login_nonce"]


def end_login_in_database(srv, nonce: str) -> None:
    """End a login the way another server process would: in the database, with no message to this one."""
    path = srv.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=5) as conn:
        updated = conn.execute(
            "UPDATE login_sessions SET ended_at = ? WHERE nonce = ? AND ended_at IS NULL",
            (utcnow().isoformat(" "), nonce),
        ).rowcount
    assert updated == 1
