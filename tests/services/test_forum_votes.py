"""Helpful votes (one per person), official responses (verified representatives only), follows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotSignedIn, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import HelpfulVote, OfficialResponse, RepresentativeProfile, Role, ThreadFollow, User
from debate.services.forums import follows, votes
from debate.services.forums import posts as forums
from debate.services.forums.pages import thread_page

pytestmark = pytest.mark.usefixtures("forum_policy")


def fresh(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(), "housing", "Official answers", "Will the council answer?").item


@pytest.fixture
def reply(make_user, thread):
    return forums.post_reply(make_user(name="Helpful Hana"), thread.id, "A useful reply").item


# --- helpful --------------------------------------------------------------------------------------------


def test_helpful_is_one_vote_per_person(make_user, reply, published):
    voter = make_user()
    votes.set_helpful(voter, reply.id, True)
    votes.set_helpful(voter, reply.id, True)  # a second click, or a replayed request
    assert fresh(reply).helpful_count == 1
    assert db.session.scalar(select(func.count()).select_from(HelpfulVote)) == 1
    votes.set_helpful(make_user(), reply.id, True)
    assert fresh(reply).helpful_count == 2
    assert [p["count"] for e, p, *_ in published if e == "forum:helpful"] == [1, 2]


def test_helpful_can_be_taken_back_once(make_user, reply):
    voter = make_user()
    votes.set_helpful(voter, reply.id, True)
    votes.set_helpful(voter, reply.id, False)
    votes.set_helpful(voter, reply.id, False)
    assert fresh(reply).helpful_count == 0


def test_helpful_refuses_own_reply_anonymous_and_hidden(make_user, reply):
    with pytest.raises(ValidationError, match="own reply"):
        votes.set_helpful(fresh(reply).author, reply.id, True)
    with pytest.raises(NotSignedIn):
        votes.set_helpful(None, reply.id, True)
    reply = fresh(reply)
    reply.state = "hidden"
    db.session.commit()
    with pytest.raises(Conflict):
        votes.set_helpful(make_user(), reply.id, True)
    assert fresh(reply).helpful_count == 0


def test_page_knows_what_you_voted_in_one_query(make_user, thread, reply):
    voter = make_user()
    votes.set_helpful(voter, reply.id, True)
    assert thread_page(voter, thread.id).my_votes == {reply.id}
    assert thread_page(make_user(), thread.id).my_votes == set()


def test_replies_sort_by_most_helpful(make_user, thread):
    first = forums.post_reply(make_user(), thread.id, "First reply").item
    second = forums.post_reply(make_user(), thread.id, "Second reply").item
    third = forums.post_reply(make_user(), thread.id, "Third reply").item
    for _ in range(2):
        votes.set_helpful(make_user(), third.id, True)
    votes.set_helpful(make_user(), second.id, True)
    ids = lambda sort: [r.id for r in thread_page(None, thread.id, sort).replies]  # noqa: E731
    assert ids("helpful") == [third.id, second.id, first.id]
    assert ids("newest") == [third.id, second.id, first.id]
    assert ids("oldest") == [first.id, second.id, third.id]


# --- official response ---------------------------------------------------------------------------


def test_verified_representative_marks_their_reply_official(make_user, thread, published):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Rep")
    answer = forums.post_reply(rep, thread.id, "The council's answer").item
    votes.set_official(rep, answer.id, True)
    page = thread_page(None, thread.id)
    assert page.official.id == answer.id
    assert ("forum:official_changed", {"thread_id": thread.id}) in [(e, p) for e, p, *_ in published]
    with pytest.raises(Conflict, match="already"):
        votes.set_official(rep, answer.id, True)


def test_only_verified_representatives_give_official_responses(make_user, thread, reply):
    resident = make_user()
    own = forums.post_reply(resident, thread.id, "My own reply").item
    with pytest.raises(PermissionDenied):
        votes.set_official(resident, own.id, True)
    for role in (Role.MODERATOR, Role.ADMIN):
        staff = make_user(role)
        staff_reply = forums.post_reply(staff, thread.id, f"Staff {role.value} reply").item
        with pytest.raises(PermissionDenied):
            votes.set_official(staff, staff_reply.id, True)
    # A representative whose profile is not verified (yet, or any more) cannot either.
    rep = make_user(Role.REPRESENTATIVE)
    rep_reply = forums.post_reply(rep, thread.id, "Not verified yet").item
    db.session.get(RepresentativeProfile, rep.representative.id).verified_at = None
    db.session.commit()
    with pytest.raises(PermissionDenied):
        votes.set_official(db.session.get(User, rep.id), rep_reply.id, True)
    assert db.session.scalar(select(func.count()).select_from(OfficialResponse)) == 0


def test_representative_cannot_mark_someone_elses_reply(make_user, reply):
    with pytest.raises(PermissionDenied, match="own reply"):
        votes.set_official(make_user(Role.REPRESENTATIVE), reply.id, True)


def test_one_official_response_per_thread(make_user, thread):
    first_rep, second_rep = make_user(Role.REPRESENTATIVE, name="Cllr First"), make_user(Role.REPRESENTATIVE)
    a = forums.post_reply(first_rep, thread.id, "First answer").item
    b = forums.post_reply(first_rep, thread.id, "Better answer").item
    c = forums.post_reply(second_rep, thread.id, "Other office answer").item
    votes.set_official(first_rep, a.id, True)
    with pytest.raises(Conflict, match="Cllr First has already"):
        votes.set_official(second_rep, c.id, True)
    votes.set_official(first_rep, b.id, True)  # moved to a better reply
    assert thread_page(None, thread.id).official.id == b.id
    with pytest.raises(Conflict):
        votes.set_official(first_rep, a.id, False)
    votes.set_official(first_rep, b.id, False)
    assert thread_page(None, thread.id).official is None
    votes.set_official(second_rep, c.id, True)
    assert thread_page(None, thread.id).official.id == c.id


# --- follows -----------------------------------------------------------------------------------------


def test_follow_is_recorded_once_and_can_stop(make_user, thread):
    reader = make_user()
    follows.set_following(reader, thread.id, True)
    follows.set_following(reader, thread.id, True)
    assert follows.is_following(reader, thread.id)
    rows = db.session.scalar(select(func.count()).select_from(ThreadFollow).where(ThreadFollow.user_id == reader.id))
    assert rows == 1
    follows.set_following(reader, thread.id, False)
    assert not follows.is_following(reader, thread.id)
    with pytest.raises(NotSignedIn):
        follows.set_following(None, thread.id, True)
