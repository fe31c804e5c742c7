"""Residents answer a survey: save a draft and come back, submit, change answers until it closes.

Answers arrive as a mapping of question id to what was given, the same from
the page and the JSON API: an option id (single), option ids (multiple), "1" to
"5" (scale), {option id: rank} (ranking, a permutation of 1..n), or text. Every
problem is found before anything is written, and all are reported together
(`AnswersInvalid.errors`, field -> sentence), so the page can show a GOV.UK
error summary; nothing is half-saved. Required questions are checked on submit
only, so a half-done draft can be kept.

Free text is moderated content: every answer waits for review (the survey
context is pre-moderated), so only admins and moderators see it until it is
published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import moderation
from debate.errors import NotFound, PermissionDenied, ServiceError, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.models.surveys import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTextAnswer
from debate.permissions import Permission, require
from debate.services import publishing
from debate.services.moderation import standing as moderation_standing
from debate.services.surveys import access
from debate.services.text import clean_text

Given = Mapping[int, Any]


class AnswersInvalid(ValidationError):
    """One or more answers are wrong: `errors` maps each field ("q12") to its sentence, in survey order."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("There is a problem with your answers."))
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return super().as_dict() | {"errors": self.errors}


@dataclass
class Chosen:
    """One question's answer, checked: option ids (ranking: in rank order), a scale value, or text."""

    options: list[int]
    value: int | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.options and self.value is None and not self.text


def field(question: SurveyQuestion) -> str:
    return f"q{question.id}"


def _digits(value: object) -> int | None:
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and len(text) < 10 else None


def _one_option(question: SurveyQuestion, value: object) -> int:
    chosen = _digits(value)
    if chosen not in {o.id for o in question.options}:
        raise ValidationError(_("Choose one of the options."))
    return chosen


def _ranking(question: SurveyQuestion, value: object) -> list[int]:
    """Option ids in rank order; the ranks given must be 1..n, each once, for every option."""
    if not isinstance(value, Mapping):
        raise ValidationError(_("Give each option a different rank."))
    ranks = {_digits(k): _digits(v) for k, v in value.items() if str(v).strip()}
    if not ranks:
        return []
    ids = {o.id for o in question.options}
    if set(ranks) != ids or sorted(r or 0 for r in ranks.values()) != list(range(1, len(ids) + 1)):
        raise ValidationError(_("Give each option a different rank, from 1 to %(n)s.", n=len(ids)))
    return [option for option, _rank in sorted(ranks.items(), key=lambda pair: pair[1] or 0)]  # type: ignore[misc]


def _check(question: SurveyQuestion, value: object) -> Chosen:
    kind = question.kind
    if value is None or value == "" or value == []:
        return Chosen([])
    if kind == SurveyQuestion.SINGLE:
        return Chosen([_one_option(question, value)])
    if kind == SurveyQuestion.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > len(question.options):
            raise ValidationError(_("Choose any of the options."))
        return Chosen(sorted({_one_option(question, v) for v in values}))
    if kind == SurveyQuestion.SCALE:
        number = _digits(value)
        if number not in SurveyQuestion.SCALE_VALUES:
            raise ValidationError(_("Choose a number from 1 to 5."))
        return Chosen([], value=number)
    if kind == SurveyQuestion.RANKING:
        return Chosen(_ranking(question, value))
    if not isinstance(value, str):
        raise ValidationError(_("Write your answer as text."))
    limit = question.max_length or 1
    return Chosen(
        [],
        text=clean_text(
            value, "text", limit, too_long=_("Your answer is %(count)s characters long; the limit is %(limit)s.")
        ),
    )


def check_all(survey: Survey, given: Given, *, submit: bool) -> dict[int, Chosen]:
    """Every answer checked; raise AnswersInvalid with every problem (required ones when submitting)."""
    errors: dict[str, str] = {}
    checked: dict[int, Chosen] = {}
    for question in survey.questions:
        try:
            chosen = _check(question, given.get(question.id))
        except ServiceError as exc:
            errors[field(question)] = exc.message
            continue
        if submit and question.required and chosen.empty:
            errors[field(question)] = _("Answer this question: it is required.")
        checked[question.id] = chosen
    if errors:
        raise AnswersInvalid(errors)
    return checked


def _may_answer(user: User | None, survey: Survey) -> None:
    """Members who may post; a suspension or ban (which forbid voting) forbids answering too, a mute does not."""
    require(user, Permission.POST)
    if user is not None:  # always so once `require` has passed
        moderation_standing.require_capability(user, moderation.Capability.VOTE)
    state = survey.state
    if state == Survey.DRAFT:
        raise NotFound(_("That survey does not exist."))
    if state == Survey.UPCOMING:
        raise PermissionDenied(_("This survey is not open yet."))
    if state == Survey.CLOSED:
        raise PermissionDenied(_("This survey has closed, so answers can no longer be given or changed."))


