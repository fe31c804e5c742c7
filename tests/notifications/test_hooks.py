"""Who is told what: replies, followed threads, live questions, sessions starting, and personal data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from debate.extensions import db
from debate.models.base import utcnow
from debate.models.notifications import Notification, SessionFollow
from debate.services import notifications, privacy
from debate.services.forums import follows
from debate.services.forums import posts as forums
from debate.services.live import follows as session_follows
from debate.services.live import questions as live_questions


def told(user, kind=None) -> list[str]:
    stmt = select(Notification.text).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


# --------------------------------------------------------------------------- forums


def test_a_reply_tells_the_thread_author_and_followers_but_not_its_author(app, make_user, topic, forum_policy):
    author, follower, replier = make_user(name="Tia Thread"), make_user(), make_user(name="Rob Replier")
    thread = forums.start_thread(author, "housing", "Bin collections", "Fortnightly is not enough.").item
    follows.set_following(follower, thread.id, True)
    follows.set_following(replier, thread.id, True)
    forums.post_reply(replier, thread.id, "I agree with this.")
    assert told(author) == ["Rob Replier replied to your thread “Bin collections”."]  # not also as a follower
    assert told(follower, "followed_thread") == ["New replies in “Bin collections”, a thread you follow."]
    assert told(replier) == []
    forums.post_reply(author, thread.id, "Thanks, Rob.")
    assert told(author) == ["Rob Replier replied to your thread “Bin collections”."]  # nobody is told of their own


def test_quoting_a_reply_tells_its_author(app, make_user, topic, forum_policy):
    author, first, quoter = make_user(), make_user(name="Fay First"), make_user(name="Quin Quoter")
    thread = forums.start_thread(author, "housing", "Parking", "Too few spaces.").item
    quoted = forums.post_reply(first, thread.id, "More bays please.").item
    forums.post_reply(quoter, thread.id, "Which street?", quote_of_id=quoted.id)
    assert told(first, "reply_to_you") == ["Quin Quoter replied to your reply in “Parking”."]
    assert told(first, "followed_thread") == []


def test_a_busy_thread_tells_a_follower_once_until_they_read(app, make_user, topic, forum_policy):
    author, follower = make_user(), make_user()
    thread = forums.start_thread(author, "housing", "Busy one", "Discuss.").item
    follows.set_following(follower, thread.id, True)
    for n in range(5):
        forums.post_reply(make_user(), thread.id, f"Reply number {n}.")
    assert len(told(follower, "followed_thread")) == 1
    notifications.mark_read(follower)
    forums.post_reply(make_user(), thread.id, "One more.")
    assert len(told(follower, "followed_thread")) == 2


def test_a_held_reply_tells_nobody(app, make_user, topic, forum_policy):
    import moderation
    from debate.services import publishing

    author = make_user()
    thread = forums.start_thread(author, "housing", "Held replies", "Discuss.").item
    publishing.set_policy_provider(moderation.Policy)  # new accounts' first posts wait for review
    posted = forums.post_reply(make_user(), thread.id, "My first reply, held.")
    assert posted.held and told(author) == []


# --------------------------------------------------------------------------- live questions


def test_an_approved_question_tells_the_asker_once(app, live, people, forum_policy):
    asker = people["resident"]
    question = live_questions.ask(asker, live.id, "When will the repairs start?")
    assert question.state == "held"
    live_questions.approve(people["moderator"], question.id)
    assert told(asker, "question_approved") == [
        "Moderators approved your question in “Housing: ask your councillors”: everyone in the session can see it."
    ]
    assert told(asker, "moderation") == []  # not told twice
    [item] = db.session.scalars(select(Notification).where(Notification.user_id == asker.id)).all()
    assert item.link == f"/sessions/{live.id}#q{question.id}"


def test_a_rejected_question_tells_the_asker_why(app, live, people, forum_policy):
    asker = people["resident"]
    question = live_questions.ask(asker, live.id, "Why is the leader so useless?")
    live_questions.reject(people["moderator"], question.id, "abuse_harassment", "Ask about policy.")
    [text] = told(asker)
    assert "was not published" in text and "Reason: Abuse or harassment" in text and "Ask about policy." in text
    assert told(asker, "question_rejected") == [text]
    assert "Ask about policy." in client_notices_text(asker)


def client_notices_text(user) -> str:
    from debate.models.moderation import ModerationNotice

    return " ".join(db.session.scalars(select(ModerationNotice.text).where(ModerationNotice.user_id == user.id)))


def test_an_answered_question_tells_the_asker(app, live, people, forum_policy):
    asker = people["resident"]
    question = live_questions.ask(asker, live.id, "When will the repairs start?")
    live_questions.approve(people["moderator"], question.id)
    live_questions.answer(people["councillor"], question.id)
    assert told(asker, "question_answered") == [
        "Your question in “Housing: ask your councillors” was answered live by Cllr Amina Shah."
    ]


# --------------------------------------------------------------------------- sessions starting


def test_followers_are_told_once_when_a_session_is_about_to_start(app, schedule, people, signed_in):
    live = schedule()  # starts in an hour
    follower, other = people["resident"], people["resident2"]
    client = signed_in(follower)
    assert client.post(f"/sessions/{live.id}/follow").status_code == 302
    assert session_follows.is_following(follower, live.id)
    assert session_follows.notify_starting(utcnow() - timedelta(minutes=30)) == 0  # not yet within the hour
    runner = app.test_cli_runner()
    assert "Told 1 follower " in runner.invoke(args=["notify-sessions"]).output
    assert "Told 0 followers" in runner.invoke(args=["notify-sessions"]).output
    [text] = told(follower, "session_starting")
    assert text.startswith("“Housing: ask your councillors” starts in ") and told(other) == []
    db.session.expire_all()
    assert db.session.scalars(select(SessionFollow.notified_start_at)).one() == live.starts_at


def test_following_toggles_and_needs_a_sign_in(app, schedule, people, signed_in, client):
    live = schedule()
    assert client.post(f"/sessions/{live.id}/follow").status_code == 302
    assert db.session.scalars(select(SessionFollow)).all() == []
    member = signed_in(people["resident"])
    member.post(f"/sessions/{live.id}/follow")
    member.post(f"/sessions/{live.id}/follow")
    assert not session_follows.is_following(people["resident"], live.id)
    assert member.post("/sessions/999999/follow").status_code == 302
    assert db.session.scalars(select(SessionFollow)).all() == []


# --------------------------------------------------------------------------- personal data


def test_download_my_data_has_notifications_and_deletion_erases_them(app, make_user, schedule, people):
    member = people["resident"]
    notifications.notify(member.id, "reply_to_you", "Ann replied.", "/replies/1")
    db.session.commit()
    notifications.save_preferences(member, {"email-reply_to_you": "daily"})
    session_follows.set_following(member, schedule().id, True)
    data = privacy.export_user(member)["sections"]["notifications"]["data"]
    assert data["notifications"][0]["text"] == "Ann replied." and data["notifications"][0]["link"] == "/replies/1"
    assert data["email_preferences"]["reply_to_you"] == "daily"
    assert len(data["sessions_followed"]) == 1
    privacy.delete_user(member, password_ok=True, remove_content=False)
    for model in (Notification, SessionFollow):
        assert db.session.scalars(select(model).where(model.user_id == member.id)).all() == []


def test_the_follow_state_is_a_template_global(app, schedule, people):
    from flask import render_template_string
    from flask_login import login_user

    live = schedule()
    session_follows.set_following(people["resident"], live.id, True)
    with app.test_request_context():
        assert render_template_string("{{ session_following(sid) }}", sid=live.id) == "False"  # a visitor
        login_user(people["resident"])
        assert render_template_string("{{ session_following(sid) }}", sid=live.id) == "True"
