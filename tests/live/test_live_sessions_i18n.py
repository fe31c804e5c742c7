"""Live sessions outside the room in two languages: Welsh pages, bilingual titles, the CSV header, and
"Will you speak Welsh?" (asked when following, in the calendar entry and the notification; the host told
once when a tenth of the followers say yes, in the host's language)."""

from __future__ import annotations

import csv
import io

import icalendar
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from debate.extensions import db
from debate.models.accounts import Role
from debate.models.notifications import Notification, SessionFollow
from debate.services.live import follows
from tests.conftest import PASSWORD

WELSH_TITLE = "Tai: holwch eich cynghorwyr"


def _signed_in(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _welsh(live, title=WELSH_TITLE, description="Rhenti, atgyweiriadau a chartrefi newydd."):
    live.title_cy, live.description_cy = title, description
    db.session.commit()
    return live


def _told(user, kind):
    stmt = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


# --------------------------------------------------------------------------- pages in Welsh


def test_the_list_in_welsh_shows_each_sessions_title_in_the_readers_language(client, schedule, people):
    both = _welsh(schedule())
    english_only = schedule(title="Parks: ask the panel")
    cy = client.get("/cy/sessions").get_data(as_text=True)
    assert '<html lang="cy"' in cy and "Sesiynau holi ac ateb byw" in cy and "Ar y gweill" in cy
    assert f'dir="auto" lang="cy">{WELSH_TITLE}</a>' in cy
    assert 'dir="auto" lang="en">Parks: ask the panel</a>' in cy  # no Welsh yet: the English, marked as such
    assert "Live Q&A sessions" not in cy and "Coming up" not in cy
    en = client.get("/en/sessions").get_data(as_text=True)
    assert both.title in en and WELSH_TITLE not in en and english_only.title in en
    assert "<bdi>Cllr Amina Shah</bdi>, <bdi>Cllr Ben Ortiz</bdi>" in en  # names isolated from the text


def test_an_arabic_panel_name_is_isolated_and_arabic_reads_the_list(client, schedule, people):
    people["councillor"].display_name = "أمينة شاه"
    db.session.commit()
    schedule()
    ar = client.get("/ar/sessions").get_data(as_text=True)
    assert "<bdi>أمينة شاه</bdi>" in ar and "جلسات الأسئلة والأجوبة المباشرة" in ar


def test_the_transcript_and_the_welsh_question_page_in_welsh(client, schedule):
    live = _welsh(schedule())
    cy = client.get(f"/cy/sessions/{live.id}/transcript").get_data(as_text=True)
    assert f'Trawsgrifiad: <span dir="auto" lang="cy">{WELSH_TITLE}</span>' in cy
    assert "Cwestiynau yn y drefn y cawsant eu cymryd" in cy and "Lawrlwytho:" in cy
    en = client.get(f"/en/sessions/{live.id}/transcript").get_data(as_text=True)
    assert 'Transcript: <span dir="auto" lang="en">Housing: ask your councillors</span>' in en
    page = client.get(f"/cy/sessions/{live.id}/welsh").get_data(as_text=True)
    assert "Mewngofnodi i ateb" in page and "A fyddwch chi'n siarad Cymraeg" in page


def test_the_schedule_form_takes_an_optional_welsh_title_and_description(app, people, schedule):
    admin = _signed_in(app, people["admin"])
    form = admin.get("/cy/sessions/new").get_data(as_text=True)
    assert "Teitl Cymraeg" in form and "Disgrifiad Cymraeg" in form and "Trefnu'r sesiwn" in form
    live = schedule()
    page = admin.get(f"/en/sessions/{live.id}/edit").get_data(as_text=True)
    assert 'name="title_cy"' in page and "Welsh title" in page
    data = {
        "title": live.title,
        "title_cy": "Tai",  # too short: the English title's rules
        "description": "",
        "starts_at": page.split('name="starts_at" type="datetime-local" value="')[1].split('"')[0],
        "ends_at": page.split('name="ends_at" type="datetime-local" value="')[1].split('"')[0],
        "panel": [str(people["councillor"].id)],
        "chat_slow_seconds": "10",
    }
    refused = admin.post(f"/cy/sessions/{live.id}/edit", data=data)
    assert refused.status_code == 400 and 'id="title_cy-error"' in refused.get_data(as_text=True)
    data["title_cy"] = WELSH_TITLE
    data["description_cy"] = "Rhenti ac atgyweiriadau."
    assert admin.post(f"/sessions/{live.id}/edit", data=data).status_code == 302
    db.session.refresh(live)
    assert live.title_cy == WELSH_TITLE and live.description_cy == "Rhenti ac atgyweiriadau."
    assert f'value="{WELSH_TITLE}"' in admin.get(f"/sessions/{live.id}/edit").get_data(as_text=True)


def test_vote_counts_in_welsh_take_the_six_forms(app):
    expected = {
        0: "0 pleidleisiau",
        1: "1 bleidlais",
        2: "2 bleidlais",
        3: "3 pleidlais",
        6: "6 phleidlais",
        100: "100 pleidlais",
    }
    with app.test_request_context(), force_locale("cy"):
        for n, text in expected.items():
            assert ngettext("%(num)d vote", "%(num)d votes", n) == text


# --------------------------------------------------------------------------- exports


def test_the_csv_header_is_in_the_requesters_language_and_the_json_keys_stay(client, live):
    english = next(csv.reader(io.StringIO(client.get(f"/sessions/{live.id}/export.csv").get_data(as_text=True))))
    assert english[:3] == ["id", "asked_at", "author"]
    welsh = next(csv.reader(io.StringIO(client.get(f"/cy/sessions/{live.id}/export.csv").get_data(as_text=True))))
    assert welsh[:4] == ["id", "Gofynnwyd am", "Awdur", "Cwestiwn"] and len(welsh) == len(english)
    data = client.get(f"/cy/sessions/{live.id}/export.json").get_json()
    assert {"title", "title_cy", "description"} <= set(data["session"])


def test_the_calendar_entry_asks_the_welsh_question_in_the_requesters_language(client, schedule):
    live = _welsh(schedule())
    event = icalendar.Calendar.from_ical(client.get(f"/sessions/{live.id}/calendar.ics").get_data()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Housing: ask your councillors"
    assert f"Will you speak Welsh at this session? Answer here: http://localhost/sessions/{live.id}/welsh" in str(
        event["DESCRIPTION"]
    )
    cy = icalendar.Calendar.from_ical(client.get(f"/cy/sessions/{live.id}/calendar.ics").get_data()).walk("VEVENT")[0]
    assert str(cy["SUMMARY"]) == WELSH_TITLE
    assert "A fyddwch chi'n siarad Cymraeg yn y sesiwn hon? Atebwch yma:" in str(cy["DESCRIPTION"])
    assert "Rhenti, atgyweiriadau" in str(cy["DESCRIPTION"])


# --------------------------------------------------------------------------- "Will you speak Welsh?"


def test_a_member_answers_changes_and_withdraws_the_answer_on_the_page(app, schedule, people):
    live = schedule()
    member = people["resident"]
    client = _signed_in(app, member)
    page = client.get(f"/sessions/{live.id}/welsh").get_data(as_text=True)
    assert "Will you speak Welsh at this session?" in page and "Follow this session and save my answer" in page
    assert client.post(f"/sessions/{live.id}/welsh", data={"speaks_welsh": "yes"}).status_code == 302
    follow = db.session.scalars(select(SessionFollow).where(SessionFollow.user_id == member.id)).one()
    assert follow.speaks_welsh is True and follows.is_following(member, live.id)  # answering follows it
    page = client.get(f"/cy/sessions/{live.id}/welsh").get_data(as_text=True)
    assert 'value="yes" checked' in page and "Cadw fy ateb" in page
    for answer, stored in (("no", False), ("", None)):
        client.post(f"/sessions/{live.id}/welsh", data={"speaks_welsh": answer})
        db.session.expire_all()
        assert db.session.get(SessionFollow, follow.id).speaks_welsh is stored
    refused = client.post(f"/cy/sessions/{live.id}/welsh", data={"speaks_welsh": "maybe"})
    assert refused.status_code == 400 and "Dewiswch ie, na neu heb ateb." in refused.get_data(as_text=True)


def test_the_follow_service_records_the_answer_too(app, schedule, people):
    live = schedule()
    follows.set_following(people["resident"], live.id, True, speaks_welsh="yes")
    follows.set_following(people["resident2"], live.id, True)
    assert follows.welsh_speakers(live.id) == follows.WelshSpeakers(1, 2)
    follows.set_following(people["resident"], live.id, True)  # following again keeps the answer
    assert follows.welsh_speakers(live.id).yes == 1


def test_the_host_is_told_once_at_ten_per_cent_in_the_hosts_language(app, schedule, people, make_user):
    host = people["admin"]
    host.locale = "cy"
    db.session.commit()
    live = _welsh(schedule())
    followers = [make_user(Role.RESIDENT) for _ in range(11)]
    for member in followers[1:]:
        follows.set_following(member, live.id, True, speaks_welsh="no")
    follows.answer_welsh(followers[0], live.id, "yes")  # 1 of 11: 9 %
    assert not follows.welsh_speakers(live.id).needs_interpreting
    assert _told(host, follows.WELSH_KIND) == []
    moderator = _signed_in(app, people["moderator"])
    assert "said they will speak Welsh" not in moderator.get(f"/sessions/{live.id}/welsh").get_data(as_text=True)

    follows.set_following(followers[-1], live.id, False)  # 1 of 10: 10 %
    [told] = _told(host, follows.WELSH_KIND)
    assert told.text == (
        f"“{WELSH_TITLE}”: Dywedodd 1 o'r 10 o bobl sy'n dilyn y sesiwn hon (10 %) y byddant yn siarad Cymraeg: "
        "trefnwch gyfieithu ar y pryd rhwng y Gymraeg a'r Saesneg."
    )
    assert told.link == f"/sessions/{live.id}#speaks-welsh"
    sentence = (
        "1 of 10 people following this session (10 %) said they will speak Welsh: arrange Welsh-English interpretation."
    )
    assert sentence in moderator.get(f"/sessions/{live.id}/welsh").get_data(as_text=True)
    assert sentence in _signed_in(app, host).get(f"/en/sessions/{live.id}/welsh").get_data(as_text=True)
    resident = _signed_in(app, followers[1])
    assert "said they will speak Welsh" not in resident.get(f"/sessions/{live.id}/welsh").get_data(as_text=True)

    follows.answer_welsh(followers[1], live.id, "yes")  # 2 of 10: still above, told only the first time
    follows.answer_welsh(followers[1], live.id, "no")
    follows.answer_welsh(followers[1], live.id, "yes")
    assert len(_told(host, follows.WELSH_KIND)) == 1


def test_nobody_saying_yes_is_never_enough(app, schedule, people):
    live = schedule()
    follows.answer_welsh(people["resident"], live.id, "no")
    assert follows.welsh_speakers(live.id) == follows.WelshSpeakers(0, 1)
    assert not follows.welsh_speakers(live.id).needs_interpreting


def test_the_starting_notification_asks_in_the_followers_language(app, schedule, people):
    live = _welsh(schedule())
    welsh_reader, english_reader, answered = people["resident"], people["resident2"], people["resident3"]
    welsh_reader.locale = "cy"
    db.session.commit()
    follows.set_following(welsh_reader, live.id, True)
    follows.set_following(english_reader, live.id, True)
    follows.set_following(answered, live.id, True, speaks_welsh="no")
    assert follows.notify_starting() == 3
    [cy] = _told(welsh_reader, "session_starting")
    assert cy.text.startswith(f"Mae “{WELSH_TITLE}” yn dechrau ymhen ")
    assert cy.text.endswith("A fyddwch chi'n siarad Cymraeg yn y sesiwn hon? Atebwch ar dudalen y sesiwn.")
    assert cy.link == f"/sessions/{live.id}/welsh"
    [en] = _told(english_reader, "session_starting")
    assert en.text.startswith("“Housing: ask your councillors” starts in ")
    assert en.text.endswith("Will you speak Welsh at this session? Answer on the session's page.")
    [done] = _told(answered, "session_starting")
    assert "Welsh" not in done.text and done.link == f"/sessions/{live.id}"


def test_the_question_is_not_asked_once_the_session_is_over(app, schedule, people):
    live = schedule()
    client = _signed_in(app, people["admin"])
    client.post(f"/sessions/{live.id}/cancel")
    member = _signed_in(app, people["resident"])
    refused = member.post(f"/sessions/{live.id}/welsh", data={"speaks_welsh": "yes"})
    assert refused.status_code == 409
    assert 'name="speaks_welsh"' not in member.get(f"/sessions/{live.id}/welsh").get_data(as_text=True)


def test_the_demo_sessions_are_written_in_welsh_too(app, client):
    from debate.demo import live as live_demo
    from debate.demo import seeding
    from debate.models.live import LiveSession

    seeding.load_demo(password_factory=lambda: "demo-password-123")
    sessions = list(db.session.scalars(select(LiveSession)))
    assert {s.title_cy for s in sessions} == {
        live_demo.LIVE_TITLE_CY,
        live_demo.UPCOMING_TITLE_CY,
        live_demo.PAST_TITLE_CY,
    }
    assert all(s.description_cy for s in sessions)
    page = client.get("/cy/sessions").get_data(as_text=True)
    assert live_demo.LIVE_TITLE_CY in page and live_demo.LIVE_TITLE not in page
