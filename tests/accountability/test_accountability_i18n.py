"""The accountability pages in Welsh and Arabic: the record, "what became of my questions", representatives'
answers in both languages, plurals of working days, notifications in the recipient's language, and bidi
isolation of residents' text and names."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, ngettext

from debate.extensions import db
from debate.services.accountability import questions as accountability
from tests.accountability.conftest import notifications_of, tracked_for
from tests.accountability.test_accountability_pages import check, html


def speaks(user, code: str) -> None:
    user.locale = code
    db.session.commit()


def test_the_record_in_welsh(client, people, ended):
    page = html(client.get("/cy/record"))
    check(page)
    assert '<html lang="cy" dir="ltr">' in page
    assert "Cofnod y cyngor o ran ateb cwestiynau" in page and "<dt>Cwestiynau a ofynnwyd</dt>" in page
    assert "The council's record on answering questions" not in page
    person = html(client.get(f"/cy/representatives/{people['councillor'].id}/record"))
    check(person)
    assert "Cwestiynau a ofynnwyd i <bdi>Cllr Amina Shah</bdi> (3)" in person
    assert "Yn aros am ateb ysgrifenedig" in person and "Atebwyd yn fyw gan <bdi>Cllr Amina Shah</bdi>" in person
    assert 'href="/cy/record"' in person  # links stay Welsh


def test_what_became_of_my_question_in_welsh_and_arabic(as_user, people, ended):
    resident = as_user(people["resident"])
    welsh = html(resident.get("/cy/questions/mine"))
    check(welsh)
    assert "<h1>Beth ddigwyddodd i'm cwestiynau</h1>" in welsh and "Yn aros am ateb ysgrifenedig" in welsh
    assert 'aria-label="Eich cwestiynau"' in welsh
    # The resident's own words keep their direction; the name beside English-or-Welsh words is isolated.
    assert '<div class="post-body question-body" dir="auto"><p>Why is the Northgate library closed' in welsh
    assert "gan <bdi>Rita Resident</bdi>" in welsh
    arabic = html(resident.get("/ar/questions/mine"))
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "ماذا حدث لأسئلتي" in arabic and "بانتظار إجابة مكتوبة" in arabic


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 diwrnodau gwaith ar ôl."),
        (1, "1 diwrnod gwaith ar ôl."),
        (2, "2 ddiwrnod gwaith ar ôl."),
        (3, "3 diwrnod gwaith ar ôl."),
        (6, "6 diwrnod gwaith ar ôl."),
        (100, "100 diwrnod gwaith ar ôl."),
    ],
)
def test_working_days_left_in_welsh_plurals(app, n, expected):
    with app.test_request_context("/"), force_locale("cy"):
        said = ngettext("%(count)s working day left.", "%(count)s working days left.", n, count=n)
    assert said == expected


def test_the_answers_page_in_welsh_counts_working_days(as_user, people, ended):
    page = html(as_user(people["councillor"]).get("/cy/answers"))
    check(page)
    assert "Cwestiynau i'w hateb" in page and "Eich cwestiynau heb eu hateb (2)" in page
    assert re.search(r"<p>\d+ d?diwrnod(au)? gwaith ar ôl\.</p>", page)
    assert 'name="answer_cy"' in page and 'lang="cy"' in page  # the optional Welsh answer


def test_a_bilingual_answer_is_shown_in_each_readers_language(client, as_user, people, ended):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    done = as_user(people["councillor"]).post(
        f"/answers/{tracked.id}/answer",
        data={"answer": "Sunday opening starts in May.", "answer_cy": "Bydd agor ar y Sul yn dechrau ym mis Mai."},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert tracked_for(asked["waiting"]).answer_body_cy == "Bydd agor ar y Sul yn dechrau ym mis Mai."
    path = f"/representatives/{people['councillor'].id}/record"
    english, welsh = html(client.get(path)), html(client.get(f"/cy{path}"))
    assert "Sunday opening starts in May." in english and "ym mis Mai" not in english
    assert '<div class="post-body answer-body" dir="auto"><p>Bydd agor ar y Sul yn dechrau ym mis Mai.' in welsh


def test_an_answer_only_in_english_is_marked_english_on_a_welsh_page(client, people, ended):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    accountability.answer(people["councillor"], tracked.id, "Sunday opening starts in May.")
    welsh = html(client.get(f"/cy/representatives/{people['councillor'].id}/record"))
    assert '<div class="post-body answer-body" dir="auto" lang="en"><p>Sunday opening starts in May.' in welsh
    english = html(client.get(f"/en/representatives/{people['councillor'].id}/record"))
    assert 'dir="auto" lang="en"><p>Sunday opening' not in english  # the page's own language: no lang


def test_the_asker_is_told_in_their_own_language(app, people, ended):
    live, asked = ended
    speaks(people["resident"], "cy")
    tracked = tracked_for(asked["waiting"])
    with app.test_request_context("/"):  # the representative acts on an English page
        accountability.answer(people["councillor"], tracked.id, "Sunday opening starts in May.")
    [note] = notifications_of(people["resident"], "question_answered")
    assert note.text == "Cafodd eich cwestiwn ei ateb yn ysgrifenedig gan Cllr Amina Shah."


def test_welsh_settings_page(as_user, people):
    page = html(as_user(people["admin"]).get("/cy/admin/accountability"))
    check(page)
    assert "Atebion ysgrifenedig: gosodiadau" in page and ">Cymru a Lloegr</option>" in page
    assert "Diwrnodau gwaith i ateb" in page


def test_the_admin_can_list_answers_missing_their_welsh(people, ended):
    live, asked = ended
    english_only = tracked_for(asked["waiting"])
    both = tracked_for(asked["other"])
    accountability.answer(people["councillor"], english_only.id, "In May.")
    accountability.answer(people["councillor"], both.id, "Next week.", "Yr wythnos nesaf.")
    assert [t.id for t in accountability.answers_missing_welsh()] == [english_only.id]
