"""Demo surveys: an open one on housing with about 40 answers and its results published, so `/surveys` and a
results page with charts show at once; and a closed one whose published results an outcome cites.

Answers are written as rows directly (the survey services would refuse them for a survey that has closed,
and would send 40 free-text answers to the review queue); each synthetic resident is an unusable-password
demo voice, as the forum demo's are. The choices follow a fixed pattern, so every run shows the same charts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from debate.demo import voices
from debate.extensions import db
from debate.models import Outcome, OutcomeUpdate, Role, Thread, Topic, User
from debate.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyTextAnswer,
)

RESIDENTS = 40
TEXTS = [
    "More social rent homes near the station, please.",
    "Fix the damp in existing flats before building new ones.",
    "Keep the green space by the river.",
]


EMAIL = "survey{n}@demo.example.org"  # the demo's survey respondents (debate/demo/equality.py answers for them too)


def _question(kind: str, prompt: str, prompt_cy: str, options: list[tuple[str, str]], **extra) -> SurveyQuestion:
    question = SurveyQuestion(kind=kind, prompt=prompt, prompt_cy=prompt_cy, **extra)
    question.options = [SurveyOption(position=n, label=en, label_cy=cy) for n, (en, cy) in enumerate(options)]
    return question


def _survey(topic: Topic, admin: User | None, title: str, title_cy: str, opens: datetime, closes: datetime) -> Survey:
    survey = Survey(
        topic_id=topic.id,
        title=title,
        title_cy=title_cy,
        intro="Tell the council what matters most to you about homes in the area. It takes five minutes.",
        intro_cy="Dywedwch wrth y cyngor beth sydd bwysicaf i chi am gartrefi yn yr ardal. Mae'n cymryd pum munud.",
        opens_at=opens,
        closes_at=closes,
        published=True,
        results_published=True,
        created_by_id=admin.id if admin else None,
    )
    first = SurveySection(position=0, title="Your home", title_cy="Eich cartref")
    first.questions = [
        _question(
            SurveyQuestion.SINGLE,
            "How do you rent or own your home?",
            "Sut ydych chi'n rhentu neu'n berchen ar eich cartref?",
            [
                ("Own it", "Yn berchen"),
                ("Rent privately", "Rhentu'n breifat"),
                ("Rent from the council", "Rhentu gan y cyngor"),
            ],
            position=0,
            required=True,
            why="So we can see whether renters and owners see things differently.",
            why_cy="Er mwyn i ni weld a yw rhentwyr a pherchnogion yn gweld pethau'n wahanol.",
        ),
        _question(
            SurveyQuestion.SCALE,
            "How happy are you with the repair of homes in the area?",
            "Pa mor hapus ydych chi gydag atgyweirio cartrefi yn yr ardal?",
            [],
            position=1,
            required=True,
        ),
    ]
    second = SurveySection(position=1, title="What next", title_cy="Beth nesaf")
    second.questions = [
        _question(
            SurveyQuestion.MULTIPLE,
            "Which should the council do more of?",
            "Beth ddylai'r cyngor wneud mwy ohono?",
            [
                ("Build new homes", "Adeiladu cartrefi newydd"),
                ("Repair homes", "Atgyweirio cartrefi"),
                ("Help with rent", "Helpu gyda rhent"),
            ],
            position=0,
        ),
        _question(
            SurveyQuestion.RANKING,
            "Put these in order of importance",
            "Rhowch y rhain yn nhrefn pwysigrwydd",
            [("Cost", "Pris"), ("Size", "Maint"), ("Location", "Lleoliad")],
            position=1,
        ),
        _question(SurveyQuestion.TEXT, "Anything else?", "Unrhyw beth arall?", [], position=2, max_length=500),
    ]
    survey.sections = [first, second]
    db.session.add(survey)
    db.session.flush()
    return survey


def _answer(survey: Survey, user: User, n: int, at: datetime) -> None:
    single, scale, multiple, ranking, text = survey.questions
    response = SurveyResponse(survey_id=survey.id, user_id=user.id, respondent=n + 1, submitted_at=at, updated_at=at)
    response.answers = [
        SurveyAnswer(question_id=single.id, option_id=single.options[(n * 7) % 10 % 3].id),
        SurveyAnswer(question_id=scale.id, value=1 + (n * 3) % 5 if n % 4 else 2),
        *(SurveyAnswer(question_id=multiple.id, option_id=o.id) for i, o in enumerate(multiple.options) if (n + i) % 3),
        *(
            SurveyAnswer(question_id=ranking.id, option_id=o.id, value=rank + 1)
            for rank, o in enumerate(ranking.options[n % 3 :] + ranking.options[: n % 3])
        ),
    ]
    if n < len(TEXTS):
        response.texts = [SurveyTextAnswer(question_id=text.id, author_id=user.id, body=TEXTS[n], state="published")]
    db.session.add(response)


def seed(now: datetime) -> None:
    """Add the demo surveys (no commit: load_demo commits)."""
    db.session.flush()
    topic = db.session.scalar(select(Topic).where(Topic.slug == "housing"))
    if topic is None:
        return
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN.value).order_by(User.id))
    people = voices.residents("Survey resident", EMAIL, RESIDENTS, now, now - timedelta(days=30))
    live = _survey(
        topic, admin, "Homes in our area", "Cartrefi yn ein hardal", now - timedelta(days=7), now + timedelta(days=21)
    )
    for n, user in enumerate(people):
        _answer(live, user, n, now - timedelta(hours=n + 1))
    closed = _survey(
        topic,
        admin,
        "Homes in our area: last year",
        "Cartrefi yn ein hardal: y llynedd",
        now - timedelta(days=400),
        now - timedelta(days=330),
    )
    for n, user in enumerate(people[:25]):
        _answer(closed, user, n, now - timedelta(days=340))
    _cited(topic, closed, now)


def _cited(topic: Topic, survey: Survey, now: datetime) -> None:
    """An outcome of the first housing thread, by the councillor, citing last year's survey."""
    thread = db.session.scalar(select(Thread).where(Thread.topic_id == topic.id).order_by(Thread.id))
    author = db.session.scalar(select(User).where(User.email == "councillor@demo.example.org"))
    if thread is None or author is None:
        return
    heard = "Residents told us, in the thread and in last year's survey, that repairs matter more than new building."
    will = "The council will put repairs first in next year's housing plan."
    outcome = Outcome(
        thread_id=thread.id,
        author_id=author.id,
        heard=heard,
        will_happen=will,
        survey_id=survey.id,
        published_at=now - timedelta(days=300),
        updated_at=now - timedelta(days=300),
    )
    outcome.updates = [
        OutcomeUpdate(
            author_id=author.id, heard=heard, will_happen=will, status=Outcome.PLANNED, created_at=outcome.published_at
        )
    ]
    db.session.add(outcome)
