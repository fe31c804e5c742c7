"""Admins build surveys: details, sections, questions and options, order, deletion while nobody has answered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debate.errors import Conflict, PermissionDenied, ValidationError
from debate.models.base import utcnow
from debate.models.surveys import Survey, SurveyQuestion
from debate.services.surveys import access, answering, building
from tests.surveys.conftest import full_answers


def test_an_admin_builds_a_survey_with_every_kind_of_question(build):
    survey = build()
    assert survey.state == Survey.OPEN
    assert [s.title for s in survey.sections] == ["Your home", "What next"]
    kinds = [q.kind for q in survey.questions]
    assert kinds == ["single", "scale", "multiple", "ranking", "text"]
    assert [o.label for o in survey.questions[2].options] == ["Build", "Repair", "Help"]
    assert survey.questions[4].max_length == 20 and survey.questions[0].max_length is None
    assert survey.questions[0].required and not survey.questions[2].required
    assert survey.questions[0].why == "So we know."


def test_only_admins_build(build, people, topic):
    form = building.SurveyForm(topic_id=topic.id, title="Mine", opens_at=utcnow(), closes_at=utcnow() + timedelta(1))
    for role in ("resident", "moderator", "councillor"):
        with pytest.raises(PermissionDenied):
            building.create(people[role], form)
    survey = build()
    with pytest.raises(PermissionDenied):
        building.add_section(people["moderator"], survey.id, "Sneaky")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"topic_id": "999999"}, "topic_id"),
        ({"opens_at": "not a date"}, "opens_at"),
        ({"closes_at": "2020-01-01T09:00"}, "closes_at"),
        ({"title": "x" * 151}, "title"),
    ],
)
def test_bad_details_are_refused_with_the_field(people, topic, change, field):
    values = {"topic_id": topic.id, "title": "Homes", "opens_at": "2027-03-01T09:00", "closes_at": "2027-04-01T09:00"}
    with pytest.raises(ValidationError) as refused:
        building.create(people["admin"], building.SurveyForm(**(values | change)))
    assert refused.value.field == field
    assert access.listing(people["admin"]).drafts == []


def test_questions_need_two_distinct_options_and_a_text_limit(build, people):
    survey = build(publish=False)
    section = survey.sections[0]
    admin = people["admin"]
    bad = [
        (building.QuestionForm(kind="single", prompt="Which?", options=["Only one"]), "options"),
        (building.QuestionForm(kind="single", prompt="Which?", options=["Same", "Same"]), "options"),
        (building.QuestionForm(kind="text", prompt="Say?", max_length="0"), "max_length"),
        (building.QuestionForm(kind="text", prompt="Say?", max_length="99999"), "max_length"),
        (building.QuestionForm(kind="poll", prompt="What?"), "kind"),
    ]
    for form, field in bad:
        with pytest.raises(ValidationError) as refused:
            building.add_question(admin, survey.id, section.id, form)
        assert refused.value.field == field
    assert len(access.get(survey.id).questions) == 5


def test_reorder_and_delete_while_nobody_has_answered(build, people):
    survey = build(publish=False)
    admin = people["admin"]
    second = survey.sections[1]
    building.move(admin, survey.id, "section", second.id, -1)
    assert [s.title for s in access.get(survey.id).sections] == ["What next", "Your home"]
    ranking = next(q for q in survey.questions if q.kind == "ranking")
    building.move(admin, survey.id, "question", ranking.id, -1)
    assert [q.kind for q in access.get(survey.id).sections[0].questions] == ["ranking", "multiple", "text"]
    building.delete(admin, survey.id, "question", ranking.id)
    assert [q.kind for q in access.get(survey.id).sections[0].questions] == ["multiple", "text"]
    assert [q.position for q in access.get(survey.id).sections[0].questions] == [0, 1]
    building.delete(admin, survey.id, "section", second.id)
    assert [s.title for s in access.get(survey.id).sections] == ["Your home"]


def test_the_structure_is_locked_once_someone_answers(build, people):
    survey = build()
    answering.save(people["resident"], survey.id, full_answers(survey), submit=False)
    admin = people["admin"]
    with pytest.raises(Conflict):
        building.add_section(admin, survey.id, "Late")
    with pytest.raises(Conflict):
        building.delete(admin, survey.id, "question", survey.questions[0].id)
    with pytest.raises(Conflict):
        building.delete_survey(admin, survey.id)
    # The details and publishing still change.
    building.set_results_published(admin, survey.id, True)
    assert access.get(survey.id).results_published


def test_a_survey_needs_a_question_before_it_is_published(people, topic):
    form = building.SurveyForm(topic_id=topic.id, title="Empty", opens_at=utcnow(), closes_at=utcnow() + timedelta(1))
    survey = building.create(people["admin"], form)
    with pytest.raises(ValidationError):
        building.set_published(people["admin"], survey.id, True)
    assert access.get(survey.id).state == Survey.DRAFT


def test_drafts_are_seen_by_admins_only(build, people):
    survey = build(publish=False)
    assert access.listing(people["admin"]).drafts == [survey]
    assert access.listing(people["resident"]).drafts == []
    assert access.visible(people["admin"], survey.id) is survey
    with pytest.raises(Exception) as hidden:
        access.visible(people["resident"], survey.id)
    assert getattr(hidden.value, "code", "") == "not_found"
    assert SurveyQuestion.TEXT in SurveyQuestion.KINDS


def test_a_question_is_rewritten_and_a_section_renamed_before_anyone_answers(build, people):
    survey = build(publish=False)
    admin = people["admin"]
    single = survey.questions[0]
    form = building.QuestionForm(kind="ranking", prompt="Order these", options=["A", "B", "C"], options_cy=["", "Bi"])
    building.edit_question(admin, survey.id, single.id, form)
    rewritten = access.get(survey.id).questions[0]
    assert (rewritten.id, rewritten.kind, rewritten.prompt) == (single.id, "ranking", "Order these")
    assert [(o.label, o.label_cy) for o in rewritten.options] == [("A", ""), ("B", "Bi"), ("C", "")]
    # A refused rewrite changes nothing.
    with pytest.raises(ValidationError):
        building.edit_question(admin, survey.id, single.id, building.QuestionForm(kind="single", prompt="", options=[]))
    from debate.extensions import db

    db.session.rollback()
    assert access.get(survey.id).questions[0].prompt == "Order these"
    building.rename_section(admin, survey.id, survey.sections[0].id, "About your home", "Am eich cartref")
    assert (access.get(survey.id).sections[0].title, access.get(survey.id).sections[0].title_cy) == (
        "About your home",
        "Am eich cartref",
    )
    with pytest.raises(ValidationError) as refused:
        building.rename_section(admin, survey.id, survey.sections[0].id, "")
    assert refused.value.field == "section_title"
