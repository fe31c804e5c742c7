"""The census profile: the admin form (shares add up to about 100) and the CSV upload, good and malformed."""

from __future__ import annotations

import io

import pytest

from debate.models import Role
from debate.services.equality import census

GOOD = (
    "question,category,percent,source,year\n"
    "sex,female,51.2,Census 2021 (ONS),2021\n"
    "sex,male,48.8,Census 2021 (ONS),2021\n"
    "postcode_district,CF10,20,Census 2021 (ONS),2021\n"
    "postcode_district,CF11,25,Census 2021 (ONS),2021\n"
)


def upload(client, text: str | bytes):
    body = text.encode() if isinstance(text, str) else text
    return client.post(
        "/admin/census/upload", data={"file": (io.BytesIO(body), "census.csv")}, content_type="multipart/form-data"
    )


def test_an_admin_enters_a_question_by_form(app, make_user, signed_in):
    client = signed_in(make_user(Role.ADMIN))
    form = {
        "question": "main_language",
        "share-english": "80",
        "share-welsh": "18.5",
        "share-other": "1.5",
        "source": "Census 2021",
        "year": "2021",
    }
    assert client.post("/admin/census", data=form).status_code == 302
    profile = census.profile()
    assert profile.shares["main_language"] == {"english": 80, "welsh": 18.5, "other": 1.5}
    assert profile.sources["main_language"] == ("Census 2021", 2021)
    page = client.get("/admin/census").get_data(as_text=True)
    assert 'value="18.5"' in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"share-english": "80", "share-welsh": "5"}, "add up to 85"),
        ({"share-english": "abc"}, "number from 0 to 100"),
        ({"share-english": "nan"}, "number from 0 to 100"),
        ({"share-english": "101"}, "number from 0 to 100"),
        ({"share-english": "100", "year": "1066"}, "year"),
        ({"share-english": "100", "source": ""}, "where the figures come from"),
    ],
)
def test_the_form_refuses_shares_that_do_not_add_up(app, make_user, signed_in, form, message):
    client = signed_in(make_user(Role.ADMIN))
    data = {"question": "main_language", "source": "Census 2021", "year": "2021", **form}
    response = client.post("/admin/census", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert census.profile().shares == {}


def test_a_good_csv_is_loaded_and_replaces_only_its_questions(app, make_user, signed_in):
    client = signed_in(make_user(Role.ADMIN))
    client.post("/admin/census", data={"question": "age", "share-16-24": "100", "source": "Earlier", "year": "2011"})
    assert upload(client, GOOD).status_code == 302
    profile = census.profile()
    assert profile.shares["sex"] == {"female": 51.2, "male": 48.8}
    assert profile.shares["postcode_district"] == {"CF10": 20, "CF11": 25}
    assert profile.shares["age"] == {"16-24": 100}
    assert upload(client, "\ufeff" + GOOD.replace("51.2", "52.2").replace("48.8", "47.8")).status_code == 302
    assert census.profile().shares["sex"] == {"female": 52.2, "male": 47.8}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Choose a CSV file"),
        ("q,c\nsex,female\n", "first line must be"),
        ("question,category,percent,source,year\n", "no rows of figures"),
        ("question,category,percent,source,year\nsex,female,51,ONS\n", "does not have 5 columns"),
        ("question,category,percent,source,year\nsex,nonbinary,51,ONS,2021\n", "is not a question and answer"),
        ("question,category,percent,source,year\nshoe_size,9,51,ONS,2021\n", "is not a question and answer"),
        ("question,category,percent,source,year\npostcode_district,CF10 1AB,5,ONS,2021\n", "is not a question"),
        ("question,category,percent,source,year\nsex,female,60,ONS,2021\nsex,male,60,ONS,2021\n", "add up to 120"),
        ("question,category,percent,source,year\nsex,female,,ONS,2021\n", "has no share"),
        ("question,category,percent,source,year\nsex,female,50,ONS,2021\nsex,female,50,ONS,2021\n", "repeats"),
        ("question,category,percent,source,year\nsex,female,=1+1,ONS,2021\n", "number from 0 to 100"),
        (b"question,category,percent,source,year\nsex,f\xffmale,50,ONS,2021\n", "UTF-8"),
        ("question,category,percent,source,year\n" + "sex,female,50,ONS,2021\n" * 20000, "too large"),
    ],
)
def test_a_malformed_csv_is_refused_whole(app, make_user, signed_in, body, message):
    client = signed_in(make_user(Role.ADMIN))
    response = upload(client, body)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert census.profile().shares == {}


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.MODERATOR])
def test_only_admins_change_the_census(app, make_user, signed_in, role):
    client = signed_in(make_user(role))
    assert client.get("/admin/census").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert (
        client.post(
            "/admin/census",
            data={"question": "sex", "share-female": "50", "share-male": "50", "source": "x", "year": "2021"},
        ).status_code
        == 403
    )
    assert census.profile().shares == {}
