"""Reports: counts among those who answered, prefer-not and not answered apart, the census beside them, and
no count under ten anywhere (page, CSV, JSON); the same figures for every role allowed to read them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from debate.extensions import db
from debate.models import ChatMessage, QuestionVote, Reply, Role, SessionQuestion, Thread
from debate.models.equality import CensusShare
from debate.services.equality import exports, monthly
from debate.services.equality.reports import profile_of


def census(question: str, **shares: float) -> None:
    for category, percent in shares.items():
        db.session.add(
            CensusShare(question=question, category=category, percent=percent, source="Census 2021", year=2021)
        )
    db.session.commit()


def cells(report, key):
    question = next(q for q in report.questions if q.key == key)
    return {c.key: c for c in [*question.categories, question.answered, question.prefer_not, question.not_answered]}


def test_fewer_than_ten_participants_show_nothing(app, residents):
    report = profile_of([u.id for u in residents(9, age="16-24")])
    assert report.suppressed and report.questions == []
    assert exports.as_dict(report) == {"participants": "fewer than 10", "threshold": 10, "questions": []}


def test_shares_are_of_those_who_answered_with_prefer_not_and_blank_apart(app, residents):
    census("age", **{"16-24": 14, "25-34": 16, "35-44": 15, "45-54": 16, "55-64": 15, "65-74": 13, "75+": 11})
    ids = [u.id for u in residents(20, age="16-24")] + [u.id for u in residents(30, age="45-54")]
    ids += [u.id for u in residents(12, age="prefer_not")] + [u.id for u in residents(15)]
    age = cells(profile_of(ids), "age")
    assert (age["16-24"].count, age["16-24"].share, age["16-24"].census) == (20, 40.0, 14)
    assert (age["45-54"].count, age["45-54"].share) == (30, 60.0)
    assert (age["prefer_not"].count, age["not_answered"].count, age["answered"].count) == (12, 15, 50)
    assert age["75+"].suppressed and age["75+"].share is None and age["75+"].census == 11


def test_a_single_small_cell_takes_another_with_it(app, residents):
    ids = [u.id for u in residents(3, sex="female")] + [u.id for u in residents(40, sex="male")]
    ids += [u.id for u in residents(11, sex="prefer_not")] + [u.id for u in residents(25)]
    sex = cells(profile_of(ids), "sex")
    assert sex["female"].suppressed
    assert sex["male"].suppressed  # otherwise female = answered - male
    assert not sex["prefer_not"].suppressed and not sex["not_answered"].suppressed


def test_a_rare_district_is_never_named_and_a_common_one_is(app, residents):
    ids = [u.id for u in residents(3, postcode_district="ZZ99")] + [
        u.id for u in residents(12, postcode_district="CF10")
    ]
    ids += [u.id for u in residents(10, postcode_district="CF11")]
    report = profile_of(ids)
    district = cells(report, "postcode_district")
    assert "ZZ99" not in district and district["CF10"].count == 12 and district["other"].suppressed
    assert "ZZ99" not in json.dumps(exports.as_dict(report)) and "ZZ99" not in exports.as_csv(report)


def numbers_under_ten(text: str) -> list[str]:
    return [n for n in re.findall(r"(?<![\w.%-])(\d+)(?![\w.%-])", text) if int(n) < 10]


def test_exports_carry_the_same_suppression(app, residents):
    ids = [u.id for u in residents(4, ethnic_group="roma", age="16-24")] + [
        u.id for u in residents(30, ethnic_group="white_british", age="35-44")
    ]
    report = profile_of(ids)
    data = exports.as_dict(report)
    ethnic = next(q for q in data["questions"] if q["key"] == "ethnic_group")
    roma = next(c for c in ethnic["categories"] if c["key"] == "roma")
    assert roma["count"] == "fewer than 10" and roma["percent"] == "fewer than 10"
    rows = list(csv.reader(io.StringIO(exports.as_csv(report))))
    for row in rows[1:]:
        assert row[2] == "fewer than 10" or int(row[2]) >= 10, row


@pytest.fixture
def crowd_session(live, residents, people):
    """A live session where 30 residents took part (asked, voted, chatted): 4 are Roma, 26 White British."""
    roma = residents(4, ethnic_group="roma")
    others = residents(26, ethnic_group="white_british")
    question = SessionQuestion(session_id=live.id, author_id=roma[0].id, body="When will the bus come?")
    db.session.add(question)
    db.session.flush()
    for user in roma[1:] + others[:10]:
        db.session.add(QuestionVote(question_id=question.id, user_id=user.id))
    for user in others[10:]:
        db.session.add(ChatMessage(session_id=live.id, author_id=user.id, body="Hello"))
    db.session.commit()
    return live


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MODERATOR, Role.REPRESENTATIVE])
def test_staff_and_representatives_see_the_same_session_report(app, crowd_session, make_user, signed_in, role):
    client = signed_in(make_user(role))
    page = client.get(f"/sessions/{crowd_session.id}/who-is-missing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "30 people took part." in html and "fewer than 10" in html
    data = client.get(f"/sessions/{crowd_session.id}/who-is-missing?format=json").get_json()
    assert data["participants"] == 30
    ethnic = next(q for q in data["questions"] if q["key"] == "ethnic_group")
    assert {c["key"]: c["count"] for c in ethnic["categories"]}["white_british"] == 26
    assert all(c["count"] == "fewer than 10" for c in ethnic["categories"] if c["key"] != "white_british")
    body = client.get(f"/sessions/{crowd_session.id}/who-is-missing?format=csv").get_data(as_text=True)
    assert not numbers_under_ten(body.split("\n", 1)[1].replace("fewer than 10", ""))


@pytest.mark.parametrize("role", [None, Role.RESIDENT])
def test_residents_and_visitors_cannot_read_reports(app, crowd_session, make_user, signed_in, role):
    client = signed_in(make_user(role)) if role else app.test_client()
    for path in (
        f"/sessions/{crowd_session.id}/who-is-missing",
        "/admin/who-is-missing",
        f"/sessions/{crowd_session.id}/who-is-missing?format=json",
    ):
        assert client.get(path).status_code in (302, 403), path


def test_a_thread_report_counts_its_starter_and_repliers(app, topic, residents, make_user, signed_in):
    people = residents(12, sex="female")
    thread = Thread(topic_id=topic.id, author_id=people[0].id, title="Buses", body="More buses please")
    db.session.add(thread)
    db.session.flush()
    for user in people[1:] + people[1:3]:
        db.session.add(Reply(thread_id=thread.id, author_id=user.id, body="Agreed"))
    db.session.commit()
    client = signed_in(make_user(Role.MODERATOR))
    data = client.get(f"/threads/{thread.id}/who-is-missing?format=json").get_json()
    assert data["participants"] == 12
    assert client.get("/threads/999999/who-is-missing").status_code == 404


def test_the_public_monthly_profile_is_suppressed(app, crowd_session, client):
    months = monthly.monthly()
    assert months and months[0].report.participants == 30
    html = client.get("/transparency/participation").get_data(as_text=True)
    assert "30 people took part." in html
    assert "Roma" in html  # the category's name, always listed ...
    roma_row = re.search(r"<th scope=\"row\">Roma</th>(.*?)</tr>", html, re.S)
    assert roma_row and "fewer than 10" in roma_row.group(1)  # ... never its count
    assert "Crowd Member" not in html and "When will the bus come?" not in html


def _poll(live, people, answerers, state="closed"):
    from debate.models.polls import Poll, PollAnswer, PollOption

    poll = Poll(
        session_id=live.id, question="Weekly bins?", kind="single", state=state, created_by_id=people["admin"].id
    )
    poll.options = [PollOption(label="Yes", position=0), PollOption(label="No", position=1)]
    db.session.add(poll)
    db.session.flush()
    for user in answerers:
        db.session.add(
            PollAnswer(
                poll_id=poll.id, author_id=user.id, choices=[poll.options[0].id], state="published", fingerprint=""
            )
        )
    db.session.commit()
    return poll


def test_a_polls_report_counts_who_answered_it_and_the_session_counts_them_too(
    app, live, residents, people, make_user, signed_in
):
    answerers = residents(12, age="16-24") + residents(3, age="75+")
    poll = _poll(live, people, answerers)
    client = signed_in(make_user(Role.MODERATOR))
    data = client.get(f"/polls/{poll.id}/who-is-missing?format=json").get_json()
    assert data["participants"] == 15
    age = {c["key"]: c["count"] for c in next(q for q in data["questions"] if q["key"] == "age")["categories"]}
    assert age["16-24"] == 12 and age["75+"] == "fewer than 10"
    page = client.get(f"/polls/{poll.id}/who-is-missing").get_data(as_text=True)
    assert "Weekly bins?" in page and "15 people took part." in page
    session = client.get(f"/sessions/{live.id}/who-is-missing?format=json").get_json()
    assert session["participants"] == 15  # answering a poll is taking part in its session
    assert client.get(f"/polls/{_poll(live, people, [], state='draft').id}/who-is-missing").status_code == 404
    resident = signed_in(make_user(Role.RESIDENT))
    assert resident.get(f"/polls/{poll.id}/who-is-missing?format=json").status_code in (302, 403)
