"""One unit of length everywhere: characters as people see them, with a code-point safety cap."""

from __future__ import annotations

import pytest

from debate.errors import ValidationError
from debate.models import Role
from debate.services import text
from debate.services.accounts import credentials as accounts
from debate.services.forums import posts as forums
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("forum_policy")

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 7 code points, 11 UTF-16 units
THUMB = "\U0001f44d\U0001f3fd"  # 2 code points, 4 UTF-16 units
# 5,000 characters that are 7,500 code points and 12,500 UTF-16 units: textarea maxlength stopped at 5,000 units.
EMOJI_RICH = ("Hello " + THUMB + " " + FAMILY + " ") * 500


@pytest.mark.parametrize(
    ("value", "count"),
    [("abc", 3), ("e\u0301", 1), (FAMILY, 1), (THUMB, 1), ("\U0001f1ec\U0001f1e7", 1), ("क्ष", 1), ("a\r\nb", 3)],
)
def test_length_counts_what_a_person_sees(value, count):
    assert text.length(value) == count


def test_shorten_never_cuts_inside_a_character():
    cut = text.shorten(FAMILY * 10, 20)
    assert cut == FAMILY * 2 + "\u2026" and len(cut) <= 20


def test_a_reply_at_its_limit_in_characters_is_accepted_whole(app, make_user, topic):
    assert text.length(EMOJI_RICH) == 10 * 500 and len(EMOJI_RICH) > 5000
    author = make_user()
    thread = forums.start_thread(author, "housing", "Emoji", "Body").item
    assert forums.post_reply(author, thread.id, EMOJI_RICH.strip() + "!").item.body == EMOJI_RICH.strip() + "!"


def test_a_reply_one_character_over_is_refused_in_characters(app, make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Emoji", "Body").item
    with pytest.raises(ValidationError) as refused:
        forums.post_reply(author, thread.id, THUMB * 5001)
    assert (
        refused.value.message == "Your reply is too long: 5,001 characters, and the limit is 5,000. Please shorten it."
    )


def test_the_code_point_cap_refuses_a_combining_flood_with_its_own_message(app, make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Emoji", "Body").item
    with pytest.raises(ValidationError) as refused:
        forums.post_reply(author, thread.id, "Z" + "\u0336" * 20_000)
    assert "too large to accept" in refused.value.message and "at most 20,000" in refused.value.message


def test_an_emoji_rich_title_and_name_at_their_limits_are_stored(app, make_user, topic):
    title = "Bridge " + FAMILY * 143  # 150 characters but 1,008 code points: over the cap of 600
    with pytest.raises(ValidationError, match="at most 150 characters"):  # past the cap: plainly too long
        forums.start_thread(make_user(), "housing", title, "Body")
    title = "Bridge works " + THUMB * 137  # 150 characters, 287 code points
    assert forums.start_thread(make_user(), "housing", title, "Body").item.title == title
    name = "Ada " + THUMB * 56  # 60 characters, 116 code points: VARCHAR(60) refused it on PostgreSQL
    with app.test_request_context():  # the verification email builds a link
        accounts.register(name, "ada@example.org", PASSWORD, PASSWORD)
        assert accounts.find_by_email("ada@example.org").display_name == name
        with pytest.raises(ValidationError, match="at most 60 characters"):
            accounts.register(name + "!", "ada2@example.org", PASSWORD, PASSWORD)


def test_rep_profile_fields_count_characters(app, make_user):
    from debate.services.accounts import roles

    user = make_user(Role.RESIDENT)
    title = "Councillor " + THUMB * 109  # 120 characters
    roles.request_representative(user, "councillor", title, "Riverside", "")
    assert user.representative.title == title
