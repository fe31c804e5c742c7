"""Moderators are told when the review queue needs them: one notification kept up to date, batched email,
their own email settings, and only while they moderate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

import moderation
from debate.extensions import db
from debate.models.accounts import Role
from debate.models.base import utcnow
from debate.models.moderation import ReviewItem
from debate.models.notifications import Notification
from debate.services import mail, notifications, publishing
from debate.services.accounts import roles
from debate.services.forums import posts as forums
from debate.services.moderation import alerts as moderation_alerts
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags

BURST = 50
HELD_TEXT = "My first reply: the bins on Elm Street smell."


@pytest.fixture
def staff(make_user):
    return {"moderator": make_user(Role.MODERATOR, "Mo Moderator"), "admin": make_user(Role.ADMIN, "Ada Admin")}


@pytest.fixture
def thread(app, make_user, topic, forum_policy):
    return forums.start_thread(make_user(), "housing", "Bin collections", "Fortnightly is not enough.").item


@pytest.fixture
def hold_new_members(thread):
    """The default policy: a new member's first posts wait for review."""
    previous = publishing._policy_provider
    publishing.set_policy_provider(moderation.Policy)
    yield
    publishing.set_policy_provider(previous)


def hold(make_user, thread, n: int = 1) -> None:
    """`n` new members each post a reply that is held for review (each its own transaction)."""
    for _ in range(n):
        posted = forums.post_reply(make_user(name="Nia Newcomer"), thread.id, HELD_TEXT)
        assert posted.held


def alerts(user) -> list[Notification]:
    stmt = select(Notification).where(Notification.user_id == user.id, Notification.kind == "review_queue")
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def emails_to(user) -> list:
    return [m for m in mail.outbox() if m["To"] == user.email and "Review queue" in m["Subject"]]


def pushes_to(published, user) -> list[dict]:
    return [
        p
        for e, p, room, ns in published
        if e == "notification:new" and room == f"user:{user.id}" and ns == "/account" and p["kind"] == "review_queue"
    ]


def test_a_burst_of_held_posts_is_one_notification_one_email_and_one_push_per_moderator(
    app, make_user, staff, thread, hold_new_members, published
):
    hold(make_user, thread, BURST)
    for who in staff.values():
        [alert] = alerts(who)
        assert alert.unread and alert.text == f"{BURST} items wait in the review queue."
        assert alert.link == "/moderation/"
        [email] = emails_to(who)
        assert "1 item waits in the review queue." in email.get_content()  # sent with the first one
        assert "http://localhost/moderation/" in email.get_content()
        assert len(pushes_to(published, who)) == 1
        assert notifications.unread(who) == 1
    # Nobody else hears of the queue, and the alert says nothing of what waits or who wrote it.
    assert db.session.scalar(select(db.func.count()).where(Notification.kind == "review_queue")) == 2
    for message in mail.outbox():
        assert HELD_TEXT not in message.get_content() and "Nia Newcomer" not in message.get_content()


def test_after_the_window_one_more_email_says_how_many_wait_then(app, make_user, staff, thread, hold_new_members):
    moderator = staff["moderator"]
    hold(make_user, thread, 3)
    assert len(emails_to(moderator)) == 1
    db.session.execute(
        update(Notification)
        .values(emailed_at=utcnow() - timedelta(minutes=31))
        .where(Notification.user_id == moderator.id)
    )
    db.session.commit()
    hold(make_user, thread, 2)
    assert [len(alerts(moderator)), len(emails_to(moderator))] == [1, 2]
    assert "4 items wait in the review queue." in emails_to(moderator)[-1].get_content()
    assert alerts(moderator)[0].text == "5 items wait in the review queue."


def test_once_read_the_next_item_is_a_new_notification_but_email_keeps_its_window(
    app, make_user, staff, thread, hold_new_members, published
):
    moderator = staff["moderator"]
    hold(make_user, thread, 2)
    notifications.mark_read(moderator)
    hold(make_user, thread)
    first, second = alerts(moderator)
    assert not first.unread and second.unread and second.text == "3 items wait in the review queue."
    assert len(pushes_to(published, moderator)) == 2  # the badge moves again
    assert len(emails_to(moderator)) == 1  # but not another email within half an hour


