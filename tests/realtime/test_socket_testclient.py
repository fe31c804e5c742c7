"""The live layer through Flask-SocketIO's test client (in-process, both DB backends).

The socket test client shares the Flask test client's cookie jar, so an HTTP
sign-in (or sign-out) is what the socket sees.
"""

from __future__ import annotations

import pytest

from debate import broadcast
from debate.errors import ValidationError
from debate.extensions import socketio
from debate.models import Role
from debate.realtime.guard import NAMESPACES, Field, validate
from tests.conftest import PASSWORD
from tests.realtime._support import refusal

# --------------------------------------------------------------------------- guard.validate (unit)

SCHEMA = {
    "title": Field(str, max_len=5),
    "count": Field(int, required=False),
    "flag": Field(bool, required=False),
    "items": Field(list, required=False, max_len=2),
}


@pytest.mark.parametrize(
    ("data", "clean"),
    [
        ({"title": "hello"}, {"title": "hello"}),
        ({"title": "", "count": 0, "flag": False}, {"title": "", "count": 0, "flag": False}),
        (
            {"title": "a", "count": -3, "flag": True, "items": [1, 2]},
            {"title": "a", "count": -3, "flag": True, "items": [1, 2]},
        ),
        ({"title": "a", "count": None, "flag": None}, {"title": "a"}),
    ],
)
def test_validate_accepts_and_cleans(data, clean):
    assert validate(SCHEMA, data) == clean


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (["title"], None, "must be an object"),
        ("title", None, "must be an object"),
        (7, None, "must be an object"),
        ({"title": "a", "other": 1}, None, "Unknown field: other"),
        ({}, "title", "required"),
        ({"title": None}, "title", "required"),
        ({"title": "123456"}, "title", "too long"),
        ({"title": "a", "items": [1, 2, 3]}, "items", "too long"),
        ({"title": 5}, "title", "wrong type"),
        ({"title": "a", "count": True}, "count", "whole number"),
        ({"title": "a", "count": False}, "count", "whole number"),
        ({"title": "a", "count": 1.0}, "count", "whole number"),
        ({"title": "a", "count": "1"}, "count", "whole number"),
        ({"title": "a", "flag": 1}, "flag", "wrong type"),
        ({"title": "a", "flag": 0}, "flag", "wrong type"),
        ({"title": "a", "flag": "true"}, "flag", "wrong type"),
        ({"title": "a", "items": "ab"}, "items", "wrong type"),
        ({"title": "a", "count": 2**31}, "count", "out of range"),
        ({"title": "a", "count": -(2**31) - 1}, "count", "out of range"),
        ({"title": "a", "count": 10**30}, "count", "out of range"),
    ],
)
def test_validate_refuses(data, field, message):
    with pytest.raises(ValidationError) as caught:
        validate(SCHEMA, data)
    assert caught.value.code == "invalid"
    assert caught.value.field == field
    assert message in caught.value.message


def test_validate_accepts_the_whole_range_of_an_integer_column():
    for count in (2**31 - 1, -(2**31)):
        assert validate(SCHEMA, {"title": "a", "count": count})["count"] == count


def test_validate_none_is_an_empty_payload():
    assert validate({}, None) == {}
    assert validate({"x": Field(int, required=False)}, None) == {}


def test_validate_truncates_a_long_unknown_key_in_the_message():
    with pytest.raises(ValidationError) as caught:
        validate({}, {"k" * 500: 1})
    assert len(caught.value.message) < 80


# --------------------------------------------------------------------------- connecting


def test_anonymous_may_connect_to_the_public_namespace(client, sockets):
    tc = sockets(client, "/")
    assert tc.is_connected("/")


def test_anonymous_is_refused_on_account(client, sockets):
    tc = sockets(client, "/account")
    assert not tc.is_connected("/account")

    tc = sockets(client, "/")
    connected, errors = refusal(tc, "/account")
    assert not connected
    assert errors == [{"message": "Please sign in first."}]


def test_signed_in_whoami_acks(client, make_user, login, sockets):
    user = make_user(Role.RESIDENT, name="Rosa Resident")
    assert login(user).status_code == 302
    tc = sockets(client, "/account")
    assert tc.is_connected("/account")

    ack = tc.emit("whoami", callback=True, namespace="/account")

    assert ack["ok"] is True
    assert ack["data"]["display_name"] == "Rosa Resident"
    assert ack["data"]["role"] == "resident"
    assert ack["data"]["id"] == user.id
    assert ack["data"]["verified_representative"] is False


