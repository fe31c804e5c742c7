"""Admins build a survey: its details and dates, sections, questions and their options, their order.

The structure (sections, questions, options) can change only while nobody has
answered: a question removed or reworded under people's answers would make the
stored answers say something they did not. Details (title, intro, dates) and
publishing can change at any time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.surveys import Survey, SurveyOption, SurveyQuestion, SurveyResponse, SurveySection
from debate.models.topics import Topic
from debate.services.council_time import to_utc
from debate.services.surveys import access
from debate.services.text import clean_line, clean_text

TITLE_MAX = 150
INTRO_MAX = 2000
PROMPT_MAX = 500
WHY_MAX = 500
OPTION_MAX = 150
OPTIONS_MAX = 20
TEXT_ANSWER_MAX = 2000  # the most an admin may allow a free-text answer
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass
class SurveyForm:
    topic_id: object = ""
    title: object = ""
    title_cy: object = ""
    intro: object = ""
    intro_cy: object = ""
    opens_at: object = ""  # council-local "YYYY-MM-DDTHH:MM", or a naive UTC datetime
    closes_at: object = ""


@dataclass
class QuestionForm:
    kind: object = ""
    prompt: object = ""
    prompt_cy: object = ""
    why: object = ""
    why_cy: object = ""
    required: object = False
    max_length: object = ""
    options: list[str] = field(default_factory=list)  # one label each (single, multiple, ranking)
    options_cy: list[str] = field(default_factory=list)


def topics() -> list[Topic]:
    """The topics a survey can be about, for the builder's list."""
    return list(db.session.scalars(select(Topic).order_by(Topic.title)))


def _time(value: object, name: str) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return to_utc(datetime.strptime(str(value).strip()[:16], DATETIME_FORMAT))
    except ValueError:
        raise ValidationError(_("Enter a date and time, such as 2027-03-01T09:00."), name) from None


def _welsh_line(value: object, name: str, most: int) -> str:
    if isinstance(value, str) and value.strip():
        return clean_line(value, name, _("Welsh version"), max_len=most)
    return ""


def _long(value: object, name: str, most: int) -> str:
    return clean_text(
        value, name, most, too_long=_("That text is too long: %(count)s characters, and the limit is %(limit)s.")
    )


def _details(survey: Survey, form: SurveyForm) -> None:
    topic_id = str(form.topic_id)
    topic = db.session.get(Topic, int(topic_id)) if topic_id.isdigit() and len(topic_id) < 10 else None
    if topic is None:
        raise ValidationError(_("Choose the topic the survey is about."), "topic_id")
    opens_at, closes_at = _time(form.opens_at, "opens_at"), _time(form.closes_at, "closes_at")
    if closes_at <= opens_at:
        raise ValidationError(_("The survey must close after it opens."), "closes_at")
    survey.topic_id = topic.id
    survey.title = clean_line(form.title, "title", _("Title"), min_len=2, max_len=TITLE_MAX)
    survey.title_cy = _welsh_line(form.title_cy, "title_cy", TITLE_MAX)
    survey.intro = _long(form.intro, "intro", INTRO_MAX)
    survey.intro_cy = _long(form.intro_cy, "intro_cy", INTRO_MAX)
    survey.opens_at, survey.closes_at = opens_at, closes_at


def create(user: User, form: SurveyForm) -> Survey:
    access.require_admin(user)
    survey = Survey(created_by_id=user.id, published=False, results_published=False)
    _details(survey, form)
    db.session.add(survey)
    db.session.commit()
    return survey


def edit(user: User, survey_id: int, form: SurveyForm) -> Survey:
    access.require_admin(user)
    survey = access.get(survey_id)
    _details(survey, form)
    db.session.commit()
    return survey


def set_published(user: User, survey_id: int, published: bool) -> Survey:
    """Publishing shows the survey (answerable between its dates); a survey needs a question first."""
    access.require_admin(user)
    survey = access.get(survey_id)
    if published and not survey.questions:
        raise ValidationError(_("Add at least one question before publishing the survey."))
    survey.published = published
    db.session.commit()
    return survey


def set_results_published(user: User, survey_id: int, published: bool) -> Survey:
    access.require_admin(user)
    survey = access.get(survey_id)
    survey.results_published = published
    db.session.commit()
    return survey


def has_answers(survey_id: int) -> bool:
    stmt = select(func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == survey_id)
    return bool(db.session.scalar(stmt))


def _editable(user: User, survey_id: int) -> Survey:
    access.require_admin(user)
    survey = access.get(survey_id)
    if has_answers(survey.id):
        raise Conflict(_("People have answered this survey, so its sections and questions can no longer change."))
    return survey


def add_section(user: User, survey_id: int, title: object, title_cy: object = "") -> SurveySection:
    survey = _editable(user, survey_id)
    section = SurveySection(
        survey_id=survey.id,
        position=len(survey.sections),
        title=clean_line(title, "section_title", _("Section title"), max_len=TITLE_MAX),
        title_cy=_welsh_line(title_cy, "section_title_cy", TITLE_MAX),
    )
    db.session.add(section)
    db.session.commit()
    return section


