"""An outcome cites a survey's published results ("you said, we did"); the survey's respondents are told.

Each respondent is told once per outcome, in their own language (the text is a
lazy string rendered for each recipient, with the survey's title in their language
where the council wrote it), under the "Outcomes published" kind
they already choose emails for.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.outcomes import Outcome
from debate.services import bilingual, notifications
from debate.services.accountability import outcomes
from debate.services.surveys import access, answering


def cite(user: User, outcome_id: object, survey_id: int) -> Outcome:
    """Make the outcome cite the survey (replacing any survey it cited) and tell the respondents."""
    access.require_admin(user)
    survey = access.get(survey_id)
    if not survey.results_published:
        raise ValidationError(_("Publish the survey's results before an outcome cites them."), "outcome_id")
    outcome = outcomes.get(outcome_id)
    if outcome.survey_id == survey.id:
        return outcome
    outcome.survey_id = survey.id
    for user_id in answering.respondent_ids(survey.id):
        respondent = db.session.get(User, user_id)
        title = bilingual.pick(survey, "title", respondent.locale if respondent else None).text
        notifications.notify(
            user_id,
            "outcome_published",
            _l("An outcome cites the results of the survey “%(title)s” that you answered.", title=title),
            f"/outcomes/{outcome.id}",
            subject=f"outcome:{outcome.id}",
        )
    db.session.commit()
    return outcome