def test_whoami_for_a_representative(client, make_user, login, sockets):
    login(make_user(Role.REPRESENTATIVE, name="Cllr Rep"))
    tc = sockets(client, "/account")
    ack = tc.emit("whoami", callback=True, namespace="/account")
    assert ack["data"] | {"id": 0} == {
        "id": 0,
        "display_name": "Cllr Rep",
        "role": "representative",
        "verified_representative": True,
    }


def test_signed_in_socket_also_connects_to_public(client, make_user, login, sockets):
    login(make_user())
    tc = sockets(client, "/")
    tc.connect(namespace="/account")
    assert tc.is_connected("/") and tc.is_connected("/account")


# --------------------------------------------------------------------------- the guard over a socket


@pytest.fixture
def resident_socket(client, make_user, login, sockets, guarded_events):
    login(make_user(Role.RESIDENT))
    tc = sockets(client, "/account")
    assert tc.is_connected("/account")
    return tc


def _error(ack):
    assert ack["ok"] is False, ack
    assert set(ack["error"]) >= {"code", "message"}
    return ack["error"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"x": 1}, None),  # unknown key
        ([1, 2], None),  # not an object
        ("hello", None),
        (42, None),
    ],
)
def test_whoami_refuses_bad_payloads(resident_socket, payload, field):
    error = _error(resident_socket.emit("whoami", payload, callback=True, namespace="/account"))
    assert error["code"] == "invalid"
    assert error.get("field") == field


def test_whoami_accepts_no_payload_and_an_empty_object(resident_socket):
    assert resident_socket.emit("whoami", callback=True, namespace="/account")["ok"] is True
    assert resident_socket.emit("whoami", {}, callback=True, namespace="/account")["ok"] is True


def test_guarded_event_with_a_schema(resident_socket):
    ack = resident_socket.emit("test:echo", {"text": "hi", "count": 2}, callback=True, namespace="/account")
    assert ack == {"ok": True, "data": {"text": "hi", "count": 2}}


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": "hi", "evil": True}, None, "Unknown field"),
        (["text", "hi"], None, "must be an object"),
        ({"text": "x" * 11}, "text", "too long"),
        ({"text": "ok", "tags": ["a", "b", "c", "d"]}, "tags", "too long"),
        ({"text": "hi", "count": True}, "count", "whole number"),
        ({"text": "hi", "flag": 1}, "flag", "wrong type"),
        ({}, "text", "required"),
    ],
)
def test_guarded_event_refuses(resident_socket, payload, field, message):
    error = _error(resident_socket.emit("test:echo", payload, callback=True, namespace="/account"))
    assert error["code"] == "invalid"
    assert error.get("field") == field
    assert message in error["message"]


def test_permission_is_checked(resident_socket):
    error = _error(resident_socket.emit("test:moderate", callback=True, namespace="/account"))
    assert error["code"] == "forbidden"


def test_moderator_passes_the_permission_check(client, make_user, login, sockets, guarded_events):
    login(make_user(Role.MODERATOR))
    tc = sockets(client, "/account")
    assert tc.emit("test:moderate", callback=True, namespace="/account") == {"ok": True, "data": "moderated"}


def test_handler_bug_acks_server_error_without_details(resident_socket, caplog):
    ack = resident_socket.emit("test:boom", callback=True, namespace="/account")
    error = _error(ack)
    assert error["code"] == "server_error"
    assert "handler bug" not in error["message"]
    assert "socket event failed: test:boom" in caplog.text


def test_extra_arguments_ack_invalid(resident_socket):
    """A client sending two arguments still gets an ack (the guard takes one payload)."""
    ack = resident_socket.emit("whoami", {}, {"second": 1}, callback=True, namespace="/account")
    assert _error(ack)["code"] == "invalid"


