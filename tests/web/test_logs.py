"""The default logs keep no client addresses (templates/privacy.html, docs/deploy.md "Logs and privacy").

The server process's own log (gevent's access and error lines), read from a real `python -m debate`,
and Flask-Limiter's line when a limit is hit.
"""

from __future__ import annotations

import logging
import re
import socket

import pytest
import requests

from debate.extensions import limiter
from tests.realtime._support import HTTP_TIMEOUT, csrf_token, wait_for
from tests.support import live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server.start(tmp_path_factory.mktemp("logs"))
    yield srv
    srv.stop()


def client_addresses(srv) -> list[str]:
    """Lines naming 127.0.0.1, the tests' own address, other than as the server's (http://127.0.0.1:<port>)."""
    return [line for line in srv.log().splitlines() if re.search(rf"127\.0\.0\.1(?!:{srv.port})", line)]


@pytest.mark.server
def test_the_access_log_keeps_requests_but_not_who_made_them(server):
    http = requests.Session()
    page = http.get(server.url + "/login", timeout=HTTP_TIMEOUT)
    posted = http.post(
        server.url + "/login",
        data={"csrf_token": csrf_token(page.text), "email": "nobody@example.org", "password": "wrong password"},
        timeout=HTTP_TIMEOUT,
    )
    assert posted.status_code == 400
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as conn:
        conn.sendall(b"\x88\x82not http at all\r\n\r\n")  # gevent logs an error line about such requests
        conn.recv(4096)

    assert wait_for(lambda: '"POST /login HTTP/1.1" 400' in server.log())
    assert wait_for(lambda: "Invalid HTTP method" in server.log())
    assert client_addresses(server) == []


def test_a_rate_limit_hit_is_logged_without_the_address_it_counted(app, client, caplog):
    """A hit is logged with the action and the kind of key it counted (an address), never the address itself."""
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)  # the app fixture built it with limits off, and so without storage
    limiter.reset()
    caplog.set_level(logging.INFO)
    try:
        statuses = [client.post("/login", data={"email": "a@example.org", "password": "x"}) for _ in range(21)]
    finally:
        limiter.reset()
    assert statuses[-1].status_code == 429
    [line] = [r.getMessage() for r in caplog.records if "rate limit hit" in r.getMessage()]
    assert "127.0.0.1" not in line and "action=account.sign_in key=address" in line
    assert not [r for r in caplog.records if "127.0.0.1" in r.getMessage()]


def test_the_privacy_page_says_what_the_logs_keep_and_for_how_long(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "The logs do not contain your IP address, and they are deleted after 14 days." in page
    assert "forgotten within an hour" in page
