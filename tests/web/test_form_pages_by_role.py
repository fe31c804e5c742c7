"""Every form page, for every role: a form is shown only to those its submission would accept.

Each GET form page asks the same check its submission does (the service's own rule), so someone who
cannot use a form is refused when they open it, with the same status and message as if they had sent it,
and the pages that link to a form show the link only to those who would be shown the form.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from debate.extensions import db
from debate.models.accounts import Role
from debate.models.base import utcnow
from debate.services.forums import posts as forums
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD
from tests.live import conftest as live_fixtures

people = live_fixtures.people
schedule = live_fixtures.schedule

pytestmark = pytest.mark.usefixtures("forum_policy")

NO_PERMISSION = "Your account does not have permission to do that."
CONFIRM = "Please confirm your email address first"
NOT_HOST = "Only the session's host or an admin can do that."
NOT_PANEL = "Only a verified representative on this session's panel, or an admin, can do that."
NOT_REP = "Only a verified representative or an admin can do that."
NOT_YOUR_EDIT = "You can only edit what you wrote."
NOT_YOUR_DELETE = "You can only delete what you wrote."
OK = (200, None)


def text(response) -> str:
    """The page's words, tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def world(app, people, schedule, topic, make_user):
    """A topic, a thread by resident with a reply by resident2, a scheduled, an ended and a live session."""
    posted = forums.start_thread(people["resident"], topic.slug, "Bins are not collected", "Three weeks now.")
    reply = forums.post_reply(people["resident2"], posted.item.id, "Same on our street.").item
    scheduled = schedule()
    ended = schedule(start=True)
    live_sessions.end(people["admin"], ended.id)
    return {
        "people": {**people, "unverified": make_user(Role.RESIDENT, "Una Unconfirmed", verified=False)},
        "thread": posted.item.id,
        "reply": reply.id,
        "scheduled": scheduled.id,
        "ended": ended.id,
        "live": schedule(start=True).id,
    }


@pytest.fixture
def as_user(app):
    clients = {}

    def make(user):
        if user.id not in clients:
            client = app.test_client()
            assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
            clients[user.id] = client
        return clients[user.id]

    return make


# page -> (path, {role: (status, message)}); roles left out answer as "others".
PAGES = {
    "add a topic": (
        "/topics/new",
        {"admin": OK, "unverified": (403, CONFIRM), "others": (403, NO_PERMISSION)},
    ),
    "edit a topic": (
        "/topics/housing/edit",
        {"admin": OK, "unverified": (403, CONFIRM), "others": (403, NO_PERMISSION)},
    ),
    "start a thread": ("/topics/housing/new", {"unverified": (403, CONFIRM), "others": OK}),
    "edit a thread": (
        "/threads/{thread}/edit",
        {"resident": OK, "unverified": (403, CONFIRM), "others": (403, NOT_YOUR_EDIT)},
    ),
    "delete a thread": (
        "/threads/{thread}/delete",
        {"resident": OK, "unverified": (403, CONFIRM), "others": (403, NOT_YOUR_DELETE)},
    ),
    "edit a reply": (
        "/replies/{reply}/edit",
        {"resident2": OK, "unverified": (403, CONFIRM), "others": (403, NOT_YOUR_EDIT)},
    ),
    "delete a reply": (
        "/replies/{reply}/delete",
        {"resident2": OK, "unverified": (403, CONFIRM), "others": (403, NOT_YOUR_DELETE)},
    ),
    "schedule a session": (
        "/sessions/new",
        {
            "admin": OK,
            "councillor": OK,
            "councillor2": OK,
            "unverified": (403, CONFIRM),
            "others": (403, NO_PERMISSION),
        },
    ),
    "edit a session": (
        "/sessions/{scheduled}/edit",
        {"admin": OK, "unverified": (403, CONFIRM), "others": (403, NOT_HOST)},
    ),
    "edit an ended session": (
        "/sessions/{ended}/edit",
        {
            "admin": (409, "This session is over: it can no longer be changed."),
            "unverified": (403, CONFIRM),
            "others": (403, NOT_HOST),
        },
    ),
    "publish a session's outcome": (
        "/sessions/{ended}/outcome",
        {"admin": OK, "councillor": OK, "councillor2": OK, "unverified": (403, CONFIRM), "others": (403, NOT_PANEL)},
    ),
    "publish the outcome of a session still live": (
        "/sessions/{live}/outcome",
        {
            "admin": (409, "An outcome can be published once the session has ended."),
            "councillor": (409, "An outcome can be published once the session has ended."),
            "councillor2": (409, "An outcome can be published once the session has ended."),
            "unverified": (403, CONFIRM),
            "others": (403, NOT_PANEL),
        },
    ),
    "publish a thread's outcome": (
        "/threads/{thread}/outcome",
        {"admin": OK, "councillor": OK, "councillor2": OK, "unverified": (403, CONFIRM), "others": (403, NOT_REP)},
    ),
    "put a post to a representative": (
        "/forum-questions/new?thread_id={thread}",
        {"admin": OK, "moderator": OK, "unverified": (403, CONFIRM), "others": (403, NO_PERMISSION)},
    ),
    "answer settings": (
        "/admin/accountability",
        {"admin": OK, "unverified": (403, CONFIRM), "others": (403, NO_PERMISSION)},
    ),
    "moderation settings": (
        "/moderation/settings",
        {"admin": OK, "moderator": (403, NO_PERMISSION), "others": (403, None)},
    ),
}
ROLES = ["resident", "resident2", "councillor", "councillor2", "moderator", "admin", "unverified"]
POST_PATH = {"put a post to a representative": "/forum-questions"}


