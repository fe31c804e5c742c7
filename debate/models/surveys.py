"""Surveys on a topic: an admin builds them (sections, questions, options); residents answer once each.

A survey's state is worked out from its `published` flag and its dates, never
stored, so a survey opens and closes on time without a job to flip it. Each
resident has at most one response per survey (a unique pair), kept as a draft
until submitted and changeable until the survey closes. Choices, scale values
and ranks are `SurveyAnswer` rows; free text is a `SurveyTextAnswer`, moderated
content like a reply, so results show it only once it is public.

A response carries a per-survey respondent number: exports and results name
that, never the account.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.extensions import Model
from debate.models.base import utcnow
from debate.models.moderated import ModeratedMixin
from debate.models.topics import Topic


class Survey(Model):
    __tablename__ = "surveys"

    DRAFT, UPCOMING, OPEN, CLOSED = "draft", "upcoming", "open", "closed"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    title: Mapped[str] = mapped_column(String(600))
    intro: Mapped[str] = mapped_column(Text, default="")
    # Official content in both languages (debate/services/bilingual.py): the Welsh version, "" until written.
    title_cy: Mapped[str] = mapped_column(String(600), default="", server_default="")
    intro_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column(index=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    results_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship()
    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveySection.position"
    )

    def state_at(self, now: datetime) -> str:
        if not self.published:
            return self.DRAFT
        if now < self.opens_at:
            return self.UPCOMING
        return self.OPEN if now < self.closes_at else self.CLOSED

    @property
    def state(self) -> str:
        return self.state_at(utcnow())

    @property
    def questions(self) -> list[SurveyQuestion]:
        return [q for s in self.sections for q in s.questions]


class SurveySection(Model):
    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(600))
    title_cy: Mapped[str] = mapped_column(String(600), default="", server_default="")

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )


class SurveyQuestion(Model):
    __tablename__ = "survey_questions"

    SINGLE, MULTIPLE, SCALE, RANKING, TEXT = "single", "multiple", "scale", "ranking", "text"
    KINDS = (SINGLE, MULTIPLE, SCALE, RANKING, TEXT)
    WITH_OPTIONS = (SINGLE, MULTIPLE, RANKING)
    SCALE_VALUES = (1, 2, 3, 4, 5)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("survey_sections.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    prompt_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    why: Mapped[str] = mapped_column(Text, default="")  # "why we ask", optional
    why_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int | None] = mapped_column(Integer)  # free text: characters as a person sees them

    section: Mapped[SurveySection] = relationship(back_populates="questions")
    options: Mapped[list[SurveyOption]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="SurveyOption.position"
    )


class SurveyOption(Model):
    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(600))
    label_cy: Mapped[str] = mapped_column(String(600), default="", server_default="")

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")


class SurveyResponse(Model):
    """One resident's answers to one survey: a draft until `submitted_at`; `user_id` is None once erased."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    respondent: Mapped[int] = mapped_column(Integer)  # 1, 2, 3... within the survey: exports name this
    submitted_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.id"
    )
    texts: Mapped[list[SurveyTextAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyTextAnswer.id"
    )

    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", name="uq_survey_responses_survey_id_user_id"),
        UniqueConstraint("survey_id", "respondent", name="uq_survey_responses_survey_id_respondent"),
    )


class SurveyAnswer(Model):
    """A chosen option (single, multiple), an option's rank (ranking: `value` 1 is first) or a scale value."""

    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("survey_options.id"))
    value: Mapped[int | None] = mapped_column(Integer)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")

    __table_args__ = (Index("ix_survey_answers_response_id_question_id", "response_id", "question_id"),)


class SurveyTextAnswer(ModeratedMixin, Model):
    """A free-text answer: moderated content (held ones are seen by admins and moderators only)."""

    __tablename__ = "survey_text_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="texts")
    question: Mapped[SurveyQuestion] = relationship()
