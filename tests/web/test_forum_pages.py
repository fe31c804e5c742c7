"""Forum pages over HTTP, as a person without JavaScript uses them: forms, errors, redirects, placeholders."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from debate.extensions import db
from debate.models import Reply, Role, Thread, Topic
from debate.services.forums import posts as forums
from debate.services.forums import votes

pytestmark = pytest.mark.usefixtures("forum_policy")


def html(response) -> str:
    return response.get_data(as_text=True)


def replies() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Reply))


def error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Tess Thread"), "housing", "Depot homes", "Homes or buses?").item


def test_home_lists_topics_with_activity(client, make_user, thread):
    forums.post_reply(make_user(), thread.id, "One reply")
    page = html(client.get("/"))
    assert 'href="/topics/housing"' in page
    assert "1 thread · 1 reply · last active" in page


def test_topic_page_lists_threads_with_counts_and_stances(client, make_user, thread):
    forums.post_reply(make_user(), thread.id, "For it", "for")
    page = html(client.get("/topics/housing"))
    assert "Depot homes" in page and "1 reply" in page and "For 1" in page
    assert client.get("/topics/nope").status_code == 404
    assert client.get("/topics/housing?page=2").status_code == 404
    assert client.get("/topics/housing?page=abc").status_code == 404


def test_start_thread_through_the_form(client, login, make_user, topic):
    login(make_user())
    form = html(client.get("/topics/housing/new"))
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    response = client.post(
        "/topics/housing/new", data={"title": "Bus routes", "body": "Keep the 12", "submission_key": key}
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"].endswith(f"/threads/{thread.id}")
    assert "Your thread is posted." in html(client.get(response.headers["Location"]))


def test_start_thread_errors_keep_what_was_typed(client, login, make_user, topic):
    login(make_user())
    response = client.post("/topics/housing/new", data={"title": "Bus", "body": "My <b>careful</b> words"})
    assert response.status_code == 400
    page = html(response)
    assert "Title must be at least 5 characters." in error_summary(page)
    assert "My &lt;b&gt;careful&lt;/b&gt; words" in page and 'aria-invalid="true"' in page


def test_reading_needs_no_account_but_posting_does(client, thread):
    page = html(client.get(f"/threads/{thread.id}"))
    assert (
        "Depot homes" in page and "Sign in to reply" in page and 'action="/threads/' not in page.split("reply-form")[1]
    )
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Anonymous"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert replies() == 0


def test_reply_form_posts_and_redirects_to_the_reply(client, login, make_user, thread):
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Buses *first*", "stance": "against"})
    reply = db.session.scalar(select(Reply))
    assert response.headers["Location"].endswith(f"/replies/{reply.id}")
    landing = client.get(response.headers["Location"])
    assert landing.headers["Location"].endswith(f"/threads/{thread.id}#reply-{reply.id}")
    page = html(client.get(landing.headers["Location"]))
    assert "Your reply is posted." in page and "<em>first</em>" in page and "Against" in page


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"body": ""}, "Write your reply before sending it.", "body"),
        ({"body": "   \n\t"}, "Write your reply before sending it.", "body"),
        ({"body": "x" * 5001}, "Your reply is too long", "body"),
        ({"body": "Fine words", "stance": "sideways"}, "Choose for, against", "stance"),
        ({"body": "Fine words", "quote_of": "999999"}, "You can only quote", "quote_of"),
    ],
)
def test_reply_bad_input_shows_the_error_and_writes_nothing(client, login, make_user, thread, data, message, field):
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data=data)
    assert response.status_code == 400
    assert message in error_summary(html(response))
    assert replies() == 0


def test_double_submit_posts_once_with_a_clear_message(client, login, make_user, thread):
    login(make_user())
    form = html(client.get(f"/threads/{thread.id}"))
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    data = {"body": "Pressed twice", "submission_key": key}
    first = client.post(f"/threads/{thread.id}/replies", data=data)
    second = client.post(f"/threads/{thread.id}/replies", data=data)
    assert first.status_code == second.status_code == 302
    assert replies() == 1
    page = html(client.get(client.get(second.headers["Location"]).headers["Location"]))
    assert "You had already sent this reply, so it was posted once." in page


def test_reply_to_a_missing_or_locked_thread(client, login, make_user, thread):
    login(make_user())
    assert client.post("/threads/999999/replies", data={"body": "Hello"}).status_code == 404
    forums.set_locked(make_user(Role.MODERATOR), thread.id, True)
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Hello there"})
    assert response.status_code == 409
    assert "This thread is locked" in error_summary(html(response))
    assert "This thread is locked: it takes no new replies." in html(client.get(f"/threads/{thread.id}"))
    assert replies() == 0


def test_unconfirmed_member_cannot_reply(client, login, make_user, thread):
    login(make_user(verified=False))
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Hello there"})
    assert response.status_code == 403 and "confirm your email" in html(response)
    assert replies() == 0


def test_wrong_role_cannot_lock_or_manage_topics(client, login, make_user, thread):
    login(make_user())
    client.post(f"/threads/{thread.id}/lock", data={"action": "lock"})
    db.session.expire_all()
    assert not db.session.get(Thread, thread.id).locked
    response = client.post("/topics/new", data={"title": "Defence", "description": "x", "scope": "national"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Topic)) == 1


def test_admin_creates_and_edits_a_topic(client, login, make_user):
    login(make_user(Role.ADMIN))
    response = client.post(
        "/topics/new", data={"title": "Foreign policy", "description": "Abroad.", "scope": "international"}
    )
    assert response.headers["Location"].endswith("/topics/foreign-policy")
    assert "International issue" in html(client.get("/topics/foreign-policy"))
    client.post(
        "/topics/foreign-policy/edit", data={"title": "Foreign affairs", "description": "", "scope": "international"}
    )
    assert "Foreign affairs" in html(client.get("/topics/foreign-policy"))
    duplicate = client.post("/topics/new", data={"title": "Foreign affairs", "description": "", "scope": "national"})
    assert duplicate.status_code == 409


def test_quote_link_prefills_the_form(client, login, make_user, thread):
    quoted = forums.post_reply(make_user(name="Quinn Quoted"), thread.id, "Quote **this** please").item
    login(make_user())
    landing = client.get(f"/replies/{quoted.id}?quote=1")
    assert landing.headers["Location"].endswith(f"/threads/{thread.id}?quote={quoted.id}#reply-form")
    page = html(client.get(landing.headers["Location"]))
    assert f'name="quote_of" value="{quoted.id}"' in page and "You are quoting <bdi>Quinn Quoted</bdi>" in page
    client.post(f"/threads/{thread.id}/replies", data={"body": "Agreed", "quote_of": str(quoted.id)})
    page = html(client.get(f"/threads/{thread.id}"))
    assert "Quoting <a" in page and "Quote this please" in page


def test_edit_form_marks_edited_and_shows_history(client, login, make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Frist draft").item
    login(author)
    assert "Frist draft" in html(client.get(f"/replies/{reply.id}/edit"))
    client.post(f"/replies/{reply.id}/edit", data={"body": "First draft", "stance": ""})
    page = html(client.get(f"/threads/{thread.id}"))
    assert "First draft" in page and f'href="/replies/{reply.id}/history"' in page and ">edited<" in page
    history = html(client.get(f"/replies/{reply.id}/history"))
    assert "Frist draft" in history and "First draft" in history


def test_someone_else_cannot_edit_or_delete(client, login, make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Not yours").item
    login(make_user())
    assert client.get(f"/replies/{reply.id}/edit").status_code == 403
    client.post(f"/replies/{reply.id}/edit", data={"body": "Changed"})
    client.post(f"/replies/{reply.id}/delete")
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).body == "Not yours" and db.session.get(Reply, reply.id).state == "published"


def test_delete_asks_first_then_leaves_a_placeholder(client, login, make_user, thread):
    author = make_user()
    reply = forums.post_reply(author, thread.id, "Delete me").item
    login(author)
    assert "Delete your reply?" in html(client.get(f"/replies/{reply.id}/delete"))
    client.post(f"/replies/{reply.id}/delete")
    page = html(client.get(f"/threads/{thread.id}"))
    assert "Deleted by its author" in page and "Delete me" not in page


def test_moderated_placeholders_and_own_held_reply(client, login, make_user, thread):
    author = make_user(name="Holly Held")
    hidden = forums.post_reply(make_user(), thread.id, "Spammy text").item
    held = forums.post_reply(author, thread.id, "Waiting words").item
    db.session.get(Reply, hidden.id).state = "hidden"
    db.session.get(Reply, hidden.id).state_category = "spam"
    db.session.get(Reply, held.id).state = "held"
    db.session.get(Reply, held.id).state_note = "Welcome! Your first posts are checked."
    forums.recount(db.session.get(Thread, thread.id))
    db.session.commit()
    page = html(client.get(f"/threads/{thread.id}"))
    assert "Hidden by moderators: Spam" in page and "Spammy text" not in page and "Waiting words" not in page
    login(author)
    page = html(client.get(f"/threads/{thread.id}"))
    assert "Your replies awaiting review" in page and "Waiting words" in page
    assert "Awaiting review." in page and "Your first posts are checked." in page


def test_verified_badge_and_official_response_at_the_top(client, make_user, thread):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Ada")
    answer = forums.post_reply(rep, thread.id, "The council's answer").item
    votes.set_official(rep, answer.id, True)
    page = html(client.get(f"/threads/{thread.id}"))
    official = page.index('id="official-heading"')
    replies_heading = page.index('id="replies-heading"')
    assert official < page.index("s answer</p>") < replies_heading
    assert "✔ Verified Councillor" in page and "Official response" in page


def test_pagination_sort_and_stable_links(client, make_user, thread):
    author = make_user()
    made = [forums.post_reply(author, thread.id, f"Reply number {n}").item for n in range(25)]
    first, second = html(client.get(f"/threads/{thread.id}")), html(client.get(f"/threads/{thread.id}?page=2"))
    assert "Reply number 0<" in first and "Reply number 19<" in first and "Reply number 20<" not in first
    assert "Reply number 20<" in second and "Reply number 24<" in second
    assert 'aria-current="page"' in second
    newest = html(client.get(f"/threads/{thread.id}?sort=newest"))
    assert newest.index("Reply number 24<") < newest.index("Reply number 23<")
    assert client.get(f"/replies/{made[22].id}").headers["Location"].endswith(f"?page=2#reply-{made[22].id}")
    assert client.get(f"/threads/{thread.id}?page=3").status_code == 404
    assert client.get(f"/threads/{thread.id}?page=0").status_code == 404
    assert client.get(f"/threads/{thread.id}?page=-1").status_code == 404
    assert client.get(f"/threads/{thread.id}?sort=bogus").status_code == 200


def test_helpful_and_follow_forms(client, login, make_user, thread):
    reply = forums.post_reply(make_user(), thread.id, "Useful").item
    login(make_user())
    for _ in range(2):  # the second is a success that changes nothing, as by JSON and for question votes
        page = html(client.post(f"/replies/{reply.id}/helpful", data={"action": "add"}, follow_redirects=True))
        assert 'aria-pressed="true"' in page and "flash-error" not in page
        db.session.expire_all()
        assert db.session.get(Reply, reply.id).helpful_count == 1
    for _ in range(2):
        page = html(client.post(f"/replies/{reply.id}/helpful", data={"action": "remove"}, follow_redirects=True))
        assert 'aria-pressed="false"' in page and "flash-error" not in page
        db.session.expire_all()
        assert db.session.get(Reply, reply.id).helpful_count == 0
    client.post(f"/replies/{reply.id}/helpful", data={"action": "add"})
    assert 'aria-pressed="true"' in html(client.get(f"/threads/{thread.id}"))
    client.post(f"/threads/{thread.id}/follow", data={"action": "follow"})
    assert "Stop following" in html(client.get(f"/threads/{thread.id}"))


def test_search_page_highlights_and_escapes(client, make_user, topic):
    forums.start_thread(make_user(), "housing", "Bridge repairs", "The <script>x</script> bridge is closed")
    page = html(client.get("/search?q=bridge"))
    assert "<mark>" in page and "<script>x" not in page
    assert "Nothing found" in html(client.get("/search?q=zebra"))
    assert client.get("/search?q=" + "x" * 300).status_code == 400
    assert client.get("/search").status_code == 200
