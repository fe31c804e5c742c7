"""surveys: an admin builds a survey on a topic (sections, questions, options); residents answer once each

Responses are drafts until submitted and changeable until the survey closes;
free-text answers are moderated content. An outcome may cite a survey.

Revision ID: 0016_surveys
Revises: 0015_languages
Create Date: 2026-12-06 16:40:58.246176

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_surveys"
down_revision = "0015_languages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=600), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("title_cy", sa.String(length=600), server_default="", nullable=False),
        sa.Column("intro_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("results_published", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_surveys_created_by_id_users")),
        sa.ForeignKeyConstraint(["topic_id"], ["topics.id"], name=op.f("fk_surveys_topic_id_topics")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_surveys_closes_at"), ["closes_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_surveys_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("respondent", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], name=op.f("fk_survey_responses_survey_id_surveys")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_survey_responses_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("survey_id", "respondent", name="uq_survey_responses_survey_id_respondent"),
        sa.UniqueConstraint("survey_id", "user_id", name="uq_survey_responses_survey_id_user_id"),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_responses_user_id"), ["user_id"], unique=False)

    op.create_table(
        "survey_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=600), nullable=False),
        sa.Column("title_cy", sa.String(length=600), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"], name=op.f("fk_survey_sections_survey_id_surveys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sections")),
    )
    with op.batch_alter_table("survey_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_sections_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("prompt_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("why_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("max_length", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["section_id"], ["survey_sections.id"], name=op.f("fk_survey_questions_section_id_survey_sections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_questions_section_id"), ["section_id"], unique=False)

    op.create_table(
        "survey_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=600), nullable=False),
        sa.Column("label_cy", sa.String(length=600), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"], ["survey_questions.id"], name=op.f("fk_survey_options_question_id_survey_questions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_options")),
    )
    with op.batch_alter_table("survey_options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_options_question_id"), ["question_id"], unique=False)

    op.create_table(
        "survey_text_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_category", sa.String(length=40), nullable=True),
        sa.Column("state_note", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_survey_text_answers_author_id_users")),
        sa.ForeignKeyConstraint(
            ["question_id"], ["survey_questions.id"], name=op.f("fk_survey_text_answers_question_id_survey_questions")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"], ["survey_responses.id"], name=op.f("fk_survey_text_answers_response_id_survey_responses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_text_answers")),
    )
    with op.batch_alter_table("survey_text_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_text_answers_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_text_answers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_text_answers_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_text_answers_question_id"), ["question_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_text_answers_response_id"), ["response_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_text_answers_state"), ["state"], unique=False)

    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"], ["survey_options.id"], name=op.f("fk_survey_answers_option_id_survey_options")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["survey_questions.id"], name=op.f("fk_survey_answers_question_id_survey_questions")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"], ["survey_responses.id"], name=op.f("fk_survey_answers_response_id_survey_responses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answers_question_id"), ["question_id"], unique=False)
        batch_op.create_index("ix_survey_answers_response_id_question_id", ["response_id", "question_id"], unique=False)

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outcomes_survey_id"), ["survey_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_outcomes_survey_id_surveys"), "surveys", ["survey_id"], ["id"])


def downgrade():
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outcomes_survey_id_surveys"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outcomes_survey_id"))
        batch_op.drop_column("survey_id")

    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answers_response_id_question_id")
        batch_op.drop_index(batch_op.f("ix_survey_answers_question_id"))

    op.drop_table("survey_answers")
    with op.batch_alter_table("survey_text_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_state"))
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_response_id"))
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_question_id"))
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_created_at"))
        batch_op.drop_index(batch_op.f("ix_survey_text_answers_author_id"))

    op.drop_table("survey_text_answers")
    with op.batch_alter_table("survey_options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_options_question_id"))

    op.drop_table("survey_options")
    with op.batch_alter_table("survey_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_questions_section_id"))

    op.drop_table("survey_questions")
    with op.batch_alter_table("survey_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_sections_survey_id"))

    op.drop_table("survey_sections")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_user_id"))

    op.drop_table("survey_responses")
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_surveys_topic_id"))
        batch_op.drop_index(batch_op.f("ix_surveys_closes_at"))

    op.drop_table("surveys")
