"""Display names over HTTP: registration, renaming in account settings, the create-admin command."""

from __future__ import annotations

from debate.extensions import db
from debate.models import User
from tests.conftest import PASSWORD


def html(response) -> str:
    return response.get_data(as_text=True)


def test_register_refuses_a_role_lookalike_and_keeps_what_was_typed(client):
    response = client.post(
        "/register",
        data={"display_name": "\u0430dmin", "email": "a@example.org", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 400
    assert "looks too like a role" in html(response)
    assert 'value="\u0430dmin"' in html(response)
    assert db.session.query(User).count() == 0


def test_register_accepts_a_persian_name_with_its_zero_width_non_joiner(client):
    name = "مریم\u200cالسادات"
    response = client.post(
        "/register", data={"display_name": name, "email": "m@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 200
    assert db.session.query(User).one().display_name == name


def test_settings_page_offers_a_rename(client, make_user, login):
    login(make_user(name="Ruth Nkosi"))
    page = html(client.get("/account/"))
    assert 'action="/account/name"' in page and 'value="Ruth Nkosi"' in page


def test_rename_from_settings(client, make_user, login):
    user = make_user(name="Ruth Nkosi")
    login(user)
    response = client.post("/account/name", data={"display_name": "Ruth N."})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.display_name == "Ruth N."


def test_rename_to_a_members_lookalike_is_refused_on_the_page_without_naming_them(client, make_user, login):
    make_user(name="Emma Stone")
    user = make_user(name="Ruth Nkosi")
    login(user)
    response = client.post("/account/name", data={"display_name": "Emm\u0430 Stone"})
    assert response.status_code == 400
    page = html(response)
    assert "looks too like another member" in page
    assert 'value="Emm\u0430 Stone"' in page  # what was typed stays in the box
    assert 'aria-invalid="true"' in page
    db.session.refresh(user)
    assert user.display_name == "Ruth Nkosi"


def test_create_admin_command_refuses_a_lookalike(app, make_user):
    make_user(name="Emma Stone")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "--name", "EMMA ST0NE", "--email", "boss@example.org", "--password", PASSWORD]
    )
    assert result.exit_code != 0
    assert "looks too like another member" in result.output
    assert db.session.query(User).filter_by(email="boss@example.org").count() == 0