def expected(page: str, role: str) -> tuple[int, str | None]:
    rules = PAGES[page][1]
    return rules.get(role, rules["others"])


@pytest.mark.parametrize("page", PAGES)
def test_each_form_page_is_refused_at_get_as_at_submit(world, as_user, page):
    """For each role: the GET answers what the submission answers (status and message), before any form."""
    path_template = PAGES[page][0]
    for role in ROLES:
        client = as_user(world["people"][role])
        path = path_template.format(**world)
        status, message = expected(page, role)
        shown = client.get(path)
        assert shown.status_code == status, f"{page}, {role}: GET answered {shown.status_code}, not {status}"
        if status == 200:
            assert 'method="post"' in shown.get_data(as_text=True), f"{page}, {role}: no form shown"
            continue
        assert 'method="post" class="stack-form' not in shown.get_data(as_text=True), f"{page}, {role}: form shown"
        if message:
            assert message in text(shown), f"{page}, {role}: GET does not say {message!r}"
        sent = client.post(POST_PATH.get(page, path), data={"thread_id": str(world["thread"])})
        assert sent.status_code == status, f"{page}, {role}: submission answered {sent.status_code}, not {status}"
        if message:
            assert message in text(sent), f"{page}, {role}: submission does not say {message!r}"


def test_forms_are_refused_once_their_time_or_post_is_gone(world, as_user, app):
    """The author past the edit window, and a post already deleted: the page says so, as the submission."""
    author = as_user(world["people"]["resident2"])
    from debate.models.forums import Reply

    reply = db.session.get(Reply, world["reply"])
    reply.created_at = utcnow() - timedelta(minutes=app.config["FORUM_EDIT_MINUTES"] + 1)
    db.session.commit()
    late = "Posts can be edited for"
    for response in (author.get(f"/replies/{reply.id}/edit"), author.post(f"/replies/{reply.id}/edit", data={})):
        assert response.status_code == 409 and late in text(response)
    assert author.post(f"/replies/{reply.id}/delete").status_code == 302
    gone = "This post was already deleted or removed."
    for response in (author.get(f"/replies/{reply.id}/delete"), author.post(f"/replies/{reply.id}/delete")):
        assert response.status_code == 409 and gone in text(response)


# The pages each role is shown, whose links to form pages are followed below.
READING = [
    "/",
    "/topics/housing",
    "/threads/{thread}",
    "/sessions",
    "/sessions/{scheduled}",
    "/sessions/{ended}",
    "/sessions/{live}",
    "/moderation/",
]
FORM_LINK = re.compile(
    r'href="(/topics/[^/"]+/(?:new|edit)|/topics/new|/(?:threads|replies)/\d+/(?:edit|delete|outcome)'
    r'|/sessions/(?:new|\d+/edit|\d+/outcome)|/forum-questions/new[^"]*|/admin/[^"]*|/moderation/settings)"'
)


@pytest.mark.parametrize("role", ROLES)
def test_links_to_forms_are_shown_only_to_those_the_form_accepts(world, as_user, role):
    client = as_user(world["people"][role])
    linked = set()
    for path in READING:
        response = client.get(path.format(**world))
        if response.status_code == 200:
            linked |= {unescape(m) for m in FORM_LINK.findall(response.get_data(as_text=True))}
    for href in sorted(linked):
        assert client.get(href).status_code == 200, f"{role} is shown a link to {href}, which refuses them"
