"""Every way a login ends closes its sockets, through the one function (`logins.end`), and they stop
receiving the account's private events (Flask-SocketIO's test client, both backends).

The reasons are written out (the `reason` of `account:signed_out` in docs/realtime.md), not imported,
so these tests also run, and fail, against the code before the fix.

Each way is done the way a person does it: over HTTP, by the member, a moderator or an admin. The
member's "old" browser has a socket on "/" (where `live:mine` goes) and on /account (`moderation:notice`,
`notification:new`); after the action it must have been told why and closed, and the private events
sent afterwards must reach only a socket of a login that is still (or newly) live.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from debate import broadcast
from debate.extensions import db
from debate.models import LoginSession, Role, User
from debate.services import after_commit, mail
from debate.services.accounts import roles
from debate.services.moderation import notices as moderation_notices
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase 9"
PRIVATE = ("live:mine", "moderation:notice", "notification:new")


def browser(app, user: User, password: str = PASSWORD):
    signed_in = app.test_client()
    assert signed_in.post("/login", data={"email": user.email, "password": password}).status_code == 302
    return signed_in


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def open_sockets(sockets, flask_client):
    tc = sockets(flask_client, "/")
    tc.connect(namespace="/account")
    assert tc.is_connected("/") and tc.is_connected("/account")
    return tc


def send_private_events(user_id: int) -> None:
    """What services send a member: their live question's status, a moderation notice and its notification."""
    after_commit.later("live:mine", {"session_id": 1, "question": {"id": 1}}, broadcast.user_room(user_id))
    moderation_notices.tell(user_id, "decision", "A moderator decided about your reply.")
    db.session.commit()


def private_events(tc, since: int = 0) -> list[str]:
    return [m["name"] for m in tc.queue[since:] if m["name"] in PRIVATE]


def told_and_closed(tc, reason: str) -> bool:
    told = [(m["name"], m["namespace"], m["args"]) for m in tc.queue]
    return (
        ("account:signed_out", "/", [{"reason": reason}]) in told
        and ("account:signed_out", "/account", [{"reason": reason}]) in told
        and not tc.is_connected("/")
        and not tc.is_connected("/account")
    )


# --------------------------------------------------------------------------- the ways a login ends