def response_of(user: User | None, survey_id: int) -> SurveyResponse | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey_id, SurveyResponse.user_id == user.id)
    )


def given_of(survey: Survey, response: SurveyResponse | None) -> dict[int, Any]:
    """A stored response as the mapping `save` takes (to fill in the form again)."""
    given: dict[int, Any] = {}
    if response is None:
        return given
    kinds = {q.id: q.kind for q in survey.questions}
    for answer in response.answers:
        kind = kinds.get(answer.question_id)
        if kind == SurveyQuestion.SCALE:
            given[answer.question_id] = str(answer.value)
        elif kind == SurveyQuestion.SINGLE:
            given[answer.question_id] = str(answer.option_id)
        elif kind == SurveyQuestion.MULTIPLE:
            given.setdefault(answer.question_id, []).append(str(answer.option_id))
        elif kind == SurveyQuestion.RANKING:
            given.setdefault(answer.question_id, {})[answer.option_id] = str(answer.value)
    for text in response.texts:
        given[text.question_id] = text.body
    return given


def _new_response(user: User, survey: Survey) -> SurveyResponse:
    number = db.session.scalar(
        select(func.coalesce(func.max(SurveyResponse.respondent), 0)).where(SurveyResponse.survey_id == survey.id)
    )
    response = SurveyResponse(survey_id=survey.id, user_id=user.id, respondent=int(number or 0) + 1)
    db.session.add(response)
    return response


def _store_text(user: User, survey: Survey, response: SurveyResponse, question: SurveyQuestion, text: str) -> None:
    existing = next((t for t in response.texts if t.question_id == question.id), None)
    if not text:
        if existing is not None:
            response.texts.remove(existing)
        return
    if existing is not None and existing.body == text:
        return
    context = moderation.Context(
        moderation.ContextKind.FORUM, f"survey:{survey.id}", frozenset({moderation.ContentKind.REPLY})
    )
    try:
        verdict = publishing.screen(user, moderation.ContentKind.REPLY, text, context=context)
    except ServiceError as exc:
        raise AnswersInvalid({field(question): exc.message}) from None
    row = existing or SurveyTextAnswer(question_id=question.id, author_id=user.id)
    row.body, row.fingerprint = text, verdict.fingerprint
    row.state = publishing.initial_state(verdict)
    row.state_note = " ".join(r.message for r in verdict.reasons) if verdict.held else None
    if existing is None:
        response.texts.append(row)
    db.session.flush()
    publishing.screened("survey_answer", row, verdict)


def _store(response: SurveyResponse, question: SurveyQuestion, chosen: Chosen) -> None:
    for answer in [a for a in response.answers if a.question_id == question.id]:
        response.answers.remove(answer)
    if question.kind == SurveyQuestion.SCALE and chosen.value is not None:
        response.answers.append(SurveyAnswer(question_id=question.id, value=chosen.value))
    for rank, option_id in enumerate(chosen.options, start=1):
        value = rank if question.kind == SurveyQuestion.RANKING else None
        response.answers.append(SurveyAnswer(question_id=question.id, option_id=option_id, value=value))


def save(user: User, survey_id: int, given: Given, *, submit: bool) -> SurveyResponse:
    """Save the answers as a draft, or submit them (required questions answered). One commit."""
    survey = access.get(survey_id)
    _may_answer(user, survey)
    checked = check_all(survey, given, submit=submit)
    response = response_of(user, survey.id) or _new_response(user, survey)
    try:
        db.session.flush()
    except IntegrityError:  # the same person's other tab, or another respondent took the number: try again
        db.session.rollback()
        raise ValidationError(
            _("Your answers were saved from somewhere else at the same moment. Please try again.")
        ) from None
    for question in survey.questions:
        chosen = checked[question.id]
        if question.kind == SurveyQuestion.TEXT:
            _store_text(user, survey, response, question, chosen.text)
        else:
            _store(response, question, chosen)
    if submit:
        response.submitted_at = utcnow()
    response.updated_at = utcnow()
    db.session.commit()
    return response


def respondent_ids(survey_id: int) -> list[int]:
    """The accounts that submitted a response (for the "who is missing" report; never shown with answers)."""
    stmt = select(SurveyResponse.user_id).where(
        SurveyResponse.survey_id == survey_id,
        SurveyResponse.submitted_at.is_not(None),
        SurveyResponse.user_id.is_not(None),
    )
    return [user_id for user_id in db.session.scalars(stmt.order_by(SurveyResponse.user_id)) if user_id is not None]
