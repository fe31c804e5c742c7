"""Fixtures for surveys: people in every role (the live tests'), and an open survey built through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debate.models.base import utcnow
from debate.models.surveys import SurveyQuestion
from debate.services.surveys import building
from tests.live import conftest as live_fixtures

people = live_fixtures.people


@pytest.fixture
def build(app, people, topic, forum_policy):
    """Build a survey with one question of each kind (open now unless told otherwise); returns it."""

    def make(*, opens_in=timedelta(days=-1), closes_in=timedelta(days=7), publish=True):
        admin = people["admin"]
        now = utcnow()
        form = building.SurveyForm(
            topic_id=topic.id,
            title="Homes in our area",
            intro="Tell us.",
            opens_at=now + opens_in,
            closes_at=now + closes_in,
        )
        survey = building.create(admin, form)
        first = building.add_section(admin, survey.id, "Your home")
        second = building.add_section(admin, survey.id, "What next")
        kinds = [
            (first, SurveyQuestion.SINGLE, ["Own", "Rent"], True),
            (first, SurveyQuestion.SCALE, [], True),
            (second, SurveyQuestion.MULTIPLE, ["Build", "Repair", "Help"], False),
            (second, SurveyQuestion.RANKING, ["Cost", "Size", "Place"], False),
            (second, SurveyQuestion.TEXT, [], False),
        ]
        for section, kind, options, required in kinds:
            building.add_question(
                admin,
                survey.id,
                section.id,
                building.QuestionForm(
                    kind=kind,
                    prompt=f"A {kind} question?",
                    why="So we know.",
                    required=required,
                    max_length="20",
                    options=options,
                ),
            )
        if publish:
            building.set_published(admin, survey.id, True)
        return building.access.get(survey.id)

    return make


def full_answers(survey, *, text="Fix the damp", single=0, scale=4) -> dict:
    """A complete set of answers to the `build` survey."""
    one, rating, many, ranked, written = survey.questions
    return {
        one.id: str(one.options[single].id),
        rating.id: str(scale),
        many.id: [str(many.options[0].id), str(many.options[2].id)],
        ranked.id: {o.id: str(n) for n, o in enumerate(reversed(ranked.options), start=1)},
        written.id: text,
    }


@pytest.fixture
def thread(app, people, topic, forum_policy):
    from debate.services.forums import posts as forums

    return forums.start_thread(people["resident2"], topic.slug, "Bins are not collected", "Three weeks now.").item
