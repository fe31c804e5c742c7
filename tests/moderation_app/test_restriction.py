"""A sanctioned member is told where they would write, before writing: one service rule (restriction), and the
pages that ask it (thread, new thread, edit, live room) show the sanction, its reason and its end instead of the
forms they cannot use, and only the actions it leaves them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

import moderation
from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.services import council_time as clock
from debate.services.forums import posts as forums
from debate.services.live import questions as live_questions
from debate.services.live import roles as live_roles
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import standing as moderation_standing
from tests.conftest import PASSWORD
from tests.live.conftest import live, people, schedule  # noqa: F401 - fixtures shared with the live tests

NOTE = "Three adverts for the same shop in an hour."


@pytest.fixture
def member(make_user):
    return make_user(name="Mia Member")


@pytest.fixture
def sanction(make_user, member):
    moderator = make_user(Role.MODERATOR)

    def issue(kind: str = "mute", duration: str | None = "1d", note: str = NOTE):
        return moderation_sanctions.issue(moderator, member.id, kind, "spam", note, duration if kind != "ban" else None)

    return issue


@pytest.fixture
def browse(app, member):
    """Read a page as the member. A suspension or a ban ends their logins (logins.end): they sign in again."""
    client = app.test_client()

    def get(path: str) -> str:
        if client.get("/api/v1/me").status_code != 200:
            assert client.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 302
        return client.get(path).get_data(as_text=True)

    return get


@pytest.fixture
def thread(make_user, topic, forum_policy):
    opened = forums.start_thread(make_user(), "housing", "Bin collections", "Fortnightly is not enough.").item
    forums.post_reply(make_user(name="Rob Replier"), opened.id, "Weekly in summer, at least.")
    return opened


def council_time(moment) -> str:
    local = clock.to_local(moment)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M %Z}"


# --------------------------------------------------------------------------- the rule


def test_the_rule_names_the_sanction_that_stops_writing_and_what_it_leaves(app, member, sanction):
    assert moderation_standing.restriction(member) is None
    assert moderation_standing.restriction(None) is None
    sanction("warning", None)
    assert moderation_standing.restriction(member) is None  # a warning restricts nothing
    mute = sanction("mute", "1d")
    found = moderation_standing.restriction(member)
    assert found.sanction.id == mute.id and found.kind == "mute" and found.ends_at == mute.ends_at
    assert found.reason == "Spam" and found.note == NOTE
    assert found.headline.startswith("Your account is muted")
    assert found.forbids(moderation.Capability.POST) and not found.forbids(moderation.Capability.VOTE)
    suspension = sanction("suspension", "3d")
    found = moderation_standing.restriction(member)  # the more severe one is cited, and its wider reach applies
    assert found.sanction.id == suspension.id and found.forbids(moderation.Capability.VOTE)
    assert found.forbids(moderation.Capability.FLAG)
    for row in (mute, suspension):  # both over a moment ago
        row.starts_at, row.ends_at = utcnow() - timedelta(days=5), utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert moderation_standing.restriction(member) is None  # over: nothing to show


# --------------------------------------------------------------------------- forum pages


def test_a_muted_member_sees_the_sanction_instead_of_the_reply_form(app, member, sanction, browse, thread):
    mute = sanction("mute", "1d")
    page = browse(f"/threads/{thread.id}")
    assert f'action="/threads/{thread.id}/replies"' not in page and 'name="body"' not in page
    notice = re.search(r'<div class="notice notice-sanction" id="reply-restriction">.*?</div>', page, re.S).group(0)
    assert "Your account is muted" in notice and "Reason: Spam." in notice and NOTE in notice
    ends = f'<time datetime="{mute.ends_at.isoformat(timespec="seconds")}Z">{council_time(mute.ends_at)}</time>'
    assert f"It ends on {ends}." in notice
    assert 'href="/notices"' in notice
    # A mute leaves voting and flagging: "Helpful" and "Flag" stay, "Quote" (to reply) goes; live fragments likewise.
    assert "Helpful<span" in page and "Flag<span" in page and "Quote<span" not in page
    assert 'data-reader-may="vote flag"' in page


def test_a_suspended_member_is_offered_no_votes_or_flags_either(app, member, sanction, browse, thread):
    sanction("suspension", "3d")
    page = browse(f"/threads/{thread.id}")
    assert "Your account is suspended" in page and 'id="reply-restriction"' in page
    assert "Helpful<span" not in page and "Flag<span" not in page and "Quote<span" not in page
    assert 'data-reader-may=""' in page


def test_the_new_thread_and_edit_pages_show_it_too(app, member, sanction, browse, thread):
    own = forums.post_reply(member, thread.id, "Before the mute.").item
    assert f"/replies/{own.id}/edit" in browse(f"/threads/{thread.id}")
    sanction("mute", "1h")
    new_thread = browse("/topics/housing/new")
    assert 'id="thread-restriction"' in new_thread and 'name="title"' not in new_thread
    assert f"/replies/{own.id}/edit" not in browse(f"/threads/{thread.id}")
    edit = browse(f"/replies/{own.id}/edit")
    assert 'id="edit-restriction"' in edit and 'name="body"' not in edit


def test_when_the_sanction_is_lifted_the_forms_are_back(app, member, sanction, browse, thread, make_user):
    mute = sanction("mute", "7d")
    moderation_sanctions.lift(make_user(Role.MODERATOR), mute.id, "Lifted after a chat.")
    page = browse(f"/threads/{thread.id}")
    assert "notice-sanction" not in page and f'action="/threads/{thread.id}/replies"' in page


# --------------------------------------------------------------------------- the live room


def test_the_live_room_shows_it_where_one_would_ask_and_chat(app, member, sanction, browse, live, people):  # noqa: F811
    asked = live_questions.ask(people["resident"], live.id, "When will the lifts be fixed?")
    live_questions.approve(people["moderator"], asked.id)
    mute = sanction("mute", "1d")
    room = browse(f"/sessions/{live.id}")
    assert 'id="ask-form"' not in room and 'id="chat-form"' not in room
    for box in ("ask-restriction", "chat-restriction"):
        assert f'id="{box}"' in room
    assert council_time(mute.ends_at) in room and NOTE in room
    assert 'class="vote-button"' in room and "Flag<span" in room  # a mute leaves votes and flags
    roles = live_roles.roles(member, live)
    assert (roles["can_ask"], roles["can_vote"], roles["can_flag"]) == (False, True, True)


def test_a_suspended_member_gets_no_vote_buttons_in_the_room(app, member, sanction, browse, live, people):  # noqa: F811
    asked = live_questions.ask(people["resident"], live.id, "When will the lifts be fixed?")
    live_questions.approve(people["moderator"], asked.id)
    sanction("suspension", "1d")
    room = browse(f"/sessions/{live.id}")
    assert 'class="vote-button"' not in room and "Flag<span" not in room and 'id="ask-restriction"' in room
    roles = live_roles.roles(member, live)
    assert not (roles["can_ask"] or roles["can_vote"] or roles["can_flag"])
