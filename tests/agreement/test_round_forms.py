"""The create and manage forms: who may, what is checked (every problem at once), and the links to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models import Role
from debate.models.agreement import AgreementRound, Statement
from debate.models.forums import Thread
from debate.services.agreement import rounds, statements

pytestmark = pytest.mark.usefixtures("forum_policy")

GOOD = {
    "question": "What should happen to the old bus depot?",
    "question_cy": "Beth ddylai ddigwydd i'r hen ddepo bysiau?",
    "description": "The council owns the site.",
    "allow_statements": "1",
    "closes_at": "2031-03-01T09:00",
    "seeds": "Build homes there.\n\nMake it a park.\nKeep it for buses.",
}


@pytest.fixture
def staff(make_user, login):
    moderator = make_user(Role.MODERATOR)
    login(moderator)
    return moderator


def _round() -> AgreementRound:
    return db.session.scalars(select(AgreementRound)).one()


def test_a_moderator_creates_a_draft_round_on_a_topic(client, staff, topic):
    answer = client.post(f"/topics/{topic.id}/rounds/new", data=GOOD)
    assert answer.status_code == 302
    made = _round()
    assert answer.headers["Location"].endswith(f"/rounds/{made.id}/manage")
    assert made.state == "draft" and made.topic_id == topic.id and made.allow_statements
    assert made.question_cy.startswith("Beth") and made.closes_at is not None
    seeds = db.session.scalars(select(Statement.body).where(Statement.round_id == made.id)).all()
    assert sorted(seeds) == ["Build homes there.", "Keep it for buses.", "Make it a park."]


def test_a_round_on_a_thread(client, staff, topic, make_user):
    thread = Thread(topic_id=topic.id, author_id=staff.id, title="The depot", body="What now?")
    db.session.add(thread)
    db.session.commit()
    assert client.get(f"/threads/{thread.id}/rounds/new").status_code == 200
    assert client.post(f"/threads/{thread.id}/rounds/new", data=GOOD).status_code == 302
    assert _round().thread_id == thread.id


def test_every_problem_is_shown_at_once_and_nothing_is_written(client, staff, topic):
    long_line = "x" * (statements.BODY_MAX + 1)
    bad = GOOD | {"question": "", "closes_at": "next Tuesday", "seeds": f"Fine.\n{long_line}\n{long_line}"}
    answer = client.post(f"/topics/{topic.id}/rounds/new", data=bad)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'href="#question"' in html and 'href="#closes_at"' in html and 'href="#seeds"' in html
    assert "Line 2:" in html and "Line 3:" in html
    assert "Enter a date and time, such as 2027-03-01T09:00." in html
    assert "next Tuesday" in html  # what was typed is kept
    assert db.session.scalars(select(AgreementRound)).all() == []


@pytest.mark.parametrize("question", ["Hi", "q" * (rounds.QUESTION_MAX + 1)])
def test_the_round_service_s_own_rules_reach_the_form(client, staff, topic, question):
    answer = client.post(f"/topics/{topic.id}/rounds/new", data=GOOD | {"question": question})
    assert answer.status_code == 400 and 'href="#question"' in answer.get_data(as_text=True)
    assert db.session.scalars(select(AgreementRound)).all() == []


def test_residents_and_representatives_are_refused(client, login, make_user, topic):
    login(make_user(Role.RESIDENT))
    assert client.get(f"/topics/{topic.id}/rounds/new").status_code == 403
    assert client.post(f"/topics/{topic.id}/rounds/new", data=GOOD).status_code == 403
    created = rounds.create_round(make_user(Role.MODERATOR), topic_id=topic.id, question="A round to manage?")
    assert client.get(f"/rounds/{created.id}/manage").status_code == 403
    assert client.post(f"/rounds/{created.id}/manage", data={"action": "open"}).status_code == 403
    assert db.session.get(AgreementRound, created.id).state == "draft"


def test_signed_out_people_are_sent_to_sign_in(client, topic):
    answer = client.get(f"/topics/{topic.id}/rounds/new")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_an_unknown_topic_or_thread_is_not_found(client, staff):
    assert client.get("/topics/999999/rounds/new").status_code == 404
    assert client.get("/threads/999999/rounds/new").status_code == 404
    assert client.get("/rounds/999999/manage").status_code == 404


def test_manage_edits_opens_and_closes(client, staff, topic):
    client.post(f"/topics/{topic.id}/rounds/new", data=GOOD)
    made = _round()
    page = client.get(f"/rounds/{made.id}/manage").get_data(as_text=True)
    assert GOOD["question"] in page and 'value="2031-03-01T09:00"' in page
    edited = GOOD | {"question": "What should happen to the depot site?", "allow_statements": ""}
    assert client.post(f"/rounds/{made.id}/manage", data=edited | {"action": "save"}).status_code == 302
    db.session.expire_all()
    assert _round().question == "What should happen to the depot site?" and not _round().allow_statements
    assert client.post(f"/rounds/{made.id}/manage", data={"action": "open"}).status_code == 302
    db.session.expire_all()
    assert _round().state == "open"
    assert client.post(f"/rounds/{made.id}/manage", data={"action": "close"}).status_code == 302
    db.session.expire_all()
    assert _round().state == "closed"
    again = client.post(f"/rounds/{made.id}/manage", data={"action": "close"})
    assert again.status_code == 409 and "This round is not open." in again.get_data(as_text=True)


def test_the_topic_page_links_rounds_and_the_form(client, login, make_user, topic):
    moderator = make_user(Role.MODERATOR)
    created = rounds.create_round(moderator, topic_id=topic.id, question="Where do we stand on parking?")
    page = client.get(f"/topics/{topic.slug}").get_data(as_text=True)
    assert "Where do we stand on parking?" not in page  # a draft is not listed for residents
    login(moderator)
    page = client.get(f"/topics/{topic.slug}").get_data(as_text=True)
    assert "Where do we stand on parking?" in page and "Draft" in page  # but is for those who run rounds
    client.post("/logout")
    rounds.open_round(moderator, created)
    page = client.get(f"/topics/{topic.slug}").get_data(as_text=True)
    assert "Where do we agree?" in page and f"/rounds/{created.id}/results" in page
    assert f"/topics/{topic.id}/rounds/new" not in page and f"/rounds/{created.id}/manage" not in page
    login(moderator)
    page = client.get(f"/topics/{topic.slug}").get_data(as_text=True)
    assert f"/topics/{topic.id}/rounds/new" in page and f"/rounds/{created.id}/manage" in page


def test_the_form_states_the_service_s_limits(client, staff, topic):
    html = client.get(f"/topics/{topic.id}/rounds/new").get_data(as_text=True)
    assert f'id="question" name="question" type="text" value="" required data-max-chars="{rounds.QUESTION_MAX}"' in html
    assert f'data-max-chars="{rounds.DESCRIPTION_MAX}"' in html
    assert f"Each at most {statements.BODY_MAX} characters." in html


@pytest.mark.parametrize("typed", ["2027-03-01T09:00xyz", "tomorrow", "2027-02-30T09:00", "9" * 5000])
def test_a_closing_time_must_be_a_real_date_and_time(client, staff, topic, typed):
    answer = client.post(f"/topics/{topic.id}/rounds/new", data=GOOD | {"closes_at": typed})
    assert answer.status_code == 400 and 'href="#closes_at"' in answer.get_data(as_text=True)
    assert db.session.scalars(select(AgreementRound)).all() == []


def test_too_many_opening_statements_are_refused_at_once(client, staff, topic):
    many = "\n".join(f"Statement {n}." for n in range(rounds.SEEDS_MAX + 1))
    answer = client.post(f"/topics/{topic.id}/rounds/new", data=GOOD | {"seeds": many})
    assert answer.status_code == 400
    assert f"A round can start with at most {rounds.SEEDS_MAX} statements." in answer.get_data(as_text=True)
    assert db.session.scalars(select(AgreementRound)).all() == []


def test_hostile_text_is_shown_as_text(client, staff, topic):
    hostile = '<script>alert("x")</script> What now?'
    assert client.post(f"/topics/{topic.id}/rounds/new", data=GOOD | {"question": hostile}).status_code == 302
    made = _round()
    rounds.open_round(staff, made)
    for path in (f"/rounds/{made.id}/manage", f"/rounds/{made.id}/results", f"/rounds/{made.id}/report"):
        html = client.get(path).get_data(as_text=True)
        assert '<script>alert("x")' not in html and "&lt;script&gt;" in html


def test_manage_adds_an_opening_statement(client, staff, topic):
    client.post(f"/topics/{topic.id}/rounds/new", data=GOOD)
    made = _round()
    assert client.post(f"/rounds/{made.id}/manage", data={"action": "seed", "seed": "Sell it."}).status_code == 302
    assert "Sell it." in db.session.scalars(select(Statement.body).where(Statement.round_id == made.id)).all()
    long_line = "y" * (statements.BODY_MAX + 1)
    refused = client.post(f"/rounds/{made.id}/manage", data={"action": "seed", "seed": long_line})
    assert refused.status_code == 400 and 'href="#seed"' in refused.get_data(as_text=True)