def _section(survey: Survey, section_id: int) -> SurveySection:
    for section in survey.sections:
        if section.id == section_id:
            return section
    raise NotFound(_("That section is not in this survey."))


def _question(survey: Survey, question_id: int) -> SurveyQuestion:
    for question in survey.questions:
        if question.id == question_id:
            return question
    raise NotFound(_("That question is not in this survey."))


def _options(form: QuestionForm) -> list[tuple[str, str]]:
    labels = [line for line in form.options if isinstance(line, str) and line.strip()]
    welsh = [line if isinstance(line, str) else "" for line in form.options_cy]
    if len(labels) < 2:
        raise ValidationError(_("Give at least two options, one a line."), "options")
    if len(labels) > OPTIONS_MAX:
        raise ValidationError(_("Give at most %(most)s options.", most=OPTIONS_MAX), "options")
    cleaned = [clean_line(label, "options", _("Option"), max_len=OPTION_MAX) for label in labels]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("Each option must be different."), "options")
    cy = [_welsh_line(welsh[i], "options_cy", OPTION_MAX) if i < len(welsh) else "" for i in range(len(cleaned))]
    return list(zip(cleaned, cy, strict=True))


def _max_length(value: object) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 1 <= int(text[:6]) <= TEXT_ANSWER_MAX:
        raise ValidationError(
            _("Give the longest answer allowed, from 1 to %(most)s characters.", most=TEXT_ANSWER_MAX), "max_length"
        )
    return int(text)


def _fill(question: SurveyQuestion, form: QuestionForm) -> None:
    """The question's fields and options from the form, all checked before any is set (no commit)."""
    if form.kind not in SurveyQuestion.KINDS:
        raise ValidationError(_("Choose what kind of question it is."), "kind")
    kind = str(form.kind)
    values = {
        "kind": kind,
        "prompt": clean_line(form.prompt, "prompt", _("Question"), max_len=PROMPT_MAX),
        "prompt_cy": _welsh_line(form.prompt_cy, "prompt_cy", PROMPT_MAX),
        "why": _long(form.why, "why", WHY_MAX),
        "why_cy": _long(form.why_cy, "why_cy", WHY_MAX),
        "required": form.required in (True, "1", "on", "true", "yes"),
        "max_length": _max_length(form.max_length) if kind == SurveyQuestion.TEXT else None,
    }
    options = _options(form) if kind in SurveyQuestion.WITH_OPTIONS else []
    for name, value in values.items():
        setattr(question, name, value)
    question.options = [SurveyOption(position=n, label=label, label_cy=cy) for n, (label, cy) in enumerate(options)]


def add_question(user: User, survey_id: int, section_id: int, form: QuestionForm) -> SurveyQuestion:
    survey = _editable(user, survey_id)
    section = _section(survey, section_id)
    question = SurveyQuestion(section_id=section.id, position=len(section.questions))
    _fill(question, form)
    db.session.add(question)
    db.session.commit()
    return question


def edit_question(user: User, survey_id: int, question_id: int, form: QuestionForm) -> SurveyQuestion:
    """Rewrite a question (its kind and options too) while nobody has answered."""
    survey = _editable(user, survey_id)
    question = _question(survey, question_id)
    with db.session.no_autoflush:
        _fill(question, form)
    db.session.commit()
    return question


def rename_section(user: User, survey_id: int, section_id: int, title: object, title_cy: object = "") -> None:
    survey = _editable(user, survey_id)
    section = _section(survey, section_id)
    section.title = clean_line(title, "section_title", _("Section title"), max_len=TITLE_MAX)
    section.title_cy = _welsh_line(title_cy, "section_title_cy", TITLE_MAX)
    db.session.commit()


def _swap(items: list[Any], index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        item.position = position


def move(user: User, survey_id: int, what: str, item_id: int, step: int) -> None:
    """Move a section or a question one place up (step -1) or down (+1) within its list."""
    survey = _editable(user, survey_id)
    if step not in (-1, 1):
        raise ValidationError(_("Move up or down one place."))
    if what == "section":
        items: list[Any] = list(survey.sections)
        index = items.index(_section(survey, item_id))
    else:
        question = _question(survey, item_id)
        items = list(question.section.questions)
        index = items.index(question)
    _swap(items, index, step)
    db.session.commit()


def delete(user: User, survey_id: int, what: str, item_id: int) -> None:
    """Delete a section (with its questions) or a question, while nobody has answered."""
    survey = _editable(user, survey_id)
    if what == "section":
        section = _section(survey, item_id)
        survey.sections.remove(section)
        _swap(list(survey.sections), 0, 0)
    else:
        question = _question(survey, item_id)
        section = question.section
        section.questions.remove(question)
        _swap(list(section.questions), 0, 0)
    db.session.commit()


def delete_survey(user: User, survey_id: int) -> None:
    survey = _editable(user, survey_id)
    db.session.delete(survey)
    db.session.commit()
