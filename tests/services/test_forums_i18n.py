"""Forum services in the reader's language: notifications go out in the recipient's, whoever caused them."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from debate.extensions import db
from debate.models.notifications import Notification
from debate.services.forums import follows
from debate.services.forums import posts as forums


def told(user, kind=None) -> list[str]:
    stmt = select(Notification.text).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def test_notifications_are_written_in_each_recipients_language(app, make_user, topic, forum_policy):
    author, welsh_follower, english_follower = make_user(name="Tia Thread"), make_user(), make_user()
    author.locale = "cy"
    welsh_follower.locale = "cy"
    db.session.commit()
    thread = forums.start_thread(author, "housing", "Biniau", "Bob pythefnos?").item
    follows.set_following(welsh_follower, thread.id, True)
    follows.set_following(english_follower, thread.id, True)
    replier = make_user(name="Rob Replier")
    with app.test_request_context("/ar/"), force_locale("ar"):  # the replier's own language is neither
        forums.post_reply(replier, thread.id, "Cytuno.")
    assert told(author) == ["Mae Rob Replier wedi ymateb i’ch edefyn “Biniau”."]
    assert told(welsh_follower) == ["Atebion newydd yn “Biniau”, edefyn rydych chi’n ei ddilyn."]
    assert told(english_follower) == ["New replies in “Biniau”, a thread you follow."]


def test_broadcasts_carry_every_language_and_default_to_english(app, make_user, topic, forum_policy, published):
    thread = forums.start_thread(make_user(), "housing", "Biniau", "Bob pythefnos?").item
    with app.test_request_context("/cy/"), force_locale("cy"):
        forums.post_reply(make_user(), thread.id, "Cytuno.", "for")
    [(_event, payload, _room, _ns)] = [e for e in published if e[0] == "forum:reply_new"]
    assert "For" in payload["html"] and "O blaid" not in payload["html"]
    welsh = payload["translations"]["cy"]
    assert "O blaid" in welsh["html"] and "1 ateb" in welsh["counts"]["heading"]
    assert "مؤيد" in payload["translations"]["ar"]["html"]
