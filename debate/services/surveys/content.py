"""Free-text survey answers in the moderation registry (`services/content.py`).

Moderators find, review and publish them like any post; only then do they
appear in the results and exports.
"""

from __future__ import annotations

from flask_babel import gettext as _

import moderation
from debate.extensions import db
from debate.models.surveys import Survey, SurveyResponse, SurveyTextAnswer
from debate.services import content


def describe(answer: SurveyTextAnswer) -> content.ContentRef:
    response = db.session.get(SurveyResponse, answer.response_id)
    survey = db.session.get(Survey, response.survey_id) if response else None
    survey_id = survey.id if survey else 0
    return content.ContentRef(
        type="survey_answer",
        id=answer.id,
        author_id=answer.author_id,
        text=answer.body,
        title=None,
        context_kind=moderation.ContextKind.FORUM,
        context_id=f"survey:{survey_id}",
        context_label=_("Answer in the survey “%(title)s”", title=survey.title if survey else ""),
        url=f"/surveys/{survey_id}",  # the survey itself: its results may not be published yet
        created_at=answer.created_at,
        state=answer.state,
    )


def set_text(answer: SurveyTextAnswer, text: str) -> None:
    answer.body = text


content.register(
    content.ContentType("survey_answer", moderation.ContentKind.REPLY, SurveyTextAnswer, describe, set_text)
)