def test_a_flag_and_an_appeal_alert_too(app, make_user, staff, thread):
    reply = forums.post_reply(make_user(), thread.id, "Published at once under the relaxed policy.").item
    moderation_flags.raise_flag(make_user(), "reply", reply.id, "spam", "")
    assert alerts(staff["moderator"])[0].text == "1 item waits in the review queue."


def test_email_follows_each_moderators_settings(app, make_user, staff, thread, hold_new_members):
    moderator, admin = staff["moderator"], staff["admin"]
    notifications.save_preferences(moderator, {"email-review_queue": "off"})
    notifications.save_preferences(admin, {"email-review_queue": "daily"})
    hold(make_user, thread, 3)
    assert emails_to(moderator) == [] and emails_to(admin) == []
    assert [a.text for a in alerts(moderator)] == ["3 items wait in the review queue."]  # in-app always
    assert notifications.send_digests() == 1
    digest = [m for m in mail.outbox() if m["To"] == admin.email][-1].get_content()
    assert "3 items wait in the review queue." in digest
    hold(make_user, thread)
    assert notifications.send_digests() == 1  # still unread, changed since: the next digest says it as it is now
    assert "4 items wait in the review queue." in [m for m in mail.outbox() if m["To"] == admin.email][-1].get_content()
    assert notifications.send_digests() == 0


def test_only_staff_are_offered_the_setting(app, make_user, staff, signed_in):
    resident = make_user()
    page = signed_in(resident).get("/account/notifications").get_data(as_text=True)
    assert "Review queue" not in page and "email-review_queue" not in page
    signed_in(resident).post("/account/notifications", data={"email-review_queue": "daily"})
    assert "review_queue" not in notifications.preferences(resident).email
    page = signed_in(staff["moderator"]).get("/account/notifications").get_data(as_text=True)
    assert 'name="email-review_queue" value="instant" checked' in page


def test_a_moderator_stood_down_stops_hearing_of_the_queue_at_once(
    app, make_user, staff, thread, hold_new_members, published, signed_in
):
    moderator, admin = staff["moderator"], staff["admin"]
    notifications.save_preferences(moderator, {"email-review_queue": "daily"})
    hold(make_user, thread, 2)
    assert notifications.unread(moderator) == 1
    roles.set_moderator(admin, moderator.id, appoint=False)
    # The alert they had is no longer shown, counted or sent in a digest.
    assert notifications.unread(moderator) == 0 and notifications.for_user(moderator) == []
    assert "wait in the review queue" not in signed_in(moderator).get("/notifications").get_data(as_text=True)
    assert notifications.send_digests() == 0
    # New items tell the moderators there are, not them.
    published.clear()
    hold(make_user, thread)
    assert len(alerts(moderator)) == 1 and pushes_to(published, moderator) == []
    assert alerts(admin)[-1].text == "3 items wait in the review queue."
    assert moderation_alerts.staff() == [admin]


def test_decisions_bring_the_count_down_and_an_empty_queue_leaves_nothing_unread(
    app, make_user, staff, thread, hold_new_members, published
):
    moderator, admin = staff["moderator"], staff["admin"]
    hold(make_user, thread, 3)
    items = db.session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)).all()
    published.clear()
    moderation_decisions.decide(admin, items[0], "approve")
    assert [a.text for a in alerts(moderator)] == ["2 items wait in the review queue."]
    moderation_decisions.decide_many(admin, items[1:], "approve")
    assert [a.unread for a in alerts(moderator) + alerts(admin)] == [False, False]
    assert notifications.unread(moderator) == 0
    assert pushes_to(published, moderator) == [] and len(emails_to(moderator)) == 1  # nobody is told of a decision
