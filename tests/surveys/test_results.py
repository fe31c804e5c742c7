"""Results and exports: counts per option, the scale's mean, rankings, free text only once published, and an
export that says exactly what is stored, with no names or account ids."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from debate.extensions import db
from debate.models.surveys import SurveyAnswer, SurveyResponse, SurveyTextAnswer
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue
from debate.services.surveys import answering, export, results
from tests.surveys.conftest import full_answers


def _answered(build, people):
    survey = build()
    answering.save(
        people["resident"], survey.id, full_answers(survey, single=0, scale=4, text="Fix the damp"), submit=True
    )
    answering.save(
        people["resident2"], survey.id, full_answers(survey, single=1, scale=2, text="More homes"), submit=True
    )
    answering.save(people["resident3"], survey.id, full_answers(survey, single=1, scale=5), submit=False)  # a draft
    return survey


def test_counts_means_and_rankings_of_submitted_responses(build, people):
    survey = _answered(build, people)
    shown = results.compute(survey)
    assert shown.respondents == 2
    single, scale, multiple, ranking, text = shown.questions
    assert [(b.label, b.count, b.percent) for b in single.chart.bars] == [("Own", 1, 50), ("Rent", 1, 50)]
    assert [b.count for b in scale.chart.bars] == [0, 1, 0, 1, 0] and scale.mean == 3.0
    assert [(b.label, b.count, b.percent) for b in multiple.chart.bars] == [
        ("Build", 2, 100),
        ("Repair", 0, 0),
        ("Help", 2, 100),
    ]
    # Both ranked Place first, Size second, Cost last: Borda points 2, 1, 0 each.
    assert ranking.ranks == [("Place", 1.0, 4), ("Size", 2.0, 2), ("Cost", 3.0, 0)]


def test_free_text_waits_for_moderation_before_results_and_exports(build, people):
    survey = _answered(build, people)
    rows = db.session.scalars(select(SurveyTextAnswer).order_by(SurveyTextAnswer.id)).all()
    assert [r.state for r in rows] == ["held", "held", "held"]
    assert results.compute(survey).questions[4].texts == []
    assert "Fix the damp" not in export.to_csv(survey) and "Fix the damp" not in export.to_json(survey)
    staff_view = results.compute(survey, staff=True).questions[4].texts
    assert [(t.body, t.public) for t in staff_view] == [("Fix the damp", False), ("More homes", False)]
    item = moderation_queue.find("survey_answer", rows[0].id)
    assert item is not None
    moderation_decisions.decide(people["moderator"], item.id, "approve")
    assert [t.body for t in results.compute(survey).questions[4].texts] == ["Fix the damp"]
    assert "Fix the damp" in export.to_csv(survey) and "More homes" not in export.to_csv(survey)


def test_the_export_matches_the_stored_answers_exactly(build, people):
    survey = _answered(build, people)
    for row in db.session.scalars(select(SurveyTextAnswer)):
        row.state = "published"
    db.session.commit()
    data = json.loads(export.to_json(survey))
    stored = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.submitted_at.is_not(None)).order_by(SurveyResponse.respondent)
    ).all()
    assert [r["respondent"] for r in data["responses"]] == [r.respondent for r in stored]
    one, rating, many, ranked, written = survey.questions
    for row, response in zip(data["responses"], stored, strict=True):
        answers = {a.question_id: [] for a in response.answers}
        for a in sorted(response.answers, key=lambda a: (a.value or 0, a.option_id or 0)):
            answers[a.question_id].append(a)
        assert row["answers"][str(one.id)] == answers[one.id][0].option_id
        assert row["answers"][str(rating.id)] == answers[rating.id][0].value
        assert row["answers"][str(many.id)] == [a.option_id for a in answers[many.id]]
        assert row["answers"][str(ranked.id)] == [a.option_id for a in answers[ranked.id]]
        assert row["answers"][str(written.id)] == response.texts[0].body
    # No names, emails or account ids anywhere in either export.
    text = export.to_json(survey) + export.to_csv(survey)
    for name in ("resident", "resident2", "resident3"):
        person = people[name]
        assert person.display_name not in text and person.email not in text
    assert '"user_id"' not in text
    table = list(csv.reader(io.StringIO(export.to_csv(survey))))
    assert table[0][:2] == ["respondent", "submitted_at"] and len(table) == 3
    assert table[1][2:] == ["Own", "4", "Build; Help", "Place; Size; Cost", "Fix the damp"]
    assert db.session.query(SurveyAnswer).count() > 0


def test_spreadsheet_formulas_are_defused_in_the_csv(build, people):
    survey = build()
    answering.save(people["resident"], survey.id, full_answers(survey, text="=HYPERLINK(1)"), submit=True)
    db.session.execute(SurveyTextAnswer.__table__.update().values(state="published"))
    db.session.commit()
    assert "'=HYPERLINK(1)" in export.to_csv(survey)


def test_a_prompt_that_looks_like_a_formula_is_defused_in_the_csv_heading(build, people):
    from debate.services.surveys import building

    survey = build(publish=False)
    building.add_question(
        people["admin"], survey.id, survey.sections[0].id, building.QuestionForm(kind="scale", prompt="=1+1 how much?")
    )
    assert "'=1+1 how much?" in export.to_csv(survey).splitlines()[0]
