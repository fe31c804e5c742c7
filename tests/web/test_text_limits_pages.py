"""Forms state their limits in characters as people see them and set no maxlength that disagrees."""

from __future__ import annotations

import re

import pytest

from debate.models import Reply
from debate.services.forums import posts as forums

pytestmark = pytest.mark.usefixtures("forum_policy")

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
THUMB = "\U0001f44d\U0001f3fd"
EMOJI_RICH = ("Hello " + THUMB + " " + FAMILY + " ") * 499 + "Thank you!"  # 5,000 characters, 11,487 UTF-16 units


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Thread Author"), "housing", "A thread", "Its body").item


def test_the_reply_box_states_its_limit_and_has_no_maxlength(client, login, make_user, thread):
    login(make_user())
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    box = re.search(r"<textarea[^>]*id=\"body\"[^>]*>", page).group(0)
    assert 'data-max-chars="5000"' in box and "maxlength" not in box
    assert "Up to 5,000 characters." in page
    assert "js/charcount.js" in page


def test_an_emoji_rich_reply_at_the_limit_is_stored_whole_from_the_form(client, login, make_user, thread):
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": EMOJI_RICH})
    assert response.status_code == 302
    assert Reply.query.one().body == EMOJI_RICH


def test_one_character_over_is_refused_and_the_typed_text_kept(client, login, make_user, thread):
    login(make_user())
    typed = EMOJI_RICH + "!"
    response = client.post(f"/threads/{thread.id}/replies", data={"body": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your reply is too long: 5,001 characters, and the limit is 5,000. Please shorten it." in page
    assert typed in page
    assert Reply.query.count() == 0


def test_the_json_api_counts_the_same_way(client, login, make_user, thread):
    login(make_user())
    over = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": EMOJI_RICH + "!"})
    assert over.status_code == 400 and "5,001 characters" in over.get_json()["error"]["message"]
    assert client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": EMOJI_RICH}).status_code == 201


def one_line_field(page: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*>', page, re.S).group(0)


def test_one_line_fields_with_limits_use_the_character_counter(client, login, make_user, topic):
    name = one_line_field(client.get("/register").get_data(as_text=True), "display_name")
    assert re.search(r"\srequired\s", name) and re.search(r'\sdata-max-chars="60"', name), name
    assert "maxlength" not in name
    email = one_line_field(client.get("/register").get_data(as_text=True), "email")
    assert re.search(r"\srequired\s", email) and re.search(r'\smaxlength="254"', email), email
    login(make_user())
    title = one_line_field(client.get("/topics/housing/new").get_data(as_text=True), "title")
    assert 'data-max-chars="150"' in title and "maxlength" not in title
