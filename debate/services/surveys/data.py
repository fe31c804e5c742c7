"""Surveys in "download my data" and "delete my account".

Export: each survey the person answered, its questions, and their answers as
stored (option ids, scale values, ranks, text) with the moderation state of
their free text. Erase: the response is anonymised, not
deleted: its link to the account goes (user id and text author set to none),
while the choices stay in the survey's totals, since results may already be
published and cited by an outcome, and totals that shift after publication
would misreport what people said. The respondent number names no one once the
link is gone. With "remove my content", free-text answers are wiped as posts
are.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from debate.extensions import db
from debate.models.accounts import User
from debate.models.surveys import Survey, SurveyResponse, SurveyTextAnswer
from debate.services import privacy
from debate.services.surveys import answering, export


def export_surveys(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.user_id == user.id).order_by(SurveyResponse.id)
    )
    shown = []
    for response in rows:
        survey = db.session.get(Survey, response.survey_id)
        if survey is None:
            continue
        answers = answering.given_of(survey, response)
        shown.append(
            {
                "survey": survey.title,
                "url": f"/surveys/{survey.id}",
                "submitted_at": export.iso(response.submitted_at),
                "updated_at": export.iso(response.updated_at),
                "questions": {str(q.id): q.prompt for q in survey.questions},
                "answers": {str(k): v for k, v in answers.items()},
                "free_text_states": {str(t.question_id): t.state for t in response.texts},
            }
        )
    return shown


def erase_surveys(user: User, remove_content: bool) -> None:
    if remove_content:
        for text in db.session.scalars(select(SurveyTextAnswer).where(SurveyTextAnswer.author_id == user.id)):
            text.body, text.fingerprint, text.state_note = "", "", None
            if text.state != "removed":
                text.state = "withdrawn"
    db.session.execute(update(SurveyTextAnswer).where(SurveyTextAnswer.author_id == user.id).values(author_id=None))
    db.session.execute(update(SurveyResponse).where(SurveyResponse.user_id == user.id).values(user_id=None))


privacy.register(
    "surveys",
    _l("Your answers to surveys, and whether each was submitted."),
    export_surveys,
    erase_surveys,
)
