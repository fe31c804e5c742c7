"""One limit per action, whatever the way in: the form, the JSON API and the socket share one budget.

Each action's limit is defined once beside its service (debate/ratelimit.py); a signed-in member is
counted by account on every way in, an anonymous person by address (pages) or by socket (readers).
Over the limit, every way in says the same sentence: the 429 page, the JSON 429 and the socket's
`rate_limited` ack, each with how many seconds to wait.
"""

from __future__ import annotations

import itertools
import re
from html import unescape
from inspect import isfunction

import pytest

from debate import ratelimit
from debate.extensions import socketio
from debate.realtime import account as account_socket
from debate.realtime import forums as forum_socket
from debate.realtime import live as live_socket
from debate.realtime import staff as staff_socket
from debate.services.forums import posts as forums
from debate.services.live import questions as live_questions
from debate.services.moderation import flags as moderation_flags
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")  # the moderation policy's own pace is not what is tested


@pytest.fixture
def person(app):
    """A browser signed in as `user` (its address can be set), with a socket sharing its cookies."""
    opened = []

    def make(user, address="203.0.113.7"):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = address
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        tc = socketio.test_client(app, flask_test_client=browser)
        opened.append(tc)
        return browser, tc

    yield make
    for tc in opened:
        if tc.is_connected():
            tc.disconnect()
        type(tc).clients.pop(tc.eio_sid, None)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def assert_page_refused(response, limit: ratelimit.Limit) -> None:
    assert response.status_code == 429, text(response)[:300]
    assert limit.message in text(response)
    assert "Please slow down" in text(response)
    assert 1 <= int(response.headers["Retry-After"]) <= 3600


def assert_ack_refused(ack, limit: ratelimit.Limit) -> None:
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == "rate_limited"
    assert ack["error"]["message"] == limit.message
    assert 1 <= ack["error"]["retry_after"] <= 3600


def ask_by_form(browser, live, body):
    return browser.post(f"/sessions/{live.id}/questions", data={"body": body})


def ask_by_socket(tc, live, body):
    return tc.emit("live:ask", {"session_id": live.id, "body": body}, callback=True)


def test_asking_by_form_and_by_socket_share_one_budget(people, live, person, rate_limits_on):
    limit = live_questions.ASK
    assert limit.rate == "10/minute"
    browser, tc = person(people["resident"])
    for n in range(5):
        assert ask_by_form(browser, live, f"Form question number {n} about the library?").status_code == 302
        assert ask_by_socket(tc, live, f"Socket question number {n} about the park?")["ok"] is True
    assert_ack_refused(ask_by_socket(tc, live, "One more over the socket?"), limit)
    assert_page_refused(ask_by_form(browser, live, "One more by the form?"), limit)
    # Counted per account: someone else at the same address is not slowed down.
    other, other_socket = person(people["resident2"])
    assert ask_by_socket(other_socket, live, "A different person asking?")["ok"] is True
    assert ask_by_form(other, live, "A different person asking again?").status_code == 302


def test_flagging_by_form_and_by_socket_share_one_budget(people, schedule, person, rate_limits_on):
    limit = moderation_flags.FLAG
    assert limit.rate == "30/hour"
    session = schedule(start=True, premoderate=False)
    ids = [
        live_questions.ask(people["resident2"], session.id, f"Question {n} that someone will flag?").id
        for n in range(31)
    ]
    browser, tc = person(people["resident"])
    for n, question_id in enumerate(ids[:30]):
        if n % 2:
            flagged = browser.post(f"/flag/question/{question_id}", data={"reason": "spam"})
            assert flagged.status_code == 302, text(flagged)[:300]
        else:
            ack = tc.emit("live:flag", {"type": "question", "id": question_id, "reason": "spam"}, callback=True)
            assert ack["ok"] is True, ack
    last = ids[30]
    assert_ack_refused(tc.emit("live:flag", {"type": "question", "id": last, "reason": "spam"}, callback=True), limit)
    assert_page_refused(browser.post(f"/flag/question/{last}", data={"reason": "spam"}), limit)


