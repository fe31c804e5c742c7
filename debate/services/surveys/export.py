"""A survey's answers for analysis: CSV and JSON, one row per submitted response, no names or account ids.

Each response is named by its respondent number within the survey. Free text
appears only once moderation has made it public, so an export never carries
what the results page would not show.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debate.extensions import db
from debate.models.surveys import Survey, SurveyQuestion, SurveyResponse
from debate.services.live.export import FORMULA_STARTS

Value = int | str | list[int] | None


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def _answers(survey: Survey, response: SurveyResponse) -> dict[int, Value]:
    """question id -> option id (single), option ids (multiple; ranking in rank order), scale value, or text."""
    chosen: dict[int, list[tuple[int, int]]] = defaultdict(list)
    values: dict[int, Value] = {}
    for answer in response.answers:
        if answer.option_id is None:
            values[answer.question_id] = answer.value
        else:
            chosen[answer.question_id].append((answer.value or 0, answer.option_id))
    for text in response.texts:
        if text.is_public:
            values[text.question_id] = text.body
    for question in survey.questions:
        picked = [option for _rank, option in sorted(chosen.get(question.id, []))]
        if question.kind == SurveyQuestion.SINGLE:
            values[question.id] = picked[0] if picked else None
        elif question.kind in (SurveyQuestion.MULTIPLE, SurveyQuestion.RANKING):
            values[question.id] = picked
        values.setdefault(question.id, None)
    return values


def responses(survey: Survey) -> list[dict[str, Any]]:
    stmt = (
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.submitted_at.is_not(None))
        .options(selectinload(SurveyResponse.answers), selectinload(SurveyResponse.texts))
        .order_by(SurveyResponse.respondent)
    )
    return [
        {"respondent": r.respondent, "submitted_at": iso(r.submitted_at), "answers": _answers(survey, r)}
        for r in db.session.scalars(stmt)
    ]


def questions(survey: Survey) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "section": q.section.title,
            "kind": q.kind,
            "prompt": q.prompt,
            "required": q.required,
            "options": [{"id": o.id, "label": o.label} for o in q.options],
        }
        for q in survey.questions
    ]


def to_json(survey: Survey) -> str:
    data = {
        "survey": {
            "id": survey.id,
            "title": survey.title,
            "topic": survey.topic.title,
            "opens_at": iso(survey.opens_at),
            "closes_at": iso(survey.closes_at),
        },
        "questions": questions(survey),
        "responses": [r | {"answers": {str(k): v for k, v in r["answers"].items()}} for r in responses(survey)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell(question: SurveyQuestion, value: Value) -> str:
    labels = {o.id: o.label for o in question.options}
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(labels.get(v, "") for v in value)
    elif question.kind == SurveyQuestion.SINGLE:
        text = labels.get(int(value), "")
    else:
        text = str(value)
    return _defused(text)


def _defused(text: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(survey: Survey) -> str:
    """Columns: respondent, submitted_at, then one per question headed by its prompt (rankings first to last)."""
    out = io.StringIO()
    writer = csv.writer(out)
    asked = survey.questions
    writer.writerow(["respondent", "submitted_at", *(_defused(q.prompt) for q in asked)])
    for row in responses(survey):
        writer.writerow([row["respondent"], row["submitted_at"], *(_cell(q, row["answers"][q.id]) for q in asked)])
    return out.getvalue()
