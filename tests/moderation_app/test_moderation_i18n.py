"""Moderation in Welsh: the staff pages, the transparency report, the flag form, notices in the
recipient's language, the Welsh watched-word list, and residents' text isolated (dir="auto", <bdi>)."""

from __future__ import annotations

from sqlalchemy import select

from debate.extensions import db
from debate.models import Role
from debate.models.moderation import ModerationNotice
from debate.models.notifications import Notification
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.moderation import settings as moderation_settings
from debate.services.moderation import transparency as moderation_transparency

ARABIC_NAME = "سارة \u202eevil"


def page(response) -> str:
    return response.get_data(as_text=True)


def notices_of(user_id: int) -> list[str]:
    rows = db.session.scalars(select(ModerationNotice).where(ModerationNotice.user_id == user_id))
    return [n.text for n in rows]


def flagged_item(notes, make_user, moderators, text="Prynwch nwyddau rhad nawr", name="Sam Spammer"):
    author = make_user(name=name)
    note = notes.make(author, text)
    moderation_flags.raise_flag(moderators[1], "note", note.id, "spam", "")
    return author, note, moderation_queue.find("note", note.id)


def test_the_queue_in_welsh(app, client, notes, make_user, login, moderators):
    author, note, item = flagged_item(notes, make_user, moderators, name=ARABIC_NAME)
    login(moderators[0])
    html = page(client.get("/cy/moderation/"))
    assert '<html lang="cy"' in html
    assert "Ciw adolygu" in html and "Penderfynu ar sawl un ar unwaith" in html
    assert "eitem yn aros am adolygiad" in html
    assert "Baner wedi&#39;i rhoi" in html  # the cause label
    assert "Sbam" in html  # a category in the reason list
    assert "<h1>Review queue</h1>" not in html
    assert '<span dir="auto">Prynwch nwyddau rhad nawr</span>' in html
    assert f"<bdi>{ARABIC_NAME}</bdi>" in html


def test_the_live_list_isolates_names_too(app, client, notes, make_user, login, moderators):
    flagged_item(notes, make_user, moderators, name=ARABIC_NAME)
    login(moderators[0])
    html = page(client.get("/moderation/queue/list"))
    assert f"<bdi>{ARABIC_NAME}</bdi>" in html and 'dir="auto"' in html


def test_an_item_page_in_welsh(app, client, notes, make_user, login, moderators):
    author, note, item = flagged_item(notes, make_user, moderators, name=ARABIC_NAME)
    login(moderators[0])
    html = page(client.get(f"/cy/moderation/items/{item.id}"))
    assert "Pam mae yma" in html and "Yr awdur yn gryno" in html and "Cofnodi'r penderfyniad" in html
    assert "3 diwrnod" in html and "7 diwrnod" in html  # durations through the Welsh plural rules
    assert '<p class="content-text" dir="auto">Prynwch nwyddau rhad nawr</p>' in html
    assert f"<bdi>{ARABIC_NAME}</bdi>" in html
    assert "Why it is here" not in html


def test_the_english_pages_stay_english(app, client, notes, make_user, login, moderators):
    author, note, item = flagged_item(notes, make_user, moderators)
    login(moderators[0])
    html = page(client.get(f"/en/moderation/items/{item.id}"))
    assert "Why it is here" in html and "Spam" in html and "Pam mae yma" not in html


def test_the_transparency_report_in_welsh(app, client, notes, make_user, moderators):
    flagged_item(notes, make_user, moderators)
    html = page(client.get("/cy/transparency"))
    assert "Adroddiad tryloywder cymedroli" in html and "Eitemau a gafodd faner" in html
    assert "Sbam" in html
    assert "<h1>Moderation transparency report</h1>" not in html


def test_month_names_come_from_babel(app):
    with app.test_request_context("/cy/transparency"):
        from flask_babel import force_locale

        with force_locale("cy"):
            assert moderation_transparency.month_name("2025-03") == "Mawrth 2025"
        with force_locale("en"):
            assert moderation_transparency.month_name("2025-03") == "March 2025"


def test_a_welsh_flag_form(app, client, notes, make_user, login):
    author, reader = make_user(name="Awdur"), make_user(name="Darllenydd")
    note = notes.make(author, "Mae'r gŵr yn dweud rhywbeth")
    login(reader)
    html = page(client.get(f"/cy/flag/note/{note.id}"))
    assert "Rhoi baner ar hwn i'r cymedrolwyr" in html and "Beth sydd o'i le?" in html
    assert "Camdriniaeth neu aflonyddu" in html and "Anfon y faner" in html
    assert '<p class="content-text" dir="auto">Mae&#39;r gŵr yn dweud rhywbeth</p>' in html
    refused = client.post(f"/cy/flag/note/{note.id}", data={"reason": "nonsense", "note": ""})
    assert "Dewiswch reswm o&#39;r rhestr." in page(refused)


