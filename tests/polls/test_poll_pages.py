"""Polls without JavaScript: the host prepares, opens and closes with forms; residents answer with a real form
and are sent back to the room; the projector and the transcript show results."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models.polls import Poll, PollAnswer
from debate.services.live import polls
from debate.services.live import sessions as live_sessions
from tests.conftest import PASSWORD
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.usefixtures("forum_policy")


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.fixture
def browser(app):
    def make(user=None):
        client = app.test_client()
        if user is not None:
            assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return make


def test_no_js_journey_prepare_open_answer_change_close(browser, people, live):
    host, resident = browser(people["admin"]), browser(people["resident"])
    page = host.get(f"/sessions/{live.id}/polls")
    assert page.status_code == 200 and "Prepare a poll" in text(page)
    sent = host.post(
        f"/sessions/{live.id}/polls",
        data={
            "question": "Which park needs work first?",
            "kind": "single",
            "options": ["Victoria Park", "Mill Green", ""],
            "options_cy": ["Parc Victoria", "", ""],
        },
    )
    assert sent.status_code == 302
    poll = db.session.scalar(select(Poll))
    assert [(o.label, o.label_cy) for o in poll.options] == [("Victoria Park", "Parc Victoria"), ("Mill Green", "")]
    assert "Which park" not in text(resident.get(f"/sessions/{live.id}"))  # a draft is the staff's
    room = host.get(f"/sessions/{live.id}")
    assert "Open the poll" in text(room)
    assert host.post(f"/sessions/{live.id}/polls/{poll.id}/open").status_code == 302

    room = resident.get(f"/sessions/{live.id}")
    body = room.get_data(as_text=True)
    assert f'action="/sessions/{live.id}/polls/{poll.id}/answer"' in body
    assert "Send my answer" in text(room) and "0 answers" in text(room)
    victoria, mill = option_ids(poll)
    answered = resident.post(f"/sessions/{live.id}/polls/{poll.id}/answer", data={"choices": str(victoria)})
    assert answered.status_code == 302 and answered.headers["Location"].endswith(f"/sessions/{live.id}#poll-{poll.id}")
    room = resident.get(f"/sessions/{live.id}")
    assert "Your answer is saved" in text(room) and "Change my answer" in text(room) and "1 answer" in text(room)
    assert f'value="{victoria}" checked' in room.get_data(as_text=True)
    resident.post(f"/sessions/{live.id}/polls/{poll.id}/answer", data={"choices": str(mill)})
    assert db.session.scalar(select(PollAnswer.choices)) == [mill]

    assert host.post(f"/sessions/{live.id}/polls/{poll.id}/close").status_code == 302
    refused = resident.post(f"/sessions/{live.id}/polls/{poll.id}/answer", data={"choices": str(victoria)})
    assert refused.status_code == 302
    room = resident.get(f"/sessions/{live.id}")
    assert "This poll is closed" in text(room) and "Send my answer" not in text(room)
    assert db.session.scalar(select(PollAnswer.choices)) == [mill]


def test_a_bad_poll_form_is_shown_again_with_what_was_typed(browser, people, live):
    host = browser(people["admin"])
    typed = {"question": "Bins or buses?", "kind": "single", "options": ["Bins"]}
    page = host.post(f"/sessions/{live.id}/polls", data=typed)
    assert page.status_code == 400
    assert "A choice poll needs from 2 to 10 options." in text(page)
    assert 'value="Bins or buses?"' in page.get_data(as_text=True)


def test_residents_cannot_reach_the_hosts_pages_or_buttons(browser, people, live, make_poll):
    poll = make_poll(live, open_=False)
    resident = browser(people["resident"])
    assert resident.get(f"/sessions/{live.id}/polls").status_code == 403
    assert resident.post(f"/sessions/{live.id}/polls/{poll.id}/open").status_code == 302
    assert db.session.get(Poll, poll.id).state == Poll.DRAFT
    assert browser().post(f"/sessions/{live.id}/polls/{poll.id}/answer").status_code == 302  # to sign in


def test_hidden_results_until_close_on_the_room_page(browser, people, live, make_poll):
    poll = make_poll(live, hide=True, options=("Bins weekly", "Bins fortnightly"))
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    resident_room = text(browser(people["resident2"]).get(f"/sessions/{live.id}"))
    assert "The results are shown when the poll closes." in resident_room and "100%" not in resident_room
    assert "100%" in text(browser(people["moderator"]).get(f"/sessions/{live.id}"))
    polls.close_poll(people["admin"], poll.id)
    assert "100%" in text(browser(people["resident2"]).get(f"/sessions/{live.id}"))


def test_projector_and_transcript_show_results(browser, people, live, make_poll):
    scale = make_poll(live, "scale", question="How safe do you feel in the town centre?")
    polls.answer(people["resident"], scale.id, value=4)
    projector = text(browser().get(f"/sessions/{live.id}/projector"))
    assert "How safe do you feel" in projector and "Average: 4.0 (from 1 to 5)." in projector
    polls.close_poll(people["admin"], scale.id)
    live_sessions.end(people["admin"], live.id)
    transcript = browser().get(f"/sessions/{live.id}/transcript")
    assert "Polls and their results" in text(transcript) and "1 answer" in text(transcript)
    assert "<svg" in transcript.get_data(as_text=True) and "of answers</title>" in transcript.get_data(as_text=True)