@pytest.mark.parametrize("namespace", ["/", "/account"])
def test_an_unknown_event_acks_unknown_event(resident_socket, client, namespace):
    if namespace != "/account":
        resident_socket.connect(namespace)
    error = _error(resident_socket.emit("live:nonsense", {"a": 1}, callback=True, namespace=namespace))
    assert error == {"code": "unknown_event", "message": "There is no event called 'live:nonsense' here."}


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("thread:join", {"thread_id": 10**30}),
        ("thread:join", {"thread_id": 1, "last_seen_reply_id": 2**31}),
        ("live:join", {"session_id": 1, "last_seq": -(10**30)}),
        ("live:flag", {"type": "question", "id": 10**30, "reason": "spam"}),
        ("live:vote", {"question_id": 2**63}),
    ],
)
def test_a_number_no_column_can_hold_is_invalid_not_a_server_error(client, make_user, login, sockets, event, payload):
    """The database failed on these (SQLite: OverflowError; PostgreSQL: integer out of range): server_error."""
    login(make_user(Role.RESIDENT))
    tc = sockets(client, "/")
    error = _error(tc.emit(event, payload, callback=True))
    assert error["code"] == "invalid" and "out of range" in error["message"]


def test_every_namespace_with_events_answers_unknown_ones(app):
    """A namespace added later must get the catch-all too (guard.NAMESPACES), or its unknown events go unanswered."""
    handlers = socketio.server.handlers
    assert {namespace for namespace in handlers if set(handlers[namespace]) - {"connect", "disconnect"}} == set(
        NAMESPACES
    )
    assert all("*" in handlers[namespace] for namespace in NAMESPACES)


def test_anonymous_guarded_public_event(client, sockets, guarded_events, app):
    tc = sockets(client, "/")
    assert tc.emit("test:public", callback=True) == {"ok": True, "data": {"anonymous": True}}


# --------------------------------------------------------------------------- signing out


def test_http_logout_signs_the_socket_out(client, make_user, login, sockets):
    login(make_user())
    tc = sockets(client, "/")
    tc.connect(namespace="/account")
    assert tc.emit("whoami", callback=True, namespace="/account")["ok"] is True
    stale_cookie = client.get_cookie("session").value

    assert client.post("/logout").status_code == 302

    # Each namespace was told, then closed (read the queue directly: get_received
    # refuses a disconnected namespace).
    told = [(m["name"], m["namespace"], m["args"]) for m in tc.queue]
    assert ("account:signed_out", "/", [{"reason": "signed_out"}]) in told
    assert ("account:signed_out", "/account", [{"reason": "signed_out"}]) in told
    assert not tc.is_connected("/account")
    assert not tc.is_connected("/")

    # Neither the cleared cookie nor the old one opens the channel again.
    assert not sockets(client, "/account").is_connected("/account")
    client.set_cookie("session", stale_cookie)
    assert not sockets(client, "/account").is_connected("/account")


def test_each_event_rechecks_the_login(client, make_user, login, sockets, monkeypatch):
    """A socket that missed the sign-out message (another process) is refused on its next event."""
    login(make_user())
    tc = sockets(client, "/account")
    assert tc.emit("whoami", callback=True, namespace="/account")["ok"] is True

    monkeypatch.setattr(broadcast, "close_sockets", lambda *args: None)
    assert client.post("/logout").status_code == 302
    assert tc.is_connected("/account")  # nobody closed it

    ack = tc.emit("whoami", callback=True, namespace="/account")
    assert _error(ack)["code"] == "login_required"


def test_logout_leaves_other_logins_of_the_user_alone(app, make_user, sockets):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    laptop_socket = sockets(laptop, "/account")
    phone_socket = sockets(phone, "/account")

    laptop.post("/logout")

    assert not laptop_socket.is_connected("/account")
    assert phone_socket.is_connected("/account")
    assert phone_socket.emit("whoami", callback=True, namespace="/account")["ok"] is True


# --------------------------------------------------------------------------- limits


def test_connection_cap_per_user(app, client, make_user, login, sockets):
    app.config["SOCKET_CONNECTIONS_PER_USER"] = 2
    login(make_user())
    first = sockets(client, "/account")
    second = sockets(client, "/account")
    assert first.is_connected("/account") and second.is_connected("/account")

    third = sockets(client, "/")
    connected, errors = refusal(third, "/account")
    assert not connected
    assert len(errors) == 1 and errors[0]["message"].startswith("Too many open connections")

    # The cap is on open connections: closing one makes room again.
    first.disconnect("/account")
    assert sockets(client, "/account").is_connected("/account")