def test_replying_by_form_and_by_the_json_api_share_one_budget(people, topic, person, rate_limits_on):
    limit = forums.REPLY
    thread = forums.start_thread(people["resident2"], topic.slug, "Bins are not collected", "Three weeks now.").item
    browser, _ = person(people["resident"])
    for n in range(10):
        by_form = browser.post(f"/threads/{thread.id}/replies", data={"body": f"Form reply {n}"})
        assert by_form.status_code == 302, text(by_form)[:300]
        by_api = browser.post(f"/api/v1/threads/{thread.id}/replies", json={"body": f"API reply {n}"})
        assert by_api.status_code == 201, by_api.get_json()
    refused = browser.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "One too many"})
    assert refused.status_code == 429
    assert_ack_refused(refused.get_json(), limit)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert_page_refused(browser.post(f"/threads/{thread.id}/replies", data={"body": "And by the form"}), limit)


def test_anonymous_sign_in_attempts_are_counted_by_address(app, rate_limits_on):
    emails = (f"nobody{n}@example.org" for n in itertools.count())  # five wrong for one would pause it

    def attempt(address):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = address
        return browser.post("/login", data={"email": next(emails), "password": "wrong password"})

    for _ in range(20):
        assert attempt("198.51.100.1").status_code == 400
    from debate.services.accounts import credentials as accounts

    assert_page_refused(attempt("198.51.100.1"), accounts.SIGN_IN)
    assert attempt("198.51.100.2").status_code == 400  # another address has its own budget


# Every way into an action names the same limit. Socket handler -> the page and JSON views that do the same.
SAME_ACTION = {
    live_socket.ask: ["live.ask"],
    live_socket.vote: ["live.vote"],
    live_socket.unvote: ["live.vote"],
    live_socket.withdraw: ["live.withdraw"],
    live_socket.chat: ["live.chat"],
    live_socket.flag: ["moderation_public.flag"],
    live_socket.approve: ["live.approve"],
    live_socket.reject: ["live.reject"],
    live_socket.fix: ["live.fix"],
    live_socket.merge: ["live.merge"],
    live_socket.pin: ["live.pin"],
    live_socket.answering: ["live.answering"],
    live_socket.answer: ["live.answer"],
    live_socket.reopen: ["live.reopen"],
    live_socket.announce: ["live.announce"],
    live_socket.start: ["live.start"],
    live_socket.end: ["live.end"],
    staff_socket.claim: ["moderation.claim"],
    staff_socket.decide: ["moderation.decide"],
    live_socket.join: [],
    live_socket.leave: [],
    forum_socket.join_thread: [],
    forum_socket.leave_thread: [],
    account_socket.whoami: [],
}
FORM_AND_API = {
    "forums.new_thread": "forums_api.start_thread",
    "forums.reply": "forums_api.post_reply",
    "forums.edit_thread": "forums_api.edit_thread",
    "forums.edit_reply": "forums_api.edit_reply",
    "forums.delete_thread": "forums_api.delete_thread",
    "forums.delete_reply": "forums_api.delete_reply",
    "forums.helpful": "forums_api.helpful",
    "forums.official": "forums_api.official",
    "forums.follow": "forums_api.follow",
    "forums.lock": "forums_api.lock",
}


def test_every_way_into_an_action_names_its_one_limit(app):
    for handler, endpoints in SAME_ACTION.items():
        assert isinstance(handler.rate_limit, ratelimit.Limit), handler.__name__
        for endpoint in endpoints:
            assert app.view_functions[endpoint].rate_limit is handler.rate_limit, (handler.__name__, endpoint)
    for form, api in FORM_AND_API.items():
        assert app.view_functions[form].rate_limit is app.view_functions[api].rate_limit, (form, api)
    modules = (live_socket, forum_socket, staff_socket, account_socket)
    guarded = {fn for m in modules for fn in vars(m).values() if isfunction(fn) and hasattr(fn, "rate_limit")}
    assert guarded == set(SAME_ACTION), "a socket event is missing from this table"


def test_the_documented_table_of_limits_is_the_code(app):
    """docs/architecture.md lists every action's limit; the table and the code must not drift apart."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    table = doc.split("## One limit per action", 1)[1].split("\n## ", 1)[0]
    documented = {}
    for actions, rate in re.findall(r"^\| ((?:`[\w.]+`(?:, )?)+) \| (\d+/\w+)", table, re.M):
        for action in re.findall(r"`([\w.]+)`", actions):
            documented[action] = rate
    assert documented == {action: limit.rate for action, limit in ratelimit.defined().items() if "test" not in action}


def test_no_view_counts_a_limit_of_its_own_beside_the_actions(app):
    """Flask-Limiter's own decorator would count per address with a rate no table shows: every view uses ratelimit."""
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "debate"
    own = [str(p.relative_to(package)) for p in package.rglob("*.py") if "limiter.limit(" in p.read_text()]
    assert own == []
