"""Email: preferences, instant emails, the daily digest, and one-click unsubscribe without signing in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.base import utcnow
from debate.models.notifications import Notification
from debate.services import mail, notifications, tokens


def unsubscribe_path(message) -> str:
    found = re.search(r"http://localhost(/unsubscribe/[^\s>]+)", message.get_content())
    assert found, message.get_content()
    return found.group(1)


# --------------------------------------------------------------------------- preferences


def test_defaults_and_saving_preferences(app, make_user):
    member = make_user()
    prefs = notifications.preferences(member)
    assert prefs.email["reply_to_you"] == "instant" and prefs.email["followed_thread"] == "daily"
    assert not prefs.all_off
    form = {f"email-{k}": "off" for k in notifications.KINDS} | {"email-reply_to_you": "daily"}
    notifications.save_preferences(member, form)
    assert notifications.email_setting(member.id, "reply_to_you") == "daily"
    assert notifications.email_setting(member.id, "moderation") == "off"
    notifications.save_preferences(member, form | {"all_off": "1"})
    assert notifications.preferences(member).all_off
    assert notifications.email_setting(member.id, "reply_to_you") == "off"  # the switch wins
    notifications.save_preferences(member, form)
    assert notifications.email_setting(member.id, "reply_to_you") == "daily"


def test_a_bad_choice_is_refused_and_nothing_is_saved(app, make_user):
    member = make_user()
    with pytest.raises(ValidationError) as caught:
        notifications.save_preferences(member, {"email-reply_to_you": "off", "email-moderation": "hourly"})
    assert "Moderation decisions" in caught.value.message
    db.session.rollback()
    assert notifications.email_setting(member.id, "reply_to_you") == "instant"


def test_the_settings_page(app, make_user, signed_in):
    member = make_user()
    client = signed_in(member)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'id="email-reply_to_you-instant" name="email-reply_to_you" value="instant" checked' in page
    assert "Stop all notification emails" in page
    saved = client.post("/account/notifications", data={"email-reply_to_you": "off", "all_off": "1"})
    assert saved.status_code == 302
    assert notifications.preferences(member).all_off
    bad = client.post("/account/notifications", data={"email-reply_to_you": "<script>"})
    assert bad.status_code == 400 and "Choose how to be told about" in bad.get_data(as_text=True)


# --------------------------------------------------------------------------- instant


def test_an_instant_email_goes_after_the_commit_with_unsubscribe_headers(app, make_user):
    member = make_user()
    notifications.notify(member.id, "reply_to_you", "Ann replied to your thread “Bins”.", "/replies/7")
    assert mail.outbox() == []
    db.session.commit()
    [message] = mail.outbox()
    assert message["To"] == member.email and "Replies to you" in message["Subject"]
    body = message.get_content()
    assert "Ann replied to your thread “Bins”." in body and "http://localhost/replies/7" in body
    path = unsubscribe_path(message)
    assert message["List-Unsubscribe"] == f"<http://localhost{path}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://localhost/account/notifications" in body
    item = db.session.scalars(select(Notification)).one()
    assert item.emailed_at is not None


def test_no_email_when_off_daily_or_unconfirmed(app, make_user):
    member = make_user()
    unconfirmed = make_user(verified=False)
    notifications.notify(member.id, "followed_thread", "Daily by default.")
    notifications.notify(member.id, "question_approved", "Off by default.")
    notifications.notify(unconfirmed.id, "reply_to_you", "Not to an unconfirmed address.")
    db.session.commit()
    assert mail.outbox() == []


# --------------------------------------------------------------------------- digest


def test_the_digest_sends_one_email_of_daily_kinds_once(app, make_user):
    member, quiet = make_user(), make_user()
    notifications.notify(member.id, "followed_thread", "New replies in “Bins”.", "/replies/1")
    notifications.notify(member.id, "outcome_published", "An outcome for “Parks”.", "/outcomes/2")
    notifications.notify(member.id, "question_approved", "Off: never mailed.")
    notifications.notify(quiet.id, "followed_thread", "Read already.")
    db.session.commit()
    notifications.mark_read(quiet)
    assert notifications.send_digests() == 1
    [message] = mail.outbox()
    body = message.get_content()
    assert message["To"] == member.email and "digest" in message["Subject"]
    assert "New replies in “Bins”." in body and "An outcome for “Parks”." in body and "Off: never" not in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notifications.send_digests() == 0  # idempotent
    assert len(mail.outbox()) == 1
    notifications.notify(member.id, "followed_thread", "Something new.")
    db.session.commit()
    assert notifications.send_digests() == 1
    assert "Something new." in mail.outbox()[-1].get_content()
    assert "Bins" not in mail.outbox()[-1].get_content()


def test_the_digest_follows_the_current_settings_and_skips_instant_mail(app, make_user):
    member = make_user()
    notifications.notify(member.id, "reply_to_you", "Emailed at once.")
    notifications.notify(member.id, "followed_thread", "Old news.")
    db.session.commit()
    old = db.session.scalars(select(Notification).where(Notification.text == "Old news.")).one()
    old.created_at = utcnow() - timedelta(days=30)  # older than a digest reaches back
    db.session.commit()
    assert notifications.send_digests() == 0
    notifications.save_preferences(member, {"email-reply_to_you": "daily"})
    notifications.notify(member.id, "reply_to_you", "Now daily.")
    db.session.commit()
    assert notifications.send_digests() == 1
    body = mail.outbox()[-1].get_content()
    assert "Now daily." in body and "Emailed at once." not in body


def test_the_cli_sends_digests(app, make_user):
    member = make_user()
    notifications.notify(member.id, "followed_thread", "New replies.")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "Sent 1 digest." in runner.invoke(args=["send-digests"]).output
    assert "Sent 0 digests." in runner.invoke(args=["send-digests"]).output


# --------------------------------------------------------------------------- unsubscribe


def test_unsubscribe_without_signing_in_asks_first(app, make_user, client):
    member = make_user()
    notifications.notify(member.id, "reply_to_you", "Ann replied.")
    db.session.commit()
    path = unsubscribe_path(mail.outbox()[-1])
    shown = client.get(path)
    assert shown.status_code == 200 and "Stop emails about “Replies to you”" in shown.get_data(as_text=True)
    assert notifications.email_setting(member.id, "reply_to_you") == "instant"  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    assert notifications.email_setting(member.id, "reply_to_you") == "off"
    assert notifications.email_setting(member.id, "moderation") == "instant"
    assert client.post(path).status_code == 200  # twice is the same as once


def test_one_click_unsubscribe_rfc8058_with_csrf_on(app, make_user, client):
    app.config["WTF_CSRF_ENABLED"] = True
    member = make_user()
    path = "/unsubscribe/" + notifications.unsubscribe_token(member, "all")
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and done.get_data(as_text=True) == "You are unsubscribed.\n"
    assert notifications.preferences(member).all_off
    notifications.notify(member.id, "reply_to_you", "No email now.")
    db.session.commit()
    assert mail.outbox() == []
    assert client.post("/notifications/read").status_code in (302, 400)  # other forms still need CSRF


def forged(member, kind="reply_to_you", key="not-the-app-key", salt="cg-unsubscribe"):
    state = f"{kind}|{notifications._fingerprint(member)}"
    return URLSafeTimedSerializer(key, salt=salt).dumps({"u": member.id, "s": state})


def bad_tokens(app, member, other):
    good = notifications.unsubscribe_token(member, "reply_to_you")
    signer = app.config["SECRET_KEY"]
    return {
        "forged": forged(member),
        "tampered": good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb"),
        "wrong purpose": tokens.make("reset", member.id, "reply_to_you"),
        "other purpose, same shape": forged(member, key=signer, salt="cg-reset"),
        "wrong user": URLSafeTimedSerializer(signer, salt="cg-unsubscribe").dumps(
            {"u": other.id, "s": f"reply_to_you|{notifications._fingerprint(member)}"}
        ),
        "unknown kind": forged(member, kind="everything", key=signer),
        "garbage": "x" * 600,
    }


def test_bad_unsubscribe_links_are_refused_with_a_clear_page(app, make_user, client):
    member, other = make_user(), make_user()
    for name, token in bad_tokens(app, member, other).items():
        for method in (client.get, client.post):
            response = method(f"/unsubscribe/{token}")
            assert response.status_code == 400, name
            assert "This unsubscribe link does not work" in response.get_data(as_text=True), name
    assert notifications.email_setting(member.id, "reply_to_you") == "instant"
    assert notifications.email_setting(other.id, "reply_to_you") == "instant"


def test_a_closed_accounts_link_is_refused(app, make_user, client):
    member = make_user()
    token = notifications.unsubscribe_token(member, "all")
    member.deleted_at = utcnow()
    db.session.commit()
    assert client.post(f"/unsubscribe/{token}").status_code == 400
