"""The centre itself: notify, unread counts, marking read, the pages and the live push."""

from __future__ import annotations

from sqlalchemy import func, select

from debate import broadcast
from debate.extensions import db
from debate.models.moderation import ModerationNotice
from debate.models.notifications import Notification
from debate.services import notifications
from debate.services.moderation import notices as moderation_notices


def count(model=Notification, **where) -> int:
    stmt = select(func.count()).select_from(model).filter_by(**where)
    return db.session.scalar(stmt)


def test_notify_waits_for_the_commit_and_counts_unread(app, make_user, published):
    member = make_user()
    notifications.notify(member.id, "reply_to_you", "Ann replied to your thread.", "/threads/1")
    assert published == []  # nothing is pushed before the commit
    db.session.commit()
    assert notifications.unread(member) == 1
    assert [(e, p["unread"], r, n) for e, p, r, n in published] == [
        ("notification:new", 1, broadcast.user_room(member.id), "/account")
    ]
    notifications.notify(member.id, "moderation", "Second.")
    db.session.commit()
    assert published[-1][1] == {"kind": "moderation", "text": "Second.", "link": "", "unread": 2}
    assert notifications.mark_read(member) == 2
    assert notifications.unread(member) == 0
    assert all(n.read_at is not None for n in notifications.for_user(member))


def test_a_rollback_drops_the_notification_its_push_and_its_email(app, make_user, published):
    from debate.services import mail

    member = make_user()
    notifications.notify(member.id, "reply_to_you", "Never happened.")
    db.session.rollback()
    db.session.commit()
    assert count() == 0 and published == [] and mail.outbox() == []


def test_notify_many_tells_each_member_once_and_skips_closed_accounts(app, make_user):
    a, b, gone = make_user(), make_user(), make_user()
    from debate.models.base import utcnow

    gone.deleted_at = utcnow()
    db.session.commit()
    added = notifications.notify_many([a.id, b.id, a.id, None, gone.id], "outcome_published", "An outcome.", "/o/1")
    db.session.commit()
    assert len(added) == 2 and count(user_id=a.id) == 1 and count(user_id=b.id) == 1 and count(user_id=gone.id) == 0


def test_an_unknown_kind_is_a_programming_error(app, make_user):
    import pytest

    with pytest.raises(ValueError, match="unknown notification kind"):
        notifications.notify(make_user().id, "nonsense", "x")


def test_moderation_notices_are_notifications_too(app, make_user):
    member = make_user()
    moderation_notices.tell(member.id, "sanction", "You are muted for a day.", "/somewhere")
    db.session.commit()
    [item] = notifications.for_user(member)
    assert item.kind == "moderation" and item.link == "/notices" and item.text == "You are muted for a day."
    moderation_notices.mark_read(member)  # the notices page's "mark all as read" clears the centre's too
    assert notifications.unread(member) == 0
    moderation_notices.tell(member.id, "sanction", "Again.")
    db.session.commit()
    notifications.mark_read(member)  # and the centre's clears the notices page's "new"
    assert count(ModerationNotice, read=False) == 0


def test_the_page_lists_marks_and_links(app, make_user, signed_in):
    member = make_user()
    other = make_user()
    notifications.notify(member.id, "reply_to_you", "Ann replied to your thread “Bins”.", "/replies/7")
    notifications.notify(other.id, "reply_to_you", "Not for you.")
    db.session.commit()
    client = signed_in(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert '<a href="/replies/7">Ann replied to your thread “Bins”.</a>' in page
    assert "notification-unread" in page and "Not for you." not in page
    assert 'id="notifications-count">1<' in page and ">Notifications" in page
    assert client.post("/notifications/read").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert "notification-unread" not in page and "notifications-count" not in page
    assert "All notifications are marked as read." in page


def test_the_pages_need_a_sign_in(app, client):
    assert client.get("/notifications").status_code == 302
    assert client.post("/notifications/read").status_code == 302
    assert client.get("/account/notifications").status_code == 302


def test_the_old_notices_page_still_works(app, make_user, signed_in):
    member = make_user()
    moderation_notices.tell(member.id, "sanction", "You are muted for a day.")
    db.session.commit()
    client = signed_in(member)
    assert "You are muted for a day." in client.get("/notices").get_data(as_text=True)
    assert "You are muted for a day." in client.get("/notifications").get_data(as_text=True)


def test_the_live_push_reaches_only_that_member(app, make_user, signed_in, account_socket):
    member, other = make_user(), make_user()
    mine = account_socket(signed_in(member))
    theirs = account_socket(signed_in(other))
    assert mine.is_connected("/account") and theirs.is_connected("/account")
    notifications.notify(member.id, "reply_to_you", "Ann replied.", "/replies/1")
    db.session.commit()
    got = [p for p in mine.get_received("/account") if p["name"] == "notification:new"]
    assert len(got) == 1
    assert got[0]["args"][0] == {"kind": "reply_to_you", "text": "Ann replied.", "link": "/replies/1", "unread": 1}
    assert [p for p in theirs.get_received("/account") if p["name"] == "notification:new"] == []


def test_links_stay_on_this_site(app, make_user):
    member = make_user()
    for bad in ("javascript:alert(1)", "//evil.example/x", "https://evil.example/", "/\\evil.example"):
        assert notifications.notify(member.id, "moderation", "x", bad).link == ""
    assert notifications.notify(member.id, "moderation", "x", "/threads/3#r4").link == "/threads/3#r4"
