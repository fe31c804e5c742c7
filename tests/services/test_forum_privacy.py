"""Everything members post is in "download my data"; deleting an account anonymises or removes it."""

from __future__ import annotations

import json

import pytest

from debate.extensions import db
from debate.models import HelpfulVote, Reply, Revision, Thread, ThreadFollow
from debate.services import privacy
from debate.services.forums import data as forum_data  # noqa: F401  (forum_data registers the section)
from debate.services.forums import posts as forums
from debate.services.forums import votes
from debate.services.forums.pages import thread_page

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def member_posts(make_user, topic):
    member = make_user(name="Pat Poster")
    other = make_user(name="Olive Other")
    thread = forums.start_thread(member, "housing", "My thread title", "My thread body").item
    reply = forums.post_reply(member, thread.id, "My first words", "for").item
    forums.edit_reply(member, reply.id, "My edited words", "for")
    theirs = forums.post_reply(other, thread.id, "Their reply").item
    votes.set_helpful(member, theirs.id, True)
    return member, other, thread, reply


def test_export_has_threads_replies_versions_votes_and_follows(member_posts):
    member, _, thread, reply = member_posts
    data = privacy.export_user(member)["sections"]["forums"]["data"]
    assert [t["title"] for t in data["threads"]] == ["My thread title"]
    assert [(r["body"], r["stance"]) for r in data["replies"]] == [("My edited words", "for")]
    assert [v["body"] for v in data["earlier_versions"]] == ["My first words"]
    assert len(data["helpful_votes"]) == 1
    assert [f["thread_id"] for f in data["followed_threads"]] == [thread.id]
    json.dumps(data)  # JSON-ready


def test_delete_account_anonymises_by_default(client, member_posts):
    member, _, thread, reply = member_posts
    privacy.delete_user(member, password_ok=True, remove_content=False)
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).body == "My edited words"
    assert db.session.query(HelpfulVote).filter_by(user_id=member.id).count() == 0
    assert db.session.query(ThreadFollow).filter_by(user_id=member.id).count() == 0
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "My edited words" in page and "former member" in page and "Pat Poster" not in page


def test_delete_account_with_remove_content_leaves_placeholders(client, member_posts):
    member, other, thread, reply = member_posts
    privacy.delete_user(member, password_ok=True, remove_content=True)
    db.session.expire_all()
    gone = db.session.get(Reply, reply.id)
    assert (gone.state, gone.body) == ("withdrawn", "")
    assert db.session.get(Thread, thread.id).state == "withdrawn"
    assert db.session.query(Revision).filter_by(author_id=member.id).count() == 0
    assert db.session.get(Thread, thread.id).reply_count == 1  # only the other member's reply counts
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Deleted by its author" in page and "Their reply" in page
    for text in ("My edited words", "My first words", "My thread body", "My thread title"):
        assert text not in page
    assert thread_page(None, thread.id).thread.listed_count == 2
