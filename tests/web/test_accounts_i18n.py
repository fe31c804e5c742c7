"""Accounts in Welsh (and Arabic): pages, the language setting, registration's language, account emails."""

from __future__ import annotations

import html

from debate.extensions import db
from debate.models import Topic, User
from debate.models.accounts import Role
from debate.services import mail
from debate.services.accounts import credentials, language
from tests.conftest import PASSWORD


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_welsh_sign_in_page(client):
    page = text(client.get("/cy/login"))
    assert '<html lang="cy"' in page
    assert "<h1>Mewngofnodi</h1>" in page and "Cyfeiriad e-bost" in page and "Wedi anghofio eich cyfrinair?" in page
    assert "Forgotten your password?" not in page


def test_the_arabic_sign_in_and_register_pages(client):
    page = text(client.get("/ar/login"))
    assert 'dir="rtl"' in page and "<h1>تسجيل الدخول</h1>" in page
    assert "أنشئ حسابك" in text(client.get("/ar/register"))


def test_a_welsh_validation_message(client):
    response = client.post("/cy/login", data={"email": "", "password": ""})
    assert "Rhowch eich cyfeiriad e-bost a'ch cyfrinair." in text(response)


def test_registering_on_the_welsh_page_records_welsh_and_the_email_is_welsh(app, client):
    form = {"display_name": "Siân", "email": "sian@example.org", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post("/cy/register", data=form)
    assert response.status_code == 200 and "Edrychwch ar eich e-bost" in text(response)
    user = db.session.scalar(db.select(User).where(User.email == "sian@example.org"))
    assert user.locale == "cy"
    message = mail.outbox()[-1]
    assert message["Subject"] == "[Common Ground] Cadarnhewch eich cyfeiriad e-bost"
    assert "Helo Siân," in message.get_content() and "http://localhost/cy/verify/" in message.get_content()


def test_registering_in_english_records_english(client):
    form = {"display_name": "Sam", "email": "sam@example.org", "password": PASSWORD, "confirm": PASSWORD}
    client.post("/en/register", data=form)
    assert db.session.scalar(db.select(User.locale).where(User.email == "sam@example.org")) == "en"


def test_an_account_email_is_in_the_members_language_from_an_english_request(app, make_user):
    member = make_user()
    language.record(member, "cy")
    with app.test_request_context("/en/forgot"):
        credentials.request_password_reset(member.email)
    message = mail.outbox()[-1]
    assert message["Subject"] == "[Common Ground] Ailosod eich cyfrinair"
    body = message.get_content()
    assert body.startswith("Helo ") and "Dewiswch gyfrinair newydd yma:" in body
    assert "http://localhost/cy/reset/" in body and "Mae'r ddolen yn gweithio unwaith" in body
    assert "Hello" not in body


def test_an_english_member_still_gets_english(app, make_user):
    member = make_user()
    with app.test_request_context("/cy/forgot"):  # even from a Welsh page
        credentials.request_password_reset(member.email)
    message = mail.outbox()[-1]
    assert message["Subject"] == "[Common Ground] Reset your password"
    assert "http://localhost/reset/" in message.get_content()


def test_the_language_setting_round_trips_and_changes_the_page(client, make_user, login):
    member = make_user()
    login(member)
    page = text(client.get("/en/account/"))
    assert 'name="language" value="cy"' in page and "Cymraeg" in page
    response = client.post("/en/account/language", data={"language": "cy"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cy/account/")
    db.session.refresh(member)
    assert member.locale == "cy"
    welsh = text(client.get("/cy/account/"))
    assert "<h1>Eich cyfrif</h1>" in welsh and "Mae eich iaith wedi'i chadw" in welsh
    assert 'value="cy" checked' in welsh
    assert "<h1>Eich cyfrif</h1>" in text(client.get("/account/"))  # unprefixed: the account's choice
    client.post("/cy/account/language", data={"language": "en"})
    db.session.refresh(member)
    assert member.locale == "en"
    assert client.post("/account/language", data={"language": "xx"}).status_code == 400


def test_names_are_isolated_in_flashes_and_the_admin_page(client, make_user, login):
    admin = make_user(Role.ADMIN, name="Admin Ann")
    make_user(name="\u202eevil")
    response = login(admin)
    page = text(client.get(response.headers["Location"]))
    assert "Signed in as <bdi>Admin Ann</bdi>." in page
    dashboard = text(client.get("/admin/?q=evil"))
    assert "<td><bdi>\u202eevil</bdi></td>" in dashboard


def test_the_admin_lists_official_content_missing_welsh(client, make_user, login):
    db.session.add(Topic(slug="housing", title="Housing", description="Homes."))
    db.session.add(
        Topic(slug="parks", title="Parks", description="Green.", title_cy="Parciau", description_cy="Gwyrdd.")
    )
    db.session.commit()
    login(make_user(Role.ADMIN))
    page = text(client.get("/admin/"))
    assert "Official content missing its Welsh" in page
    assert "Housing" in page and 'href="/topics/housing/edit"' in page
    assert "no Welsh for title, description" in page
    assert "/topics/parks/edit" not in page
    welsh = text(client.get("/cy/admin/"))
    assert "Cynnwys swyddogol heb ei fersiwn Gymraeg" in welsh and "dim Cymraeg ar gyfer teitl, disgrifiad" in welsh
    assert 'href="/cy/topics/housing/edit"' in welsh
