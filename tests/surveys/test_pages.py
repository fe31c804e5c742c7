"""The survey pages and the JSON API: answering without JavaScript, the error summary, results with charts
whose table carries the counts, exports' access, the builder, and citing by an outcome."""

from __future__ import annotations

import re

from sqlalchemy import select

from debate.extensions import db
from debate.models.notifications import Notification
from debate.models.outcomes import Outcome
from debate.models.surveys import SurveyResponse
from debate.services import privacy
from debate.services.surveys import answering, building, results
from tests.conftest import PASSWORD
from tests.surveys.conftest import full_answers


def _sign_in(app, user):
    browser = app.test_client()
    assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def _form(survey, answers: dict) -> dict:
    data: dict = {}
    for question in survey.questions:
        value = answers.get(question.id)
        if isinstance(value, dict):
            for option_id, rank in value.items():
                data[f"q{question.id}_{option_id}"] = rank
        elif value is not None:
            data[f"q{question.id}"] = value
    return data


def test_answer_by_form_save_come_back_and_submit(app, build, people):
    survey = build()
    browser = _sign_in(app, people["resident"])
    one, rating, *_ = survey.questions
    saved = browser.post(f"/surveys/{survey.id}", data={f"q{one.id}": str(one.options[1].id), "action": "save"})
    assert saved.status_code == 302
    page = browser.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "saved as a draft" in page
    assert re.search(rf'id="q{one.id}-{one.options[1].id}"[^>]*value="{one.options[1].id}" checked', page)
    refused = browser.post(f"/surveys/{survey.id}", data={f"q{one.id}": str(one.options[1].id), "action": "submit"})
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert 'class="error-summary"' in body and f'href="#q{rating.id}"' in body
    assert f'id="q{one.id}-{one.options[1].id}" name="q{one.id}" value="{one.options[1].id}" checked' in body
    sent = browser.post(f"/surveys/{survey.id}", data=_form(survey, full_answers(survey)) | {"action": "submit"})
    assert sent.status_code == 302
    assert db.session.scalar(select(SurveyResponse.submitted_at)) is not None
    assert "You sent your answers" in browser.get(f"/surveys/{survey.id}").get_data(as_text=True)


def test_the_json_api_answers_through_the_same_service(app, build, people):
    survey = build()
    browser = _sign_in(app, people["resident"])
    answers = {str(k): v for k, v in full_answers(survey).items()}
    answers[str(survey.questions[3].id)] = {str(k): v for k, v in answers[str(survey.questions[3].id)].items()}
    missing = browser.post(f"/api/v1/surveys/{survey.id}/answers", json={"answers": {}, "submit": True})
    assert missing.status_code == 400 and set(missing.get_json()["error"]["errors"]) == {
        f"q{survey.questions[0].id}",
        f"q{survey.questions[1].id}",
    }
    sent = browser.post(f"/api/v1/surveys/{survey.id}/answers", json={"answers": answers, "submit": True})
    assert sent.status_code == 200 and sent.get_json()["data"] == {"respondent": 1, "submitted": True}
    assert answering.given_of(survey, answering.response_of(people["resident"], survey.id)) == full_answers(survey)
    assert app.test_client().post(f"/api/v1/surveys/{survey.id}/answers", json={"answers": {}}).status_code == 401


def test_results_page_draws_charts_with_a_text_alternative_and_the_counts_in_a_table(app, build, people, client):
    survey = build()
    for name, single in (("resident", 0), ("resident2", 1), ("resident3", 1)):
        answering.save(people[name], survey.id, full_answers(survey, single=single), submit=True)
    assert client.get(f"/surveys/{survey.id}/results").status_code == 403  # not published yet
    assert client.get(f"/surveys/{survey.id}/results.csv").status_code == 403
    building.set_results_published(people["admin"], survey.id, True)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    shown = results.compute(survey)
    for result in shown.questions:
        if result.chart is None:
            continue
        chart_id = f"chart-{result.question.id}"
        svg = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc"[^>]*>(.*?)</svg>', page, re.S)
        assert svg and 'role="img"' in svg.group(0)
        assert f'<title id="{chart_id}-title">' in svg.group(1) and f'<desc id="{chart_id}-desc">' in svg.group(1)
        table = re.search(rf'<table class="chart-table" id="{chart_id}-table">(.*?)</table>', page, re.S).group(1)
        counts = [int(n) for n in re.findall(r'<td class="count">(\d+)</td>', table)]
        assert counts == [bar.count for bar in result.chart.bars]
    single = shown.questions[0].chart
    assert [b.count for b in single.bars] == [1, 2]
    assert '<td class="count">2</td><td class="percent">67%</td>' in page
    assert client.get(f"/surveys/{survey.id}/results.json").status_code == 200


def test_the_list_shows_open_upcoming_and_closed_with_results(app, build, people, client):
    from datetime import timedelta

    build()
    build(opens_in=timedelta(days=2), closes_in=timedelta(days=3))
    page = client.get("/surveys").get_data(as_text=True)
    assert page.count("Homes in our area") == 2 and "No closed survey has results yet." in page


