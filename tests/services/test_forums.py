"""Forum services: posting, the moderation gate, editing windows, deleting, locking, stance balance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, NotSignedIn, PermissionDenied, RateLimited, ValidationError
from debate.extensions import db
from debate.models import Reply, Revision, Role, Thread, ThreadFollow
from debate.services import (
    content,
    publishing,
    submissions,
)
from debate.services.forums import access as forum_access
from debate.services.forums import content as forum_content  # noqa: F401  (forum_content registers the types)
from debate.services.forums import posts as forums

pytestmark = pytest.mark.usefixtures("forum_policy")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def fresh(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


@pytest.fixture
def thread(make_user, topic):
    author = make_user(name="Olu Opener")
    return forums.start_thread(author, "housing", "Homes on the depot site", "Should the depot become homes?").item


def events_named(published, name):
    return [e for e in published if e[0] == name]


# --- starting threads ----------------------------------------------------------------------------


def test_start_thread_publishes_and_the_author_follows_it(make_user, topic):
    author = make_user()
    posted = forums.start_thread(author, "housing", "  Rent  caps?  ", "  What do you **think**?  ")
    thread = fresh(posted.item)
    assert posted.created and not posted.held
    assert thread.state == "published" and thread.title == "Rent caps?" and thread.body == "What do you **think**?"
    assert thread.fingerprint  # stored for the moderation engine's duplicate rule
    assert db.session.scalar(select(ThreadFollow.user_id).where(ThreadFollow.thread_id == thread.id)) == author.id


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Body text here", "title"),
        ("   ", "Body text here", "title"),
        ("Abc", "Body text here", "title"),
        ("x" * 151, "Body text here", "title"),
        ("A good title", "", "body"),
        ("A good title", " \n\t ", "body"),
        ("A good title", "x" * 10_001, "body"),
        ("A good title", None, "body"),
        ("Title\u202e reversed", "Body text here", "title"),
    ],
)
def test_start_thread_refuses_bad_input_and_writes_nothing(make_user, topic, title, body, field):
    with pytest.raises(ValidationError) as caught:
        forums.start_thread(make_user(), "housing", title, body)
    assert caught.value.field == field
    assert caught.value.message
    assert count(Thread) == 0


def test_start_thread_in_a_missing_topic_is_not_found(make_user, topic):
    with pytest.raises(NotFound):
        forums.start_thread(make_user(), "no-such-topic", "A good title", "Body")
    assert count(Thread) == 0


def test_posting_needs_a_signed_in_member_with_a_confirmed_email(make_user, topic):
    with pytest.raises(NotSignedIn):
        forums.start_thread(None, "housing", "A good title", "Body")
    with pytest.raises(PermissionDenied, match="confirm your email"):
        forums.start_thread(make_user(verified=False), "housing", "A good title", "Body")
    assert count(Thread) == 0


def test_a_new_accounts_first_posts_are_held_with_the_reason_and_not_broadcast(make_user, thread, published):
    import moderation

    newcomer = make_user()
    default = publishing._policy_provider
    publishing.set_policy_provider(moderation.Policy)  # the engine's defaults: new accounts' first posts wait
    try:
        posted = forums.start_thread(newcomer, "housing", "A good title", "My very first post here")
        reply = forums.post_reply(newcomer, thread.id, "My first reply, also held.")
    finally:
        publishing.set_policy_provider(default)
    assert posted.held and fresh(posted.item).state == "held"
    assert "checked by a moderator" in posted.reason
    assert reply.held and fresh(reply.item).state == "held"
    assert events_named(published, "forum:reply_new") == []
    assert fresh(thread).reply_count == 0 and fresh(thread).listed_count == 0
    # Only the author (and moderators) can see held content.
    with pytest.raises(NotFound):
        forum_access.get_thread(make_user(), posted.item.id)
    assert forum_access.get_thread(newcomer, posted.item.id).id == posted.item.id
    assert forum_access.get_reply(make_user(Role.MODERATOR), reply.item.id).id == reply.item.id


# --- replies ---------------------------------------------------------------------------------------


def test_reply_is_counted_and_broadcast_to_the_thread_room(make_user, thread, published):
    reply = forums.post_reply(make_user(name="Rae Replier"), thread.id, "I am *for* it.", "for").item
    t = fresh(thread)
    assert (t.reply_count, t.listed_count, t.stance_for) == (1, 1, 1)
    [(event, payload, room, namespace)] = events_named(published, "forum:reply_new")
    assert room == f"thread:{thread.id}" and namespace == "/"
    assert payload["reply_id"] == reply.id and payload["thread_id"] == thread.id
    assert "<em>for</em>" in payload["html"] and "Rae Replier" in payload["html"]
    assert 'name="csrf_token" value=""' in payload["html"]  # no one's token in a broadcast


def test_stance_balance_counts_each_stance(make_user, thread):
    for stance in ("for", "for", "against", "neutral", "question", "question", "question", None):
        forums.post_reply(make_user(), thread.id, f"My view, as {stance}.", stance)
    assert fresh(thread).stance_counts() == {"for": 2, "against": 1, "neutral": 1, "question": 3}
    assert fresh(thread).reply_count == 8


@pytest.mark.parametrize(
    ("body", "stance", "field"),
    [
        ("", None, "body"),
        ("   \n  ", None, "body"),
        ("x" * 5_001, None, "body"),
        ("Fine", "maybe", "stance"),
        ("Bell \x07 character", None, "body"),
    ],
)
def test_reply_refuses_bad_input_and_writes_nothing(make_user, thread, body, stance, field):
    with pytest.raises(ValidationError) as caught:
        forums.post_reply(make_user(), thread.id, body, stance)
    assert caught.value.field == field
    assert count(Reply) == 0 and fresh(thread).reply_count == 0


def test_reply_to_a_missing_thread_is_not_found(make_user, topic):
    with pytest.raises(NotFound):
        forums.post_reply(make_user(), 999_999, "Hello there")
    assert count(Reply) == 0


def test_the_same_form_sent_twice_posts_once(make_user, thread, published):
    user = make_user()
    first = forums.post_reply(user, thread.id, "Only once please", submission_key="key-1234567890")
    second = forums.post_reply(user, thread.id, "Only once please", submission_key="key-1234567890")
    assert first.created and not second.created and first.item.id == second.item.id
    assert count(Reply) == 1 and fresh(thread).reply_count == 1
    assert len(events_named(published, "forum:reply_new")) == 1


def test_the_same_text_again_without_the_key_is_refused_by_the_duplicate_rule(make_user, thread):
    user = make_user()
    forums.post_reply(user, thread.id, "Exactly the same words twice")
    with pytest.raises(ValidationError, match="same"):
        forums.post_reply(user, thread.id, "Exactly the same words twice")
    assert count(Reply) == 1


def test_the_engine_rate_limit_is_reported_as_rate_limited(app, make_user, thread):
    import moderation

    strict = moderation.Policy(
        new_accounts=moderation.NewAccountRules(hold_first_posts=0),
        rate_limits=(moderation.RateLimit(2, timedelta(minutes=1)),),
    )
    previous = publishing._policy_provider
    publishing.set_policy_provider(lambda: strict)
    try:
        user = make_user()
        forums.post_reply(user, thread.id, "First of my replies")
        forums.post_reply(user, thread.id, "Second of my replies")
        with pytest.raises(RateLimited):
            forums.post_reply(user, thread.id, "Third of my replies")
    finally:
        publishing.set_policy_provider(previous)
    assert count(Reply) == 2


def test_quote_reply_must_quote_a_shown_reply_in_the_same_thread(make_user, thread, topic):
    quoted = forums.post_reply(make_user(), thread.id, "Quote me").item
    reply = forums.post_reply(make_user(), thread.id, "I agree with that", quote_of_id=str(quoted.id)).item
    assert fresh(reply).quote_of_id == quoted.id
    other = forums.start_thread(make_user(), "housing", "Another thread", "Elsewhere").item
    elsewhere = forums.post_reply(make_user(), other.id, "Reply elsewhere").item
    for bad in (elsewhere.id, 999_999, "abc"):
        with pytest.raises(ValidationError) as caught:
            forums.post_reply(make_user(), thread.id, "Quoting badly", quote_of_id=bad)
        assert caught.value.field == "quote_of"


def test_locked_thread_takes_no_replies(make_user, thread):
    moderator = make_user(Role.MODERATOR)
    forums.set_locked(moderator, thread.id, True)
    with pytest.raises(Conflict, match="locked"):
        forums.post_reply(make_user(), thread.id, "Too late")
    assert count(Reply) == 0
    forums.set_locked(moderator, thread.id, False)
    forums.post_reply(make_user(), thread.id, "Open again")
    assert count(Reply) == 1


def test_only_moderators_and_admins_lock_threads(make_user, thread):
    for role in (Role.RESIDENT, Role.REPRESENTATIVE):
        with pytest.raises(PermissionDenied):
            forums.set_locked(make_user(role), thread.id, True)
    assert not fresh(thread).locked
    forums.set_locked(make_user(Role.ADMIN), thread.id, True)
    assert fresh(thread).locked
    with pytest.raises(Conflict):
        forums.set_locked(make_user(Role.ADMIN), thread.id, True)


# --- editing ---------------------------------------------------------------------------------------


def test_edit_within_the_window_keeps_the_old_version(make_user, thread, published):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Frist version", "for").item
    forums.edit_reply(author, reply.id, "First version", "against")
    reply = fresh(reply)
    assert reply.body == "First version" and reply.stance == "against" and reply.edited_at is not None
    assert fresh(thread).stance_counts()["against"] == 1 and fresh(thread).stance_counts()["for"] == 0
    item, revisions = forums.history(None, "reply", reply.id)
    assert [(r.body, r.stance) for r in revisions] == [("Frist version", "for")]
    [changed] = events_named(published, "forum:reply_changed")
    assert "First version" in changed[1]["html"]


def test_changing_only_the_stance_is_an_edit_too(make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Still the same words", "for").item
    forums.edit_reply(author, reply.id, "Still the same words", "neutral")
    assert fresh(reply).stance == "neutral"


def test_edit_after_the_window_is_refused(app, make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Written long ago").item
    reply.created_at -= timedelta(minutes=app.config["FORUM_EDIT_MINUTES"] + 1)
    db.session.commit()
    with pytest.raises(Conflict, match="minutes"):
        forums.edit_reply(author, reply.id, "Rewritten")
    assert fresh(reply).body == "Written long ago" and count(Revision) == 0


def test_edit_of_someone_elses_reply_is_refused(make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Mine").item
    with pytest.raises(PermissionDenied):
        forums.edit_reply(make_user(), reply.id, "Hijacked")
    assert fresh(reply).body == "Mine"


def test_edit_without_changes_and_with_bad_input_is_refused(make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Unchanged text").item
    with pytest.raises(ValidationError, match="not changed"):
        forums.edit_reply(author, reply.id, "Unchanged text")
    with pytest.raises(ValidationError):
        forums.edit_reply(author, reply.id, "   ")
    assert count(Revision) == 0


def test_edit_thread_title_and_body(make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Typo in titel", "Body").item
    forums.edit_thread(author, thread.id, "Typo in title", "Body, better")
    thread = fresh(thread)
    assert (thread.title, thread.body) == ("Typo in title", "Body, better") and thread.edited_at
    _, revisions = forums.history(None, "thread", thread.id)
    assert revisions[0].title == "Typo in titel"


def test_edit_in_a_locked_thread_is_refused(make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Before the lock").item
    forums.set_locked(make_user(Role.MODERATOR), thread.id, True)
    with pytest.raises(Conflict, match="locked"):
        forums.edit_reply(author, reply.id, "After the lock")


# --- deleting ---------------------------------------------------------------------------------------


def test_author_deletion_leaves_a_placeholder_and_fixes_the_counts(app, client, make_user, thread, published):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Regrettable words", "against").item
    with pytest.raises(PermissionDenied):
        forums.delete_reply(make_user(), reply.id)
    forums.delete_reply(author, reply.id)
    reply, t = fresh(reply), fresh(thread)
    assert reply.state == "withdrawn"
    assert (t.reply_count, t.listed_count, t.stance_against) == (0, 1, 0)
    [changed] = events_named(published, "forum:reply_changed")
    assert "Deleted by its author" in changed[1]["html"] and "Regrettable" not in changed[1]["html"]
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Deleted by its author" in page and "Regrettable words" not in page
    with pytest.raises(Conflict):
        forums.delete_reply(author, reply.id)


def test_author_deletes_their_thread_and_the_replies_stay(client, make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Delete me later", "Opening words").item
    forums.post_reply(make_user(), thread.id, "A reply that stays")
    forums.delete_thread(author, thread.id)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Deleted by its author" in page and "A reply that stays" in page and "Opening words" not in page
    assert "closed to new replies" in page


# --- the moderation registry ----------------------------------------------------------------------


def test_forum_types_are_registered_for_moderation(make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Describe me").item
    thread_type, row = content.load("thread", thread.id)
    ref = thread_type.describe(row)
    assert (ref.type, ref.title, ref.text, ref.url) == ("thread", thread.title, row.body, f"/threads/{thread.id}")
    reply_type, row = content.load("reply", reply.id)
    ref = reply_type.describe(row)
    assert (ref.type, ref.author_id, ref.text, ref.url) == (
        "reply",
        reply.author_id,
        "Describe me",
        f"/replies/{reply.id}",
    )
    assert reply_type.kind.value == "reply" and thread_type.kind.value == "thread"


def test_moderator_text_change_forgets_the_history(make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "My phone is 0700 000000").item
    forums.edit_reply(author, reply.id, "My phone is 0700 000001")
    reply_type, row = content.load("reply", reply.id)
    reply_type.set_text(row, "My phone is [removed]")
    db.session.commit()
    assert count(Revision) == 0 and fresh(reply).body == "My phone is [removed]"


def test_after_change_recounts_and_rebroadcasts(make_user, thread, published):
    reply = forums.post_reply(make_user(), thread.id, "Hide me", "for").item
    reply_type, row = content.load("reply", reply.id)
    row.state, row.state_category = "hidden", "spam"
    db.session.commit()
    reply_type.after_change(row)
    t = fresh(thread)
    assert (t.reply_count, t.listed_count, t.stance_for) == (0, 1, 0)
    [changed] = events_named(published, "forum:reply_changed")
    assert "Hidden by moderators: Spam" in changed[1]["html"] and "Hide me" not in changed[1]["html"]


def test_held_reply_approved_later_is_broadcast_then(make_user, thread, published):
    reply = forums.post_reply(make_user(), thread.id, "Waiting").item
    reply.state = "held"
    forums.recount(thread)
    db.session.commit()
    published.clear()
    reply_type, row = content.load("reply", reply.id)
    row.state = "approved"
    db.session.commit()
    reply_type.after_change(row)
    [changed] = events_named(published, "forum:reply_changed")
    assert "Waiting" in changed[1]["html"] and fresh(thread).reply_count == 1


# --- what open pages are sent when a thread changes (issue 12, item 19) --------------------------------------


def test_new_and_changed_replies_carry_the_count_and_balance_as_the_page_renders_them(make_user, thread, published):
    forums.post_reply(make_user(), thread.id, "For it", "for")
    [new] = events_named(published, "forum:reply_new")
    counts = new[1]["counts"]
    assert '<h2 id="replies-heading">1 reply</h2>' in counts["heading"]
    assert 'id="balance"' in counts["balance"] and "For: <strong>1</strong>" in counts["balance"]
    reply = forums.post_reply(make_user(), thread.id, "Against it", "against").item
    reply_type, row = content.load("reply", reply.id)
    row.state, row.state_category = "hidden", "spam"
    db.session.commit()
    reply_type.after_change(row)
    [changed] = events_named(published, "forum:reply_changed")
    assert changed[1]["public"] is False
    assert "1 reply</h2>" in changed[1]["counts"]["heading"]
    assert "Against: <strong>0</strong>" in changed[1]["counts"]["balance"]


def test_a_hidden_reply_leaves_the_quotes_of_it_and_the_official_response(make_user, thread, published):
    from debate.services.forums import votes

    councillor = make_user(Role.REPRESENTATIVE)
    official = forums.post_reply(councillor, thread.id, "The council will consult on the depot in May.").item
    votes.set_official(councillor, official.id, True)
    forums.post_reply(make_user(), thread.id, "Good to hear.", quote_of_id=official.id)
    published.clear()
    reply_type, row = content.load("reply", official.id)
    row.state, row.state_category = "hidden", "other"
    db.session.commit()
    reply_type.after_change(row)
    [changed] = events_named(published, "forum:reply_changed")
    payload = changed[1]
    assert payload["official_html"] == ""  # the official response section goes
    assert f'data-quote-of="{official.id}"' in payload["quote_html"]
    assert "consult on the depot" not in payload["quote_html"] and "Hidden by moderators" in payload["quote_html"]
    assert "consult on the depot" not in str(payload)


def test_a_thread_taken_down_sends_its_placeholder(make_user, thread, published):
    thread_type, row = content.load("thread", thread.id)
    row.state, row.state_category = "hidden", "spam"
    db.session.commit()
    thread_type.after_change(row)
    [changed] = events_named(published, "forum:thread_changed")
    html = changed[1]["html"]
    assert 'id="thread"' in html and "Hidden by moderators: Spam" in html
    assert "Homes on the depot site" not in html and "Should the depot become homes?" not in html


def test_a_public_thread_change_sends_no_fragment(make_user, thread, published):
    moderator = make_user(Role.MODERATOR)
    forums.set_locked(moderator, thread.id, True)
    [changed] = events_named(published, "forum:thread_changed")
    assert "html" not in changed[1] and changed[1]["locked"] is True


def test_the_same_key_at_the_same_moment_posts_once(make_user, thread, monkeypatch):
    """Two requests with one key both pass the first look; the unique key decides and the second gets the first's
    row back (`submissions.after_race`, shared with live questions)."""
    user = make_user()
    first = forums.post_reply(user, thread.id, "Sent from the first tab", submission_key="key-race-123")
    real, looks = submissions.earlier, []

    def earlier(*args):  # the second request looks before the first has committed: nothing yet
        looks.append(args)
        return None if len(looks) == 1 else real(*args)

    monkeypatch.setattr(submissions, "earlier", earlier)
    second = forums.post_reply(user, thread.id, "Sent from the second tab", submission_key="key-race-123")
    assert not second.created and second.item.id == first.item.id
    assert count(Reply) == 1 and len(looks) == 2
