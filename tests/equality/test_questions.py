"""The questions as data: the census's categories, "Prefer not to say", a reason for each, configured extras."""

from __future__ import annotations

from debate.services.equality import questions as q


def test_the_ethnic_groups_are_the_census_five_groups_and_nineteen_categories(app):
    ethnic = q.BY_KEY["ethnic_group"]
    assert len(ethnic.options) == 19
    groups = {str(o.group) for o in ethnic.options}
    assert groups == {
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    }
    assert len({o.value for o in ethnic.options}) == 19


def test_every_question_has_a_reason_and_codes_that_fit_the_column(app):
    for question in q.QUESTIONS:
        assert str(question.why).strip(), question.key
        assert len(question.key) <= 40
        assert all(len(o.value) <= 60 and o.value != q.PREFER_NOT for o in question.options)


def test_the_census_wording_of_sex_and_gender_identity(app):
    assert str(q.BY_KEY["sex"].label) == "What is your sex?"
    assert [o.value for o in q.BY_KEY["sex"].options] == ["female", "male"]
    assert str(q.BY_KEY["gender_identity"].label) == (
        "Is the gender you identify with the same as your sex registered at birth?"
    )
    assert [o.value for o in q.BY_KEY["gender_identity"].options] == ["yes", "no"]  # no write-in is stored


def test_ages_from_16_and_under_16_only_when_the_site_allows(app):
    asked = {question.key: question for question in q.asked()}
    assert [o.value for o in asked["age"].options] == ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    app.config["EQUALITY_UNDER_16"] = True
    assert q.question("age").options[0].value == "under_16"


def test_the_ward_is_asked_only_when_wards_are_configured(app):
    assert "ward" not in {question.key for question in q.asked()}
    app.config["EQUALITY_WARDS"] = ("Castle", "Riverside")
    ward = q.question("ward")
    assert [o.value for o in ward.options] == ["Castle", "Riverside"]


def test_postcode_districts_are_checked_by_format(app):
    assert q.clean_district(" cf10 ") == "CF10"
    assert q.clean_district("SA1") == "SA1"
    assert q.clean_district("W1A") == "W1A"
    for bad in ("CF10 1AB", "CF", "10CF", "<script>", "", "CF10-1", "ABC1"):
        assert q.clean_district(bad) is None, bad
