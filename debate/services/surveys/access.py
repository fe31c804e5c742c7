"""Finding surveys and saying who may see, answer and build them; the limits on answering and building."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debate import ratelimit
from debate.errors import NotFound, PermissionDenied
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.surveys import Survey, SurveyQuestion, SurveySection
from debate.permissions import Permission, has, require

# One limit per action, shared by its form and JSON endpoint (debate/ratelimit.py).
ANSWER = ratelimit.limit(
    "survey.answer",
    "60/hour",
    _l("You can save survey answers at most 60 times an hour. Please try again later."),
)
BUILD = ratelimit.limit(
    "survey.build",
    "300/hour",
    _l("You can change surveys at most 300 times an hour. Please try again later."),
)


def is_admin(user: User | None) -> bool:
    return has(user, Permission.MANAGE_TOPICS)


def require_admin(user: User | None) -> None:
    require(user, Permission.MANAGE_TOPICS)


def get(survey_id: int) -> Survey:
    survey = db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id)
        .options(
            selectinload(Survey.sections).selectinload(SurveySection.questions).selectinload(SurveyQuestion.options)
        )
    )
    if survey is None:
        raise NotFound(_("That survey does not exist."))
    return survey


def visible(user: User | None, survey_id: int) -> Survey:
    """A survey anyone may see once published; a draft only for admins (others are told it does not exist)."""
    survey = get(survey_id)
    if not survey.published and not is_admin(user):
        raise NotFound(_("That survey does not exist."))
    return survey


def results_visible(user: User | None, survey: Survey) -> None:
    if not survey.results_published and not is_admin(user):
        raise PermissionDenied(_("The results of this survey are not published yet."))


@dataclass(frozen=True)
class Listing:
    open: list[Survey]
    upcoming: list[Survey]
    closed: list[Survey]  # with published results
    drafts: list[Survey]  # admins only


def listing(user: User | None, topic_id: int | None = None) -> Listing:
    stmt = select(Survey).order_by(Survey.closes_at.desc(), Survey.id.desc())
    if topic_id is not None:
        stmt = stmt.where(Survey.topic_id == topic_id)
    now = utcnow()
    by_state: dict[str, list[Survey]] = {s: [] for s in (Survey.DRAFT, Survey.UPCOMING, Survey.OPEN, Survey.CLOSED)}
    for survey in db.session.scalars(stmt):
        state = survey.state_at(now)
        if state == Survey.CLOSED and not (survey.results_published or is_admin(user)):
            continue
        by_state[state].append(survey)
    return Listing(
        by_state[Survey.OPEN],
        by_state[Survey.UPCOMING],
        by_state[Survey.CLOSED],
        by_state[Survey.DRAFT] if is_admin(user) else [],
    )
