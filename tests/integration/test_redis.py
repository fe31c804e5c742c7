"""Redis-backed paths: the Socket.IO message queue and shared rate-limit storage.

A server process runs with REDIS_URL; this test process publishes through the
app's one publisher with the same REDIS_URL, and a real websocket client on the
server receives it: the path several server processes will share.
"""

from __future__ import annotations

import threading

import pytest
import redis
import socketio

from debate import broadcast, create_app, ratelimit
from debate.errors import RateLimited
from tests.conftest import REDIS_URL, redis_reachable, skip_or_fail
from tests.support import live_server
from tests.support.http import sign_in

pytestmark = pytest.mark.server
PASSWORD = "a long test password"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    skip_or_fail(redis_reachable())
    redis.Redis.from_url(REDIS_URL).flushdb()
    server = live_server.start(tmp_path_factory.mktemp("redis-live"), extra_env={"REDIS_URL": REDIS_URL})
    server.flask("create-admin", "--name", "Ada Admin", "--email", "ada@example.org", "--password", PASSWORD)
    yield server
    server.stop()


def _publisher_app(server):
    return create_app(
        {
            "REDIS_URL": REDIS_URL,
            "SQLALCHEMY_DATABASE_URI": server.database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_ENABLED": True,
            "SECRET_KEY": "publisher",
        }
    )


def test_event_published_in_another_process_reaches_a_websocket_client(redis_server):
    http = sign_in(redis_server.url, "ada@example.org", PASSWORD)
    received = threading.Event()
    payloads = []
    client = socketio.Client(reconnection=False)

    @client.on("notice", namespace="/account")
    def on_notice(data):
        payloads.append(data)
        received.set()

    client.connect(
        redis_server.url,
        namespaces=["/account"],
        transports=["websocket"],
        wait_timeout=10,
        headers={"Cookie": f"session={http.cookies['session']}"},
    )
    try:
        me = client.call("whoami", {}, namespace="/account", timeout=5)
        assert me["ok"], me
        app = _publisher_app(redis_server)
        with app.app_context():
            broadcast.publish(
                "notice", {"text": "hello from another process"}, broadcast.user_room(me["data"]["id"]), "/account"
            )
        assert received.wait(10), "the event did not arrive through Redis"
        assert payloads == [{"text": "hello from another process"}]
    finally:
        client.disconnect()


def test_rate_limits_are_counted_in_redis(redis_server):
    app = _publisher_app(redis_server)
    limit = ratelimit.defined().get("redis-test") or ratelimit.limit("redis-test", "2/minute", "Twice a minute.")
    with app.app_context():
        ratelimit.hit(limit, None, "user-1")
        ratelimit.hit(limit, None, "user-1")
        with pytest.raises(RateLimited):
            ratelimit.hit(limit, None, "user-1")
    keys = redis.Redis.from_url(REDIS_URL).keys("*redis-test*")
    assert keys, "the limiter did not store its counter in Redis"
