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

import pytest

from debate import ratelimit
from debate.extensions import socketio
from debate.realtime import guard
from debate.services.accounts import credentials as accounts
from debate.services.forums import posts as forums
from debate.services.live import chat as live_chat
from debate.services.live import polls as live_polls
from debate.services.live import questions as live_questions
from debate.services.live import skips as live_skips
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
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
    assert str(limit.message) in text(response)
    assert "Please slow down" in text(response)
    assert 1 <= int(response.headers["Retry-After"]) <= 3600


def assert_ack_refused(ack, limit: ratelimit.Limit) -> None:
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == "rate_limited"
    assert ack["error"]["message"] == str(limit.message)
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
    assert_page_refused(attempt("198.51.100.1"), accounts.SIGN_IN)
    assert attempt("198.51.100.2").status_code == 400  # another address has its own budget


# Every act -> every way in that counts against its limit: a page or JSON view by its endpoint, a socket
# event as "<namespace> <event>". The walk below finds every view with a limit and every socket handler, so a
# way in that is missing here, named under another act, or given a limit of its own fails.
ACTS = {
    "account.register": {"auth.register"},
    "account.sign_in": {"auth.login"},
    "account.confirmation": {"auth.resend_verification"},
    "account.reset_request": {"auth.forgot_password"},
    "account.reset": {"auth.reset_password"},
    "account.rename": {"account.rename"},
    "account.password_check": {"account.change_password", "account.delete_account"},
    "account.whoami": {"/account whoami"},
    "flag": {"moderation_public.flag", "/ live:flag"},
    "forum.thread": {"forums.new_thread", "forums_api.start_thread"},
    "forum.reply": {"forums.reply", "forums_api.post_reply"},
    "forum.edit": {"forums.edit_thread", "forums.edit_reply", "forums_api.edit_thread", "forums_api.edit_reply"},
    "forum.delete": {
        "forums.delete_thread",
        "forums.delete_reply",
        "forums_api.delete_thread",
        "forums_api.delete_reply",
    },
    "forum.helpful": {"forums.helpful", "forums_api.helpful"},
    "forum.official": {"forums.official", "forums_api.official"},
    "forum.follow": {"forums.follow", "forums_api.follow"},
    "forum.lock": {"forums.lock", "forums_api.lock"},
    "thread.join": {"/ thread:join"},
    "thread.leave": {"/ thread:leave"},
    "topics.manage": {"forums.new_topic", "forums.edit_topic"},
    "live.schedule": {"live.new"},
    "live.edit": {"live.edit"},
    "live.run": {"live.start", "live.end", "live.cancel", "/ live:start", "/ live:end"},
    "live.join": {"/ live:join"},
    "live.leave": {"/ live:leave"},
    "live.ask": {"live.ask", "/ live:ask"},
    "live.vote": {"live.vote", "/ live:vote", "/ live:unvote"},
    "live.withdraw": {"live.withdraw", "/ live:withdraw"},
    "live.chat": {"live.chat", "/ live:chat"},
    "live.announce": {"live.announce", "/ live:announce"},
    "live.order": {"live.choose_order", "/ live:order"},
    "live.moderate": {
        *("live.approve", "live.reject", "live.fix", "live.merge", "live.pin"),
        *("/ live:approve", "/ live:reject", "/ live:fix", "/ live:merge", "/ live:pin"),
    },
    "live.answer": {
        *("live.answering", "live.answer", "live.reopen"),
        *("/ live:answering", "/ live:answer", "/ live:reopen"),
    },
    "live.follow": {"notifications.follow_session", "live.speaks_welsh"},
    "live.poll_answer": {"polls.answer", "api.answer_poll", "/ poll:answer"},
    "live.poll_manage": {
        *("polls.manage", "polls.delete", "polls.open_poll", "polls.close_poll"),
        *("api.prepare_poll", "api.edit_poll", "api.delete_poll", "api.open_poll", "api.close_poll"),
        *("/ poll:open", "/ poll:close"),
    },
    "agreement.vote": {"agreement.vote", "api.round_vote", "/ agree:vote"},
    "agreement.statement": {"agreement.add_statement", "api.round_statement"},
    # The managers' pages are feat/agree-pages' (debate/web/agreement_results.py).
    "agreement.manage": {
        "agreement.cite",
        "agreement_results.new_on_topic",
        "agreement_results.new_on_thread",
        "agreement_results.manage",
    },
    "moderation.claim": {"moderation.claim", "moderation.release", "/staff queue:claim"},
    "moderation.decide": {"moderation.decide", "moderation.bulk", "/staff queue:decide"},
    "moderation.appeal": {"moderation_public.appeal"},
    "notifications.unsubscribe": {"notifications.unsubscribe", "notifications.unsubscribe_confirm"},
    "outcome.publish": {"outcomes.session_form", "outcomes.thread_form"},
    "survey.answer": {"surveys.answer", "surveys.api_answer"},
    "survey.build": {"surveys.new", "surveys.build"},
    "socket.unmatched": {"/ *", "/account *", "/staff *"},
}
# Writes that count against no limit, each for a reason (staff-only work, or nothing to abuse).
UNLIMITED = {
    "auth.logout": "signing out",
    "account.request_representative": "one pending request per member, checked by an admin",
    "notifications.mark_read": "marks the member's own notifications read",
    "notifications.save_preferences": "the member's own settings",
    "account.choose_language": "the member's own language",
    "moderation_public.mark_read": "marks the member's own notices read",
    "accountability.add_forum_question": "moderators and admins",
    "accountability.answer": "verified representatives, on questions put to them",
    "accountability.refer": "verified representatives, on questions put to them",
    "accountability.referral_reply": "verified representatives, on questions put to them",
    "accountability.transfer": "verified representatives, on questions put to them",
    "accountability.settings": "admins",
    "accountability.add_holiday": "admins",
    "accountability.remove_holiday": "admins",
    "accountability.reload_holidays": "admins",
    "admin.set_moderator": "admins",
    "admin.verify_representative": "admins",
    "admin.revoke_representative": "admins",
    "moderation.decide_appeal": "moderators",
    "moderation.sanction": "moderators",
    "moderation.lift": "moderators",
    "moderation.save_settings": "admins",
    "equality.save_answers": "the member's own equality answers",
    "equality.dismiss": "the member's own invitation",
    "equality.save_census": "admins",
    "equality.upload_census": "admins",
}
# Socket text fields -> the service's definition of their length (its constant or its function).
SOCKET_LENGTHS = {
    ("live:ask", "body"): live_questions.question_max,
    ("live:fix", "text"): live_questions.question_max,
    ("live:chat", "body"): live_chat.message_max,
    ("live:announce", "body"): live_chat.ANNOUNCEMENT_MAX,
    ("live:flag", "note"): moderation_flags.note_max,
    ("live:reject", "note"): moderation_decisions.NOTE_MAX,
    ("live:fix", "note"): moderation_decisions.NOTE_MAX,
    ("queue:decide", "note"): moderation_decisions.NOTE_MAX,
    ("queue:decide", "text"): moderation_decisions.text_max,
    ("live:answer", "text"): live_questions.ANSWER_MAX,
    ("live:answering", "note"): live_skips.NOTE_MAX,
    ("live:pin", "note"): live_skips.NOTE_MAX,
    ("poll:answer", "text"): live_polls.TEXT_ANSWER_MAX,
    ("live:answer", "note"): live_skips.NOTE_MAX,
}


