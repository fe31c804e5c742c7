"""A survey's results: counts per option, the scale's spread and mean, rankings' mean rank and Borda count,
and free text that has passed moderation.

Only submitted responses count (a draft is someone still answering). Free text
is listed only once public, except for admins, who review it: `staff=True`
adds held answers, marked as such. Each question's figures come from one
query over the survey, so a results page is a handful of statements.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Select, select

from debate.extensions import db
from debate.models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTextAnswer
from debate.services import bilingual, charts


@dataclass
class TextShown:
    body: str
    public: bool


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int  # how many submitted responses answered it (free text: how many are shown)
    chart: charts.Chart | None = None
    mean: float | None = None  # scale: the mean value; ranking: unused (see ranks)
    ranks: list[tuple[str, float, int]] = field(default_factory=list)  # ranking: (option, mean rank, Borda points)
    texts: list[TextShown] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    respondents: int  # submitted responses
    questions: list[QuestionResult]


def _submitted(survey_id: int) -> Select[tuple[int]]:
    return select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.submitted_at.is_not(None)
    )


def _label(obj: object, field_name: str) -> str:
    return bilingual.pick(obj, field_name).text


def _options_chart(question: SurveyQuestion, answers: list[SurveyAnswer], answered: int) -> charts.Chart:
    counts = Counter(a.option_id for a in answers)
    return charts.bars([(_label(o, "label"), counts[o.id]) for o in question.options], answered)


def _scale(result: QuestionResult, answers: list[SurveyAnswer]) -> None:
    counts = Counter(a.value for a in answers)
    result.chart = charts.bars([(str(v), counts[v]) for v in SurveyQuestion.SCALE_VALUES], result.answered)
    values = [a.value for a in answers if a.value is not None]
    result.mean = round(sum(values) / len(values), 2) if values else None


def _ranking(result: QuestionResult, answers: list[SurveyAnswer]) -> None:
    """Mean rank (1 is first) and Borda points (n-1 for a first place, 0 for the last) per option."""
    size = len(result.question.options)
    ranks: dict[int | None, list[int]] = defaultdict(list)
    for answer in answers:
        ranks[answer.option_id].append(answer.value or size)
    rows = []
    for option in result.question.options:
        given = ranks.get(option.id, [])
        mean = round(sum(given) / len(given), 2) if given else 0.0
        rows.append((_label(option, "label"), mean, sum(size - r for r in given)))
    result.ranks = sorted(rows, key=lambda row: -row[2])
    result.chart = charts.bars([(label, points) for label, _mean, points in result.ranks], max(1, result.answered))


def compute(survey: Survey, *, staff: bool = False) -> Results:
    submitted = _submitted(survey.id)
    answers: dict[int, list[SurveyAnswer]] = defaultdict(list)
    for answer in db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id.in_(submitted))):
        answers[answer.question_id].append(answer)
    text_rows = db.session.scalars(
        select(SurveyTextAnswer).where(SurveyTextAnswer.response_id.in_(submitted)).order_by(SurveyTextAnswer.id)
    )
    texts: dict[int, list[SurveyTextAnswer]] = defaultdict(list)
    for row in text_rows:
        texts[row.question_id].append(row)
    respondents = len(db.session.scalars(submitted).all())
    shown = []
    for question in survey.questions:
        given = answers.get(question.id, [])
        if question.kind == SurveyQuestion.TEXT:
            written = [TextShown(t.body, t.is_public) for t in texts.get(question.id, []) if t.is_public or staff]
            result = QuestionResult(question, len(written), texts=written)
        else:
            result = QuestionResult(question, len({a.response_id for a in given}))
            if question.kind == SurveyQuestion.SCALE:
                _scale(result, given)
            elif question.kind == SurveyQuestion.RANKING:
                _ranking(result, given)
            else:
                result.chart = _options_chart(question, given, result.answered)
        shown.append(result)
    return Results(survey, respondents, shown)
