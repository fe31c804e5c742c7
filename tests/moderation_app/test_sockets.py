"""The live review queue over Socket.IO (/staff): only moderators connect; every event checks again."""

from __future__ import annotations

import pytest

from debate.extensions import db
from debate.models import Role
from debate.models.moderation import ModerationDecision
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
from tests.conftest import PASSWORD
from tests.realtime._support import refusal

NS = "/staff"


def signed_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def received(tc, name=None):
    return [(p["name"], p["args"][0]) for p in tc.get_received(NS) if name is None or p["name"] == name]


def _item(notes, make_user):
    note = notes.make(make_user(), "Something somebody flagged.")
    moderation_flags.raise_flag(make_user(Role.ADMIN), "note", note.id, "spam", "")
    return note, moderation_queue.find("note", note.id)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE])
def test_members_are_refused_at_connect(app, make_user, sockets, role):
    tc = sockets(signed_in(app, make_user(role)), "/")
    connected, errors = refusal(tc, NS)
    assert not connected
    assert errors == [{"message": "Only moderators can open the review queue's live channel."}]


def test_signed_out_sockets_are_refused(app, sockets):
    tc = sockets(app.test_client(), "/")
    connected, _ = refusal(tc, NS)
    assert not connected


def test_unverified_moderators_are_refused(app, make_user, sockets):
    user = make_user(Role.MODERATOR, verified=False)
    user.email_verified_at = None
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    connected, _ = refusal(sockets(client, "/"), NS)
    assert not connected


def test_every_moderator_with_the_queue_open_sees_it_change(app, notes, make_user, moderators, sockets):
    first = sockets(signed_in(app, moderators[0]), NS)
    second = sockets(signed_in(app, moderators[1]), NS)
    assert first.is_connected(NS) and second.is_connected(NS)
    note, item = _item(notes, make_user)
    for tc in (first, second):
        events = received(tc)
        assert [n for n, _ in events] == ["queue:item_added", "queue:item_updated"]
        assert events[0][1]["id"] == item.id and "excerpt" not in events[0][1]

    ack = first.emit("queue:claim", {"item_id": item.id}, callback=True, namespace=NS)
    assert ack["ok"] is True and ack["data"]["claimed"] is True
    assert received(second, "queue:item_updated")[-1][1]["claimed"] is True

    clash = second.emit("queue:claim", {"item_id": item.id}, callback=True, namespace=NS)
    assert clash["ok"] is False and clash["error"]["code"] == "conflict"
    assert clash["error"]["message"].startswith("Already claimed by Mo Moderator")
    clash = second.emit("queue:decide", {"item_id": item.id, "action": "approve"}, callback=True, namespace=NS)
    assert clash["ok"] is False and clash["error"]["message"].startswith("Already claimed by Mo Moderator")

    ack = first.emit(
        "queue:decide",
        {"item_id": item.id, "action": "hide", "category": "spam", "note": "Ads."},
        callback=True,
        namespace=NS,
    )
    assert ack["ok"] is True and ack["data"]["action"] == "hide"
    assert received(second, "queue:item_removed")[-1][1] == {"id": item.id, "status": "decided", "decision": "hide"}
    db.session.expire_all()
    assert db.session.get(type(note), note.id).state == "hidden"
    assert len(db.session.query(ModerationDecision).all()) == 1
    late = second.emit("queue:decide", {"item_id": item.id, "action": "approve"}, callback=True, namespace=NS)
    assert late["ok"] is False and late["error"]["message"].startswith("Already decided")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "item_id"),
        ({"item_id": "1"}, "item_id"),
        ({"item_id": 1, "action": "hide", "extra": 1}, None),
        ({"item_id": 1, "action": "x" * 11}, "action"),
    ],
)
def test_event_payloads_are_validated(app, moderators, sockets, payload, field):
    tc = sockets(signed_in(app, moderators[0]), NS)
    ack = tc.emit("queue:decide", payload, callback=True, namespace=NS)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and ack["error"].get("field") == field


def test_a_moderator_stood_down_gets_error_acks_on_an_open_socket(app, notes, make_user, moderators, sockets):
    tc = sockets(signed_in(app, moderators[0]), NS)
    _, item = _item(notes, make_user)
    moderators[0].role = Role.RESIDENT.value
    db.session.commit()
    for event, payload in (
        ("queue:claim", {"item_id": item.id}),
        ("queue:decide", {"item_id": item.id, "action": "approve"}),
    ):
        ack = tc.emit(event, payload, callback=True, namespace=NS)
        assert ack == {
            "ok": False,
            "error": {"code": "forbidden", "message": "Your account does not have permission to do that."},
        }
    db.session.refresh(item)
    assert item.claimed_by_id is None and item.status == "open"


def test_standing_down_closes_the_staff_socket(app, make_user, moderators, sockets):
    from debate.services.accounts import roles

    tc = sockets(signed_in(app, moderators[0]), NS)
    assert tc.is_connected(NS)
    roles.set_moderator(make_user(Role.ADMIN), moderators[0].id, appoint=False)
    assert not tc.is_connected(NS)


def test_signing_out_closes_the_staff_socket(app, moderators, sockets):
    client = signed_in(app, moderators[0])
    tc = sockets(client, NS)
    assert tc.is_connected(NS)
    client.post("/logout")
    assert not tc.is_connected(NS)


def test_notices_reach_the_authors_account_channel(app, notes, make_user, moderators, sockets):
    author = make_user()
    tc = sockets(signed_in(app, author), "/account")
    note = notes.make(author)
    moderation_flags.raise_flag(moderators[0], "note", note.id, "spam", "")
    got = [p for p in tc.get_received("/account") if p["name"] == "moderation:notice"]
    assert len(got) == 1 and got[0]["args"][0]["kind"] == "hidden"
    assert "hidden while moderators review" in got[0]["args"][0]["text"]
