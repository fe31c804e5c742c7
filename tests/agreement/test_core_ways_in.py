"""The voting page, the JSON API and the `agree:vote` socket event: the same services, one limit, clear errors."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from debate.extensions import db, socketio
from debate.models.agreement import AgreementVote
from debate.services.agreement import statements, voting
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def person(app):
    """A browser signed in as `user`, with a socket sharing its cookies (None: signed out)."""
    opened = []

    def make(user=None, lang=None):
        browser = app.test_client()
        if user is not None:
            assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        tc = socketio.test_client(app, flask_test_client=browser, query_string=f"lang={lang}" if lang else None)
        opened.append(tc)
        return browser, tc

    yield make
    for tc in opened:
        if tc.is_connected():
            tc.disconnect()
        type(tc).clients.pop(tc.eio_sid, None)


def votes() -> int:
    return db.session.scalar(select(func.count()).select_from(AgreementVote))


def test_the_page_shows_one_card_and_the_forms_vote_through_every_statement(app, make_round, people, person):
    made = make_round()
    browser, _ = person(people["alice"])
    page = browser.get(f"/rounds/{made.id}")
    assert page.status_code == 200
    assert "You have voted on 0 of 3 statements." in text(page)
    assert 'dir="auto"' in page.get_data(as_text=True)
    for n in range(3):
        shown = voting.next_statement(people["alice"], made)
        assert shown.body in text(browser.get(f"/rounds/{made.id}"))
        sent = browser.post(f"/rounds/{made.id}/vote", data={"statement_id": shown.id, "choice": "agree"})
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/rounds/{made.id}#agree-card")
        after = text(browser.get(f"/rounds/{made.id}"))
        assert f"You have voted on {n + 1} of 3 statements." in after
    assert "You have voted on every statement" in after
    assert votes() == 3


def test_signed_out_readers_see_the_statement_and_a_sign_in_link_but_cannot_vote(app, make_round, person):
    made = make_round()
    browser, _ = person()
    page = text(browser.get(f"/rounds/{made.id}"))
    assert "Sign in to vote" in page and "Sign in to add a statement" in page
    refused = browser.post(f"/rounds/{made.id}/vote", data={"statement_id": 1, "choice": "agree"})
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert votes() == 0


def test_a_draft_round_is_not_found_for_residents(app, make_round, people, person):
    made = make_round(open_=False)
    browser, _ = person(people["alice"])
    assert browser.get(f"/rounds/{made.id}").status_code == 404
    assert browser.get("/rounds/99999").status_code == 404
    staff, _ = person(people["moderator"])
    assert staff.get(f"/rounds/{made.id}").status_code == 200


def test_a_bad_vote_by_form_is_told_and_stores_nothing(app, make_round, people, person):
    made = make_round()
    browser, _ = person(people["alice"])
    shown = voting.next_statement(people["alice"], made)
    sent = browser.post(
        f"/rounds/{made.id}/vote", data={"statement_id": shown.id, "choice": "maybe"}, follow_redirects=True
    )
    assert "Choose agree, disagree or pass." in text(sent)
    assert votes() == 0


def test_adding_a_statement_by_form_shows_it_under_your_statements(app, make_round, people, person):
    made = make_round()
    browser, _ = person(people["alice"])
    key = re.search(r'name="submission_key" value="([^"]+)"', browser.get(f"/rounds/{made.id}").get_data(as_text=True))[
        1
    ]
    for _ in range(2):  # the same form twice: one statement
        added = browser.post(
            f"/rounds/{made.id}/statements", data={"body": "Open the library on Sundays.", "submission_key": key}
        )
        assert added.status_code == 302
    page = text(browser.get(f"/rounds/{made.id}"))
    assert "Your statements" in page and "Open the library on Sundays." in page
    assert len(statements.mine(people["alice"], made)) == 1
    too_long = browser.post(f"/rounds/{made.id}/statements", data={"body": "x" * 141})
    assert too_long.status_code == 400
    assert "Your statement is too long: 141 characters, and the limit is 140." in text(too_long)
    assert "x" * 141 in too_long.get_data(as_text=True)  # what was typed is kept


def test_the_json_api_reads_the_next_card_votes_and_adds(app, make_round, people, person):
    made = make_round()
    browser, _ = person(people["alice"])
    first = browser.get(f"/api/v1/rounds/{made.id}/next").get_json()["data"]
    assert first["progress"] == {"voted": 0, "total": 3}
    shown = first["statement"]
    voted = browser.post(f"/api/v1/rounds/{made.id}/votes", json={"statement_id": shown["id"], "choice": "disagree"})
    assert voted.status_code == 200
    data = voted.get_json()["data"]
    assert (data["choice"], data["previous"], data["next"]["progress"]["voted"]) == ("disagree", None, 1)
    assert data["next"]["statement"]["id"] != shown["id"]
    changed = browser.post(f"/api/v1/rounds/{made.id}/votes", json={"statement_id": shown["id"], "choice": "agree"})
    assert changed.get_json()["data"]["previous"] == "disagree"
    bad = browser.post(f"/api/v1/rounds/{made.id}/votes", json={"statement_id": shown["id"], "choice": 1})
    assert (bad.status_code, bad.get_json()["error"]["field"]) == (400, "choice")
    missing = browser.post(f"/api/v1/rounds/{made.id}/votes", json={"statement_id": 10**12, "choice": "agree"})
    assert missing.status_code == 404
    added = browser.post(f"/api/v1/rounds/{made.id}/statements", json={"body": "Fewer potholes, please."})
    assert added.status_code == 201
    assert added.get_json()["data"]["state"] == "published" and added.get_json()["data"]["reason"] == ""
    signed_out, _ = person()
    assert (
        signed_out.post(
            f"/api/v1/rounds/{made.id}/votes", json={"statement_id": shown["id"], "choice": "agree"}
        ).status_code
        == 401
    )
    assert signed_out.get(f"/api/v1/rounds/{made.id}/next").get_json()["data"]["progress"] == {"voted": 0, "total": 4}


def test_the_socket_event_acks_the_vote_and_the_next_card(app, make_round, people, person):
    made = make_round()
    _, tc = person(people["alice"])
    shown = voting.next_statement(people["alice"], made)
    ack = tc.emit("agree:vote", {"round_id": made.id, "statement_id": shown.id, "choice": "pass"}, callback=True)
    assert ack["ok"] is True, ack
    data = ack["data"]
    assert (data["choice"], data["progress"]["voted"], data["progress"]["total"]) == ("pass", 1, 3)
    assert data["progress"]["text"] == "You have voted on 1 of 3 statements."
    following = voting.next_statement(people["alice"], made)
    assert data["next_statement_id"] == following.id
    assert 'id="agree-card"' in data["html"] and following.body in data["html"] and 'name="choice"' in data["html"]
    assert votes() == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"statement_id": 1, "choice": "agree"}, "invalid"),  # no round
        ({"round_id": "1", "statement_id": 1, "choice": "agree"}, "invalid"),
        ({"round_id": 1, "statement_id": 1, "choice": "yes"}, "invalid"),
        ({"round_id": 1, "statement_id": 1, "choice": "agree", "voter_id": 2}, "invalid"),
        ({"round_id": 99999, "statement_id": 1, "choice": "agree"}, "not_found"),
    ],
)
def test_the_socket_event_refuses_bad_payloads_clearly(app, make_round, people, person, payload, code):
    made = make_round()
    payload = {**payload, "round_id": made.id} if payload.get("round_id") == 1 else payload
    _, tc = person(people["alice"])
    ack = tc.emit("agree:vote", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    assert votes() == 0


def test_the_socket_event_needs_a_signed_in_member_and_speaks_their_language(app, make_round, people, person):
    made = make_round()
    shown = voting.next_statement(people["alice"], made)
    _, anonymous = person()
    ack = anonymous.emit(
        "agree:vote", {"round_id": made.id, "statement_id": shown.id, "choice": "agree"}, callback=True
    )
    assert ack["error"]["code"] == "login_required"
    _, welsh = person(people["alice"], lang="cy")
    closed = make_round()
    from debate.services.agreement import rounds

    rounds.close_round(people["moderator"], closed)
    statement = statements.public(closed)[0]
    refused = welsh.emit(
        "agree:vote", {"round_id": closed.id, "statement_id": statement.id, "choice": "agree"}, callback=True
    )
    assert refused["error"]["code"] == "conflict" and refused["error"]["message"]
    assert votes() == 0


def test_the_form_the_api_and_the_socket_share_one_budget(app, make_round, people, person, rate_limits_on, make_user):
    limit = voting.VOTE
    assert limit.rate == "120/minute"
    made = make_round()
    ids = [s.id for s in statements.public(made)]
    browser, tc = person(people["alice"])
    for n in range(40):
        statement_id, choice = ids[n % 3], ("agree", "disagree", "pass")[n % 3]
        assert (
            browser.post(f"/rounds/{made.id}/vote", data={"statement_id": statement_id, "choice": choice}).status_code
            == 302
        )
        assert (
            browser.post(
                f"/api/v1/rounds/{made.id}/votes", json={"statement_id": statement_id, "choice": choice}
            ).status_code
            == 200
        )
        assert tc.emit(
            "agree:vote", {"round_id": made.id, "statement_id": statement_id, "choice": choice}, callback=True
        )["ok"]
    over = tc.emit("agree:vote", {"round_id": made.id, "statement_id": ids[0], "choice": "agree"}, callback=True)
    assert over["error"]["code"] == "rate_limited" and over["error"]["message"] == str(limit.message)
    assert (
        browser.post(f"/api/v1/rounds/{made.id}/votes", json={"statement_id": ids[0], "choice": "agree"}).status_code
        == 429
    )
    assert browser.post(f"/rounds/{made.id}/vote", data={"statement_id": ids[0], "choice": "agree"}).status_code == 429
    _, other = person(people["bob"])  # counted per account
    assert other.emit("agree:vote", {"round_id": made.id, "statement_id": ids[0], "choice": "agree"}, callback=True)[
        "ok"
    ]