def ways_in(app) -> dict[str, ratelimit.Limit | None]:
    """Every view that writes or counts a limit, and every socket event: its name -> the limit it counts."""
    found = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if set(rule.methods) & set(ratelimit.WRITES) or hasattr(view, "rate_limit"):
            found[rule.endpoint] = getattr(view, "rate_limit", None)
    for event, handler, namespace in socketio.handlers:
        if event not in ("connect", "disconnect"):
            found[f"{namespace} {event}"] = getattr(handler, "rate_limit", None)
    return found


def test_every_way_into_an_act_counts_its_one_limit(app):
    found = ways_in(app)
    by_act: dict[str, set[str]] = {}
    for name, limit in found.items():
        if limit is not None:
            assert limit is ratelimit.defined()[limit.action], f"{name} counts a limit that is not the act's one"
            by_act.setdefault(limit.action, set()).add(name)
    assert by_act == ACTS
    assert {name for name, limit in found.items() if limit is None} == set(UNLIMITED), "a write with no limit"
    assert set(ACTS) == {action for action in ratelimit.defined() if "test" not in action}, "an act no way in counts"


def test_every_socket_text_field_reads_its_services_length(app):
    unseen = dict(SOCKET_LENGTHS)
    for event, handler, _namespace in socketio.handlers:
        for field_name, field in getattr(handler, "schema", {}).items():
            if field.chars is not None:
                assert field.chars is unseen.pop((event, field_name)), (event, field_name)
    assert unseen == {}, "a socket field this table names has no limit in characters"