def test_an_arabic_flag_form(app, client, notes, make_user, login):
    author, reader = make_user(name="Author"), make_user(name="Reader")
    note = notes.make(author, "Some text")
    login(reader)
    html = page(client.get(f"/ar/flag/note/{note.id}"))
    assert 'dir="rtl"' in html and "الإبلاغ عن هذا للمشرفين" in html and "رسائل مزعجة" in html


def test_a_notice_goes_out_in_the_recipients_language(app, client, notes, make_user, login, moderators):
    author, note, item = flagged_item(notes, make_user, moderators)
    author.locale = "cy"
    db.session.commit()
    login(moderators[0])
    response = client.post(
        f"/en/moderation/items/{item.id}/decide", data={"action": "hide", "category": "spam", "note": ""}
    )
    assert response.status_code == 302
    told = notices_of(author.id)[-1]
    assert told.startswith("Cuddiodd cymedrolwr eich ateb (Test place). Rheswm: Sbam.")
    assert "gallwch apelio unwaith, o fewn 30 diwrnod" in told
    flagger_told = notices_of(moderators[1].id)[-1]  # the flagger kept English
    assert flagger_told.startswith("Thank you for flagging a reply (Test place): moderators hid it (Spam).")


def test_a_sanction_notice_in_welsh_with_a_welsh_date(app, notes, make_user, moderators):
    member = make_user(name="Aelod")
    member.locale = "cy"
    db.session.commit()
    with app.test_request_context("/en/"):
        moderation_sanctions.issue(moderators[0], member.id, "mute", "spam", duration="1d")
    told = notices_of(member.id)[-1]
    assert told.startswith("Mae eich cyfrif wedi'i dewi tan ")
    assert "Rheswm: Sbam." in told


def test_the_welsh_watched_words_round_trip(app, client, make_user, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    form = {
        "term-0": "twpsyn",
        "action-0": "hold",
        "category-0": "abuse_harassment",
        "lang-0": "cy",
        "term-1": "idiot",
        "action-1": "hold",
        "category-1": "abuse_harassment",
        "lang-1": "",
        "hold_first_posts": "2",
        "max_links": "1",
        "links_action": "hold",
        "duplicate_minutes": "10",
        "rate-posts-0": "5",
        "rate-minutes-0": "1",
        "flag_threshold": "3",
    }
    assert client.post("/moderation/settings", data=form).status_code == 302
    terms = moderation_settings.current_policy().watchlist.terms
    assert [(t.text, t.lang) for t in terms] == [("twpsyn", "cy"), ("idiot", "")]
    html = page(client.get("/cy/moderation/settings"))
    assert '<option value="cy" selected>Cymraeg yn unig</option>' in html
    assert "Geiriau ac ymadroddion sy'n cael eu gwylio" in html
    refused = client.post("/moderation/settings", data={**form, "lang-0": "fr"})
    assert refused.status_code == 400 and "Dewiswch iaith o&#39;r rhestr." in page(refused)


def test_reasons_in_the_queue_are_labelled_in_welsh(
    app, client, notes, make_user, login, moderators, policy, established
):
    admin = make_user(Role.ADMIN)
    policy(admin, watchlist__terms=[{"text": "gwr", "action": "hold", "category": "spam", "lang": "cy"}])
    author = established(name="Awdur")
    held = notes.submit(author, "Y gŵr drwg")
    assert held.state == "held" and held.body == "Y gŵr drwg"  # matched through ŵ, stored as written
    login(moderators[0])
    html = page(client.get("/cy/moderation/"))
    assert "Gair sy&#39;n cael ei wylio: “gŵr” (Sbam)" in html
    assert '<span dir="auto">Y gŵr drwg</span>' in html


def test_queue_alerts_reach_each_moderator_in_their_language(app, notes, make_user, moderators):
    welsh, english = moderators
    welsh.locale = "cy"
    db.session.commit()

    def alert(user) -> str:
        return db.session.scalar(
            select(Notification.text).where(Notification.user_id == user.id, Notification.kind == "review_queue")
        )

    reader = make_user(name="Darllenydd")
    for n in range(3):
        note = notes.make(make_user(name=f"Awdur {n}"), f"Testun {n}")
        moderation_flags.raise_flag(reader, "note", note.id, "spam", "")
    assert alert(welsh) == "Mae 3 eitem yn aros yn y ciw adolygu."
    assert alert(english) == "3 items wait in the review queue."
    item = moderation_queue.find("note", note.id)
    moderation_decisions.decide(english, item.id, "approve")
    assert alert(welsh) == "Mae 2 eitem yn aros yn y ciw adolygu."
    assert alert(english) == "2 items wait in the review queue."
