"""Fixtures for the notification centre: the live fixtures, a signed-in client, socket clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from debate.extensions import socketio
from tests.conftest import PASSWORD
from tests.live.conftest import live, people, schedule  # noqa: F401 - fixtures shared with the live tests


@pytest.fixture
def signed_in(app) -> Callable:
    """A fresh Flask test client signed in as `user`."""

    def make(user):
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return make


@pytest.fixture
def account_socket(app) -> Iterator[Callable]:
    """A Socket.IO test client on /account sharing a Flask client's login."""
    opened = []

    def connect(client):
        tc = socketio.test_client(app, namespace="/account", flask_test_client=client)
        opened.append(tc)
        return tc

    yield connect
    for tc in opened:
        if tc.is_connected("/account"):
            tc.disconnect(namespace="/account")