def test_connection_cap_is_per_user(app, make_user, sockets):
    app.config["SOCKET_CONNECTIONS_PER_USER"] = 1
    for user in (make_user(), make_user()):
        browser = app.test_client()
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        assert sockets(browser, "/account").is_connected("/account")


def test_whoami_is_rate_limited(client, make_user, login, sockets, rate_limits_on):
    login(make_user())
    tc = sockets(client, "/account")

    acks = [tc.emit("whoami", callback=True, namespace="/account") for _ in range(31)]

    assert all(ack["ok"] for ack in acks[:30])
    assert _error(acks[30])["code"] == "rate_limited"


def test_rate_limit_is_per_user(app, make_user, sockets, rate_limits_on):
    tcs = []
    for user in (make_user(), make_user()):
        browser = app.test_client()
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        tcs.append(sockets(browser, "/account"))
    for _ in range(30):
        assert tcs[0].emit("whoami", callback=True, namespace="/account")["ok"]
    assert _error(tcs[0].emit("whoami", callback=True, namespace="/account"))["code"] == "rate_limited"
    assert tcs[1].emit("whoami", callback=True, namespace="/account")["ok"] is True


def test_unknown_events_are_rate_limited_per_socket(client, sockets, rate_limits_on):
    """`unmatched` counts against its own limit (it passed a name where the limit goes, which raised)."""
    tc = sockets(client, "/")
    codes = [_error(tc.emit("live:nonsense", callback=True))["code"] for _ in range(61)]
    assert codes == ["unknown_event"] * 60 + ["rate_limited"]
    assert _error(sockets(client, "/").emit("live:nonsense", callback=True))["code"] == "unknown_event"


def test_rate_limit_off_by_config(client, make_user, login, sockets):
    login(make_user())
    tc = sockets(client, "/account")
    assert all(tc.emit("whoami", callback=True, namespace="/account")["ok"] for _ in range(35))


def test_anonymous_rate_limit_is_per_socket(client, sockets, guarded_events, rate_limits_on):
    tc = sockets(client, "/")
    assert tc.emit("test:public", callback=True)["ok"]
    assert tc.emit("test:public", callback=True)["ok"]
    assert _error(tc.emit("test:public", callback=True))["code"] == "rate_limited"


# --------------------------------------------------------------------------- broadcast


def test_publish_reaches_only_the_named_room(app, make_user, sockets):
    alice, bob = make_user(name="Alice"), make_user(name="Bob")
    tcs = {}
    for user in (alice, bob):
        browser = app.test_client()
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        tcs[user.id] = sockets(browser, "/account")
        tcs[user.id].get_received("/account")  # drop anything sent on connect

    broadcast.publish("account:note", {"text": "for Alice"}, broadcast.user_room(alice.id), "/account")

    assert tcs[alice.id].get_received("/account") == [
        {"name": "account:note", "args": [{"text": "for Alice"}], "namespace": "/account"}
    ]
    assert tcs[bob.id].get_received("/account") == []


def test_publish_to_a_room_in_another_namespace_does_not_leak(app, client, make_user, login, sockets):
    user = make_user()
    login(user)
    tc = sockets(client, "/")
    tc.connect(namespace="/account")
    tc.get_received("/")
    tc.get_received("/account")

    # The same room name in two namespaces is two rooms. (A signed-in socket is in its user
    # room on "/" too: live Q&A sends the asker's own question status there.)
    broadcast.publish("account:note", {"n": 1}, broadcast.user_room(user.id), "/")
    assert tc.get_received("/") == [{"name": "account:note", "args": [{"n": 1}], "namespace": "/"}]
    assert tc.get_received("/account") == []
    broadcast.publish("account:note", {"n": 2}, broadcast.user_room(user.id), "/account")
    assert tc.get_received("/") == []
    assert [m["args"] for m in tc.get_received("/account")] == [[{"n": 2}]]
    broadcast.publish("account:note", {"n": 3}, broadcast.user_room(user.id), "/staff")
    assert tc.get_received("/") == [] and tc.get_received("/account") == []


def test_user_room_and_login_room_names():
    assert broadcast.user_room(7) == "user:7"
    assert broadcast.login_room("abc") == "login:abc"
