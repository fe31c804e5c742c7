"""A member's own answers: saved and changed through the form, blank apart from "Prefer not to say",
asked once, in "download my data", gone with the account."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.equality import EqualityAnswer
from debate.services import privacy
from debate.services.equality import answers
from tests.conftest import PASSWORD


def stored(user) -> dict[str, str]:
    return dict(
        db.session.execute(
            select(EqualityAnswer.question, EqualityAnswer.answer).where(EqualityAnswer.user_id == user.id)
        ).all()
    )


def test_the_form_saves_answers_prefer_not_and_blank_apart(app, make_user, signed_in):
    me = make_user()
    client = signed_in(me)
    page = client.get("/account/about-you")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "What is your sex?" in html and "Why we ask" in html and "Prefer not to say" in html
    form = {
        "age": "16-24",
        "sex": "prefer_not",
        "ethnic_group": "roma",
        "postcode_district": "cf10",
        "main_language": "",
    }
    response = client.post("/account/about-you", data=form)
    assert response.status_code == 302
    assert stored(me) == {"age": "16-24", "sex": "prefer_not", "ethnic_group": "roma", "postcode_district": "CF10"}

    # Changed: a blank removes the answer (not answered), a tick box says "prefer not" for the district.
    client.post(
        "/account/about-you",
        data={"age": "25-34", "sex": "", "postcode_district": "", "postcode_district-prefer-not": "yes"},
    )
    assert stored(me) == {"age": "25-34", "postcode_district": "prefer_not"}
    html = client.get("/account/about-you").get_data(as_text=True)
    assert 'id="age-25-34" name="age" value="25-34" checked' in html
    assert 'id="postcode_district-prefer-not" name="postcode_district-prefer-not" value="yes" checked' in html


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"age": "15"}, "age"),
        ({"sex": "<script>alert(1)</script>"}, "sex"),
        ({"postcode_district": "CF10 1AB"}, "postcode_district"),
        ({"ethnic_group": "x" * 5000}, "ethnic_group"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_half_written(app, make_user, signed_in, form, field):
    me = make_user()
    client = signed_in(me)
    client.post("/account/about-you", data={"age": "35-44"})
    response = client.post("/account/about-you", data={"main_language": "welsh", **form})
    assert response.status_code == 400
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert stored(me) == {"age": "35-44"}


def test_someone_elses_answers_cannot_be_reached(app, make_user, signed_in):
    owner, other = make_user(), make_user()
    signed_in(owner).post("/account/about-you", data={"ethnic_group": "arab"})
    html = signed_in(other).get("/account/about-you").get_data(as_text=True)
    assert "checked" not in html.replace('value="" checked', "")
    assert signed_in(other).post("/account/about-you", data={"user_id": str(owner.id), "age": "75+"}).status_code == 302
    assert stored(owner) == {"ethnic_group": "arab"}


def test_the_invitation_is_shown_once_and_never_blocks(app, make_user, signed_in):
    me = make_user()
    client = signed_in(me)
    page = client.get("/account/").get_data(as_text=True)
    assert "Help us see who is missing" in page and "Not now" in page
    assert client.post("/account/about-you/not-now").status_code == 302
    page = client.get("/account/").get_data(as_text=True)
    assert "Not now" not in page and "/account/about-you" in page  # still reachable from the settings
    assert not answers.invitation_due(me)


def test_answering_ends_the_invitation(app, make_user):
    me = make_user()
    answers.save(me, {"age": "45-54"})
    assert not answers.invitation_due(me)


def test_answers_are_in_the_data_download(app, make_user, signed_in):
    me = make_user()
    client = signed_in(me)
    client.post("/account/about-you", data={"ethnic_group": "gypsy_traveller", "sex": "prefer_not"})
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    section = data["sections"]["equality"]
    got = {a["key"]: a["answer"] for a in section["data"]["answers"]}
    assert got == {"ethnic_group": "gypsy_traveller", "sex": "prefer_not"}


@pytest.mark.parametrize("remove_content", [False, True])
def test_answers_are_erased_with_the_account(app, make_user, remove_content):
    me, other = make_user(), make_user()
    answers.save(me, {"ethnic_group": "roma", "postcode_district": "ZZ99"})
    answers.save(other, {"age": "65-74"})
    privacy.delete_user(me, True, remove_content)
    assert stored(me) == {}
    assert stored(other) == {"age": "65-74"}
    assert answers.invitation_due(me)  # its record of the invitation went too
    assert db.session.scalar(select(func.count()).select_from(EqualityAnswer)) == 1


def test_the_service_refuses_an_unknown_answer(app, make_user):
    me = make_user()
    with pytest.raises(ValidationError):
        answers.save(me, {"main_language": "klingon"})
    assert stored(me) == {}


def test_the_account_deletion_page_still_works(app, make_user, signed_in):
    me = make_user()
    client = signed_in(me)
    client.post("/account/about-you", data={"age": "16-24"})
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "yes"})
    assert response.status_code == 302
    assert stored(me) == {}


def test_a_ward_from_the_configured_list(app, make_user, signed_in):
    app.config["EQUALITY_WARDS"] = ("Castle", "Riverside")
    me = make_user()
    client = signed_in(me)
    assert 'value="Riverside"' in client.get("/account/about-you").get_data(as_text=True)
    assert client.post("/account/about-you", data={"ward": "Nowhere"}).status_code == 400
    assert client.post("/account/about-you", data={"ward": "Riverside"}).status_code == 302
    assert stored(me) == {"ward": "Riverside"}