def test_an_unmatched_event_counts_per_socket(app, people, person, rate_limits_on):
    _, tc = person(people["resident"])
    for _ in range(60):
        assert tc.emit("no:such", {}, callback=True)["error"]["code"] == "unknown_event"
    assert_ack_refused(tc.emit("no:such", {}, callback=True), guard.UNMATCHED)
    _, other = person(people["resident2"])
    assert other.emit("no:such", {}, callback=True)["error"]["code"] == "unknown_event"


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


def test_claiming_by_form_and_by_the_staff_socket_share_one_budget(app, people, person, rate_limits_on):
    """A moderator's claim and release buttons and the queue's `queue:claim` draw on moderation.claim together."""
    limit = moderation_queue.CLAIM
    assert limit.rate == "60/minute"
    browser, _ = person(people["moderator"])
    staff = socketio.test_client(app, namespace="/staff", flask_test_client=browser)
    try:
        assert staff.is_connected("/staff")
        for n in range(30):  # counted whatever the answer: there is no such item
            assert browser.post(f"/moderation/items/{1000 + n}/claim").status_code == 302
            ack = staff.emit("queue:claim", {"item_id": 1000 + n}, namespace="/staff", callback=True)
            assert ack["error"]["code"] == "not_found", ack
        assert_ack_refused(staff.emit("queue:claim", {"item_id": 1}, namespace="/staff", callback=True), limit)
        assert_page_refused(browser.post("/moderation/items/1/release"), limit)
    finally:
        staff.disconnect(namespace="/staff")
    other, _ = person(people["admin"])  # another account at the same address is not slowed down
    assert other.post("/moderation/items/1/claim").status_code == 302


def test_changing_the_password_and_deleting_the_account_share_one_budget(people, person, rate_limits_on):
    """Both check the current password: a stolen session gets 10 guesses an hour in all, not 10 on each form."""
    limit = accounts.PASSWORD_CHECK
    browser, _ = person(people["resident"])
    for n in range(5):
        wrong = {"current": f"not it {n}", "password": "a new long password", "confirm": "a new long password"}
        assert browser.post("/account/password", data=wrong).status_code == 400
        assert browser.post("/account/delete", data={"password": f"not it {n}", "confirm": "yes"}).status_code == 400
    assert browser.get("/account/delete").status_code == 200  # reading the page is not counted
    assert_page_refused(browser.post("/account/delete", data={"password": PASSWORD, "confirm": "yes"}), limit)
    right = {"current": PASSWORD, "password": "a new long password", "confirm": "a new long password"}
    assert_page_refused(browser.post("/account/password", data=right), limit)
    other, _ = person(people["resident2"])
    assert other.post("/account/password", data=right | {"current": "wrong"}).status_code == 400
