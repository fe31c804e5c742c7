"""Residents answer: save a draft and come back, submit with required answers, change until the close, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from debate.errors import NotSignedIn, PermissionDenied
from debate.extensions import db
from debate.models.accounts import Role
from debate.models.base import utcnow
from debate.models.surveys import SurveyAnswer, SurveyResponse, SurveyTextAnswer
from debate.services.surveys import answering
from debate.services.text import length
from tests.surveys.conftest import full_answers


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_save_a_draft_and_come_back_to_it(build, people):
    survey = build()
    resident = people["resident"]
    one, rating, *_ = survey.questions
    draft = answering.save(resident, survey.id, {one.id: str(one.options[1].id)}, submit=False)
    assert draft.submitted_at is None and draft.respondent == 1
    # Coming back: the stored answers fill the form again, exactly as given.
    again = answering.response_of(resident, survey.id)
    assert answering.given_of(survey, again) == {one.id: str(one.options[1].id)}
    answers = full_answers(survey)
    sent = answering.save(resident, survey.id, answers, submit=True)
    assert sent.id == draft.id and sent.submitted_at is not None
    assert answering.given_of(survey, sent) == answers
    assert _count(SurveyResponse) == 1


def test_submitting_needs_every_required_answer_and_reports_them_all(build, people):
    survey = build()
    one, rating, many, *_ = survey.questions
    with pytest.raises(answering.AnswersInvalid) as refused:
        answering.save(people["resident"], survey.id, {many.id: [str(many.options[0].id)]}, submit=True)
    assert set(refused.value.errors) == {f"q{one.id}", f"q{rating.id}"}
    assert _count(SurveyResponse) == 0 and _count(SurveyAnswer) == 0  # nothing half-written
    # A draft may leave them out.
    assert answering.save(people["resident"], survey.id, {many.id: [str(many.options[0].id)]}, submit=False)


def test_answers_change_until_the_close_and_not_after(build, people):
    survey = build()
    resident = people["resident"]
    answering.save(resident, survey.id, full_answers(survey, single=0, scale=2), submit=True)
    answering.save(resident, survey.id, full_answers(survey, single=1, scale=5), submit=True)
    changed = answering.given_of(survey, answering.response_of(resident, survey.id))
    one, rating, *_ = survey.questions
    assert changed[one.id] == str(one.options[1].id) and changed[rating.id] == "5"
    assert _count(SurveyResponse) == 1
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        answering.save(resident, survey.id, full_answers(survey, scale=1), submit=True)
    assert answering.given_of(survey, answering.response_of(resident, survey.id))[rating.id] == "5"


def test_refused_before_it_opens_and_for_those_who_may_not_post(build, people, make_user):
    survey = build(opens_in=timedelta(days=1))
    with pytest.raises(PermissionDenied):
        answering.save(people["resident"], survey.id, full_answers(survey), submit=True)
    open_survey = build()
    with pytest.raises(NotSignedIn):
        answering.save(None, open_survey.id, full_answers(open_survey), submit=True)
    unconfirmed = make_user(Role.RESIDENT, "Una Unconfirmed", verified=False)
    with pytest.raises(PermissionDenied):
        answering.save(unconfirmed, open_survey.id, full_answers(open_survey), submit=True)
    draft = build(publish=False)
    with pytest.raises(Exception) as hidden:
        answering.save(people["resident"], draft.id, full_answers(draft), submit=False)
    assert getattr(hidden.value, "code", "") == "not_found"
    assert _count(SurveyResponse) == 0


@pytest.mark.parametrize(
    "ranks",
    [
        ["1", "1", "2"],  # a tie
        ["1", "2", "4"],  # out of range
        ["1", "2", ""],  # one left out
        ["1", "two", "3"],
    ],
)
def test_a_ranking_must_be_a_permutation(build, people, ranks):
    survey = build()
    ranked = survey.questions[3]
    answers = full_answers(survey) | {ranked.id: {o.id: r for o, r in zip(ranked.options, ranks, strict=True)}}
    with pytest.raises(answering.AnswersInvalid) as refused:
        answering.save(people["resident"], survey.id, answers, submit=True)
    assert list(refused.value.errors) == [f"q{ranked.id}"]


def test_choices_must_be_the_questions_own_options(build, people):
    survey = build()
    one, rating, many, *_ = survey.questions
    for wrong in ({one.id: str(many.options[0].id)}, {rating.id: "6"}, {rating.id: "0"}, {many.id: ["x"]}):
        with pytest.raises(answering.AnswersInvalid):
            answering.save(people["resident"], survey.id, full_answers(survey) | wrong, submit=True)
    assert _count(SurveyResponse) == 0


def test_free_text_is_limited_in_characters_as_people_see_them(build, people):
    survey = build()  # the text question allows 20 characters
    text = "Damp in our flat 👨‍👩‍👧‍👦!!"  # 20 characters, the family one character of seven code points
    assert len(text) == 26 and length(text) == 20
    written = survey.questions[4]
    answering.save(people["resident"], survey.id, full_answers(survey, text=text), submit=True)
    assert db.session.scalar(select(SurveyTextAnswer.body)) == text
    with pytest.raises(answering.AnswersInvalid) as refused:
        answering.save(people["resident2"], survey.id, full_answers(survey, text="x" * 21), submit=True)
    assert "21" in refused.value.errors[f"q{written.id}"]


def test_respondents_are_numbered_per_survey_and_listed_for_reports(build, people):
    survey = build()
    for name in ("resident", "resident2"):
        answering.save(people[name], survey.id, full_answers(survey), submit=True)
    answering.save(people["resident3"], survey.id, {}, submit=False)  # a draft is not a respondent
    numbers = db.session.scalars(select(SurveyResponse.respondent).order_by(SurveyResponse.respondent)).all()
    assert numbers == [1, 2, 3]
    assert answering.respondent_ids(survey.id) == sorted([people["resident"].id, people["resident2"].id])


def test_a_suspended_member_cannot_answer_and_a_muted_one_can(build, people):
    from debate.services.moderation import sanctions

    survey = build()
    sanctions.issue(people["moderator"], people["resident"].id, "suspension", "spam", "", "1d")
    with pytest.raises(PermissionDenied):
        answering.save(people["resident"], survey.id, full_answers(survey), submit=True)
    sanctions.issue(people["moderator"], people["resident2"].id, "mute", "spam", "", "1d")
    answers = full_answers(survey, text="")  # a muted member cannot write, but may choose
    assert answering.save(people["resident2"], survey.id, answers, submit=True).submitted_at is not None
    assert _count(SurveyResponse) == 1


def test_hostile_shapes_are_refused_without_writing(build, people):
    survey = build()
    one, rating, many, ranked, written = survey.questions
    hostile = [
        {one.id: {"nested": ["x"]}},
        {one.id: ["1", "2"]},
        {rating.id: 3.5},
        {rating.id: True},
        {many.id: [str(many.options[0].id)] * 1000},
        {ranked.id: ["1", "2", "3"]},
        {written.id: ["a list"]},
        {written.id: "\ufffe"},
    ]
    for given in hostile:
        with pytest.raises(answering.AnswersInvalid):
            answering.save(people["resident"], survey.id, full_answers(survey) | given, submit=True)
    assert _count(SurveyResponse) == 0 and _count(SurveyTextAnswer) == 0