def change_password(app, make_user, member, acting):
    response = acting.post(
        "/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    return NEW_PASSWORD


def reset_password(app, make_user, member, acting):
    stranger = app.test_client()
    assert stranger.post("/forgot", data={"email": member.email}).status_code == 200
    path = re.search(r"https?://localhost(/reset/\S+)", mail.outbox()[-1].get_content()).group(1)
    assert stranger.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    return NEW_PASSWORD


def delete_account(app, make_user, member, acting):
    response = acting.post("/account/delete", data={"password": PASSWORD, "confirm": "yes"})
    assert response.status_code == 302
    return None


def sanction(kind):
    def issue(app, make_user, member, acting):
        moderator = browser(app, make_user(Role.MODERATOR))
        response = moderator.post(
            f"/moderation/members/{member.id}/sanctions",
            data={"item_id": "1", "kind": kind, "sanction_category": "spam", "duration": "7d"},
        )
        assert response.status_code == 302
        return PASSWORD

    return issue


def appoint_moderator(app, make_user, member, acting):
    admin = browser(app, make_user(Role.ADMIN))
    assert admin.post("/admin/moderators", data={"user_id": str(member.id), "action": "appoint"}).status_code == 302
    assert reload(member).role == Role.MODERATOR.value
    return PASSWORD


def stand_down_moderator(app, make_user, member, acting):
    db.session.get(User, member.id).role = Role.MODERATOR.value
    db.session.commit()
    admin = browser(app, make_user(Role.ADMIN))
    assert admin.post("/admin/moderators", data={"user_id": str(member.id), "action": "remove"}).status_code == 302
    assert reload(member).role == Role.RESIDENT.value
    return PASSWORD


def verify_representative(app, make_user, member, acting):
    profile = roles.request_representative(member, "councillor", "Councillor", "Hill ward", "")
    admin = browser(app, make_user(Role.ADMIN))
    response = admin.post("/admin/representatives/verify", data={"profile_id": str(profile.id)})
    assert response.status_code == 302
    assert reload(member).is_verified_representative
    return PASSWORD


WAYS = {
    "password change": (change_password, "password_changed"),
    "password reset": (reset_password, "password_reset"),
    "account deletion": (delete_account, "account_deleted"),
    "suspension": (sanction("suspension"), "sanctioned"),
    "ban": (sanction("ban"), "sanctioned"),
    "appointed moderator": (appoint_moderator, "role_changed"),
    "stood down as moderator": (stand_down_moderator, "role_changed"),
    "verified representative": (verify_representative, "role_changed"),
}


@pytest.mark.parametrize("way", list(WAYS))
def test_every_way_a_login_ends_closes_its_sockets_and_private_events_stop(app, make_user, sockets, way):
    action, reason = WAYS[way]
    member = make_user(name="Mina Member")
    acting, old = browser(app, member), browser(app, member)
    acting_socket, old_socket = open_sockets(sockets, acting), open_sockets(sockets, old)
    send_private_events(member.id)
    assert private_events(old_socket) == list(PRIVATE)  # both receive them while their logins are live
    assert private_events(acting_socket) == list(PRIVATE)

    password = action(app, make_user, member, acting)

    assert told_and_closed(old_socket, reason), old_socket.queue
    seen = len(old_socket.queue)
    if password is not None:  # the member can still sign in: a socket of a live login gets what follows
        kept = acting_socket if way == "password change" else open_sockets(sockets, browser(app, member, password))
        since = len(kept.queue)
        send_private_events(member.id)
        assert private_events(kept, since) == list(PRIVATE), kept.queue[since:]
    else:
        send_private_events(member.id)
    assert private_events(old_socket, seen) == []
    assert old_socket.queue[seen:] == []


def test_a_password_change_keeps_the_browser_that_made_it(app, make_user, sockets):
    member = make_user()
    acting, old = browser(app, member), browser(app, member)
    acting_socket, old_socket = open_sockets(sockets, acting), open_sockets(sockets, old)

    change_password(app, make_user, member, acting)

    assert told_and_closed(old_socket, "password_changed")
    assert acting_socket.is_connected("/") and acting_socket.is_connected("/account")
    assert not [m for m in acting_socket.queue if m["name"] == "account:signed_out"]
    assert acting_socket.emit("whoami", callback=True, namespace="/account")["ok"] is True


def test_a_mute_or_warning_leaves_the_member_signed_in(app, make_user, sockets):
    member = make_user()
    tc = open_sockets(sockets, browser(app, member))
    moderator = browser(app, make_user(Role.MODERATOR))
    for kind, duration in (("warning", ""), ("mute", "1d")):
        response = moderator.post(
            f"/moderation/members/{member.id}/sanctions",
            data={"item_id": "1", "kind": kind, "sanction_category": "spam", "duration": duration},
        )
        assert response.status_code == 302
    assert tc.is_connected("/account")
    assert [m["name"] for m in tc.queue].count("moderation:notice") == 2  # told, and still listening


# --------------------------------------------------------------------------- a close that never arrived


def test_a_login_ended_with_no_message_gets_no_private_events(app, make_user, sockets):
    """Another process ended the login and its message was lost: delivery checks the login again."""
    member = make_user()
    old, live = browser(app, member), browser(app, member)
    old_socket, live_socket = open_sockets(sockets, old), open_sockets(sockets, live)
    with old.session_transaction() as sess:
        nonce = sess["login_nonce"]
    db.session.execute(update(LoginSession).where(LoginSession.nonce == nonce).values(ended_at=db.func.now()))
    db.session.commit()
    assert old_socket.is_connected("/account")  # nobody closed it
    seen, since = len(old_socket.queue), len(live_socket.queue)

    send_private_events(member.id)

    assert private_events(old_socket, seen) == []
    assert private_events(live_socket, since) == list(PRIVATE)
    assert old_socket.emit("whoami", callback=True, namespace="/account")["error"]["code"] == "login_required"
