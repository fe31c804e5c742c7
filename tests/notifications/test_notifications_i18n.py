"""Notifications and their emails in the RECIPIENT's language, whatever language caused them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from debate.extensions import db
from debate.models.notifications import Notification
from debate.services import mail, notifications
from debate.services.accounts import language


def welsh(user):
    language.record(user, "cy")
    return user


def test_a_notification_is_stored_in_the_welsh_members_language(app, make_user):
    member, english = welsh(make_user()), make_user()
    text = _l("Your notification settings are saved.")
    with app.test_request_context("/en/"):  # an English request causes it
        notifications.notify(member.id, "question_approved", text)
        notifications.notify(english.id, "question_approved", text)
        db.session.commit()
    stored = {n.user_id: n.text for n in db.session.scalars(select(Notification))}
    assert stored[member.id] == "Mae eich gosodiadau hysbysu wedi'u cadw."
    assert stored[english.id] == "Your notification settings are saved."


def test_an_instant_notification_email_is_welsh_for_a_welsh_member(app, make_user):
    member = welsh(make_user())
    with app.test_request_context("/en/"):
        notifications.notify(member.id, "reply_to_you", _l("You have signed out."), "/replies/7")
        db.session.commit()
    [message] = mail.outbox()
    assert message["Subject"] == "[Common Ground] Atebion i chi"
    body = message.get_content()
    assert "Rydych chi wedi allgofnodi." in body
    assert "Gweld yma: http://localhost/cy/replies/7" in body
    assert "Dewiswch pa negeseuon e-bost rydych chi'n eu cael: http://localhost/cy/account/notifications" in body
    assert "See it here" not in body


def test_the_daily_digest_is_welsh_with_welsh_plurals(app, make_user):
    member = welsh(make_user())
    notifications.notify(member.id, "followed_thread", "Atebion newydd yn “Biniau”.", "/replies/1")
    notifications.notify(member.id, "outcome_published", "Canlyniad i “Parciau”.", "/outcomes/2")
    db.session.commit()
    assert notifications.send_digests() == 1
    [message] = mail.outbox()
    assert message["Subject"] == "[Common Ground] Eich crynodeb dyddiol"
    body = message.get_content()
    assert "Mae gennych 2 hysbysiad newydd ar Common Ground:" in body
    assert "Eich holl hysbysiadau: http://localhost/cy/notifications" in body


def test_the_centre_and_settings_speak_welsh(app, make_user, signed_in):
    member = make_user(name="سارة")
    notifications.notify(member.id, "reply_to_you", "سارة replied.", "/replies/1")
    db.session.commit()
    client = signed_in(member)
    page = client.get("/cy/notifications").get_data(as_text=True).replace("&#39;", "'")
    assert "<h1>Hysbysiadau</h1>" in page and "Nodi'r cyfan fel wedi'u darllen" in page
    assert '<p dir="auto"><a href="/replies/1">سارة replied.</a></p>' in page
    settings = client.get("/cy/account/notifications").get_data(as_text=True).replace("&#39;", "'")
    assert "Atal pob neges e-bost hysbysu" in settings and "Mewn crynodeb dyddiol" in settings
    arabic = client.get("/ar/notifications").get_data(as_text=True).replace("&#39;", "'")
    assert "تحديد الكل كمقروء" in arabic and 'dir="rtl"' in arabic
