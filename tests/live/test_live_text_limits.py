"""Live questions, chat and answers count characters as people see them (grapheme clusters)."""

from __future__ import annotations

import pytest

from debate.errors import ValidationError
from debate.services.live import chat as live_chat
from debate.services.live import questions as live_questions

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


def test_ask_counts_a_family_emoji_as_one_character(people, live):
    body = "a" * 499 + FAMILY
    assert live_questions.ask(people["resident"], live.id, body).body == body
    with pytest.raises(ValidationError, match="501 characters, and the limit is 500"):
        live_questions.ask(people["resident2"], live.id, "a" * 500 + FAMILY)


def test_chat_counts_characters(people, live):
    message = live_chat.post(people["resident"], live.id, "\U0001f1ec\U0001f1e7" * 500)  # 500 flags, 1,000 code points
    assert message.body.count("\U0001f1ec\U0001f1e7") == 500


def test_room_page_states_the_limits_and_sets_no_maxlength_that_disagrees(client, login, people, live):
    login(people["resident"])
    page = client.get(f"/sessions/{live.id}").get_data(as_text=True)
    assert 'id="question-body"' in page and 'data-max-chars="500"' in page
    assert "Up to 500 characters." in page
    assert 'maxlength="500"' not in page


def test_no_js_ask_over_the_limit_keeps_what_was_typed(client, login, people, live):
    login(people["resident"])
    typed = "\U0001f44d\U0001f3fd" * 501
    response = client.post(f"/sessions/{live.id}/questions", data={"body": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your question is too long: 501 characters, and the limit is 500." in page
    assert typed in page