def test_the_builder_pages_are_for_admins(app, build, people, topic):
    assert _sign_in(app, people["resident"]).get("/admin/surveys/new").status_code == 403
    admin = _sign_in(app, people["admin"])
    created = admin.post(
        "/admin/surveys/new",
        data={"topic_id": topic.id, "title": "Parks", "opens_at": "2027-03-01T09:00", "closes_at": "2027-04-01T09:00"},
    )
    assert created.status_code == 302
    where = created.headers["Location"]
    assert admin.post(where, data={"action": "section", "section_title": "About you"}).status_code == 302
    refused = admin.post(where, data={"action": "question", "section_id": "1", "kind": "single", "prompt": "Which?"})
    assert refused.status_code == 400 and "at least two options" in refused.get_data(as_text=True)
    page = admin.get(where).get_data(as_text=True)
    assert "About you" in page and "Publish the survey" in page


def test_an_outcome_cites_published_results_and_respondents_are_told(app, build, people, thread):
    survey = build()
    answering.save(people["resident"], survey.id, full_answers(survey), submit=True)
    outcome = Outcome(thread_id=thread.id, author_id=people["councillor"].id, heard="Heard.", will_happen="Will.")
    db.session.add(outcome)
    db.session.commit()
    admin = _sign_in(app, people["admin"])
    refused = admin.post(f"/admin/surveys/{survey.id}", data={"action": "cite", "outcome_id": outcome.id})
    assert refused.status_code == 400 and db.session.get(Outcome, outcome.id).survey_id is None
    building.set_results_published(people["admin"], survey.id, True)
    assert (
        admin.post(f"/admin/surveys/{survey.id}", data={"action": "cite", "outcome_id": outcome.id}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).survey_id == survey.id
    told = db.session.scalars(select(Notification).where(Notification.kind == "outcome_published")).all()
    assert [(n.user_id, n.link) for n in told] == [(people["resident"].id, f"/outcomes/{outcome.id}")]
    assert f"/surveys/{survey.id}/results" in app.test_client().get(f"/outcomes/{outcome.id}").get_data(as_text=True)


def test_answers_are_in_my_data_and_unlinked_from_a_deleted_account(app, build, people):
    survey = build()
    resident = people["resident"]
    answering.save(resident, survey.id, full_answers(survey), submit=True)
    mine = privacy.export_user(resident)["sections"]["surveys"]["data"]
    assert mine[0]["survey"] == "Homes in our area" and mine[0]["free_text_states"] == {
        str(survey.questions[4].id): "held"
    }
    privacy.delete_user(resident, password_ok=True, remove_content=True)
    response = db.session.scalar(select(SurveyResponse))
    assert response.user_id is None and response.texts[0].author_id is None
    assert response.texts[0].body == "" and response.texts[0].state == "withdrawn"
    assert results.compute(survey).respondents == 1  # the totals published stay as they were


def test_the_form_and_the_json_api_share_one_answering_budget(app, build, people, rate_limits_on):
    from debate.services.surveys import access

    survey = build()
    browser = _sign_in(app, people["resident"])
    assert access.ANSWER.rate == "60/hour"
    for n in range(30):
        assert browser.post(f"/surveys/{survey.id}", data={"action": "save"}).status_code == 302
        assert browser.post(f"/api/v1/surveys/{survey.id}/answers", json={"answers": {}}).status_code == 200, n
    refused = browser.post(f"/api/v1/surveys/{survey.id}/answers", json={"answers": {}})
    assert refused.status_code == 429 and refused.get_json()["error"]["message"] == str(access.ANSWER.message)
    assert browser.post(f"/surveys/{survey.id}", data={"action": "save"}).status_code == 429
    assert _sign_in(app, people["resident2"]).post(f"/surveys/{survey.id}", data={"action": "save"}).status_code == 302


def test_a_closed_survey_refuses_the_form_with_the_reason(app, build, people):
    from datetime import timedelta

    from debate.models.base import utcnow

    survey = build()
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    browser = _sign_in(app, people["resident"])
    refused = browser.post(f"/surveys/{survey.id}", data=_form(survey, full_answers(survey)) | {"action": "submit"})
    assert refused.status_code == 403 and "This survey has closed" in refused.get_data(as_text=True)
    assert db.session.scalar(select(SurveyResponse.id)) is None


def test_an_admin_deletes_a_survey_nobody_answered(app, build, people):
    survey = build()
    admin = _sign_in(app, people["admin"])
    deleted = admin.post(f"/admin/surveys/{survey.id}", data={"action": "delete_survey"})
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith("/surveys")
    assert app.test_client().get(f"/surveys/{survey.id}").status_code == 404


def test_respondents_are_told_with_the_surveys_title_in_their_language(app, build, people, thread):
    from debate.services.surveys import citing

    survey = build()
    survey.title_cy = "Cartrefi yn ein hardal"
    people["resident"].locale = "cy"
    db.session.commit()
    answering.save(people["resident"], survey.id, full_answers(survey), submit=True)
    answering.save(people["resident2"], survey.id, full_answers(survey), submit=True)
    building.set_results_published(people["admin"], survey.id, True)
    outcome = Outcome(thread_id=thread.id, author_id=people["councillor"].id, heard="Heard.", will_happen="Will.")
    db.session.add(outcome)
    db.session.commit()
    citing.cite(people["admin"], outcome.id, survey.id)
    cited = select(Notification).where(Notification.kind == "outcome_published")
    told = {n.user_id: n.text for n in db.session.scalars(cited)}
    assert "Cartrefi yn ein hardal" in told[people["resident"].id]
    assert "Homes in our area" in told[people["resident2"].id]
    citing.cite(people["admin"], outcome.id, survey.id)  # citing again tells nobody twice
    assert len(db.session.scalars(cited).all()) == 2
