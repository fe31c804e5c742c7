"""Account pages over HTTP: register, verify, sign in and out, reset, settings, admin, API."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from debate.extensions import db
from debate.models import RepresentativeProfile, Role, User
from debate.services import mail
from debate.services.accounts import roles
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long secret"


def html(response) -> str:
    return response.get_data(as_text=True)


def location(response) -> str:
    """The redirect target as a path with query ('' when not a redirect)."""
    parts = urlsplit(response.headers.get("Location", ""))
    assert parts.netloc in ("", "localhost"), parts
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in_as(client) -> int | None:
    response = client.get("/api/v1/me")
    return response.get_json()["data"]["id"] if response.status_code == 200 else None


def link_in_last_email(path: str) -> str:
    body = mail.outbox()[-1].get_content()
    match = re.search(rf"https?://localhost(/{path}/\S+)", body)
    assert match, body
    return match.group(1)


def register_form(name="Ada Lovelace", email="ada@example.org", password=PASSWORD, confirm=None) -> dict:
    return {"display_name": name, "email": email, "password": password, "confirm": confirm or password}


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- registration and verification --------------------------------------------------------


def test_register_page_renders(client):
    response = client.get("/register")
    assert response.status_code == 200
    assert 'name="display_name"' in html(response)


def without_tokens(page: str, *addresses: str) -> str:
    """A page with what differs between two requests by nature taken out: CSRF tokens, the address typed."""
    page = re.sub(r'(name="csrf[-_]token" (?:value|content)=)"[^"]+"', r'\1""', page)
    for address in addresses:
        page = page.replace(address, "ADDRESS")
    return page


def test_register_asks_to_check_email_then_the_link_confirms_and_the_member_signs_in(client):
    response = client.post("/register", data=register_form())
    assert response.status_code == 200
    assert "Check your email" in html(response) and "ada@example.org" in html(response)
    user = db.session.query(User).one()
    assert user.email_verified_at is None
    assert signed_in_as(client) is None  # an existing address could not be signed in: neither is a new one

    [message] = mail.outbox()
    assert message["To"] == "ada@example.org"
    response = client.get(link_in_last_email("verify"))
    assert location(response) == "/login"
    assert reload(user).email_verified_at is not None
    assert "confirmed. Sign in to carry on." in html(client.get("/login"))
    assert client.post("/login", data={"email": "ada@example.org", "password": PASSWORD}).status_code == 302
    assert signed_in_as(client) == user.id


def test_registering_an_existing_email_looks_exactly_like_a_new_one(app, client, make_user):
    owner = make_user(name="Olive Owner")
    new = client.post("/register", data=register_form("Nell New", "fresh.address@example.org", NEW_PASSWORD))
    taken = app.test_client().post("/register", data=register_form("Tess Taken", owner.email.upper(), NEW_PASSWORD))

    assert new.status_code == taken.status_code == 200
    assert new.headers.get("Location") is taken.headers.get("Location") is None
    assert without_tokens(html(new), "fresh.address@example.org") == without_tokens(html(taken), owner.email)
    assert db.session.query(User).filter(User.email == owner.email).count() == 1
    assert reload(owner).display_name == "Olive Owner"

    confirm, attempt = mail.outbox()
    assert confirm["To"] == "fresh.address@example.org" and "/verify/" in confirm.get_content()
    assert attempt["To"] == owner.email
    assert attempt["Subject"].endswith("Someone tried to register with your email address")
    assert "http://localhost/login" in attempt.get_content()
    reset_path = link_in_last_email("reset")
    response = client.post(reset_path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert location(response) == "/login"  # the owner's way in works


def test_bad_verify_link_shows_message(client):
    response = client.get("/verify/not-a-real-token")
    assert response.status_code == 400
    assert "Email not confirmed" in html(response)


def test_resend_verification_sends_a_new_email(client):
    client.post("/register", data=register_form())
    client.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    response = client.post("/verify/resend")
    assert response.status_code == 302
    assert len(mail.outbox()) == 2


def test_signed_in_member_is_sent_away_from_register(client, make_user, login):
    login(make_user())
    assert client.post("/register", data=register_form()).status_code == 302
    assert db.session.query(User).count() == 1


# --- sign in and out ----------------------------------------------------------------------


def test_login_and_logout(client, make_user, login):
    user = make_user()
    response = login(user)
    assert response.status_code == 302
    assert location(response) == "/"
    assert signed_in_as(client) == user.id
    response = client.post("/logout")
    assert response.status_code == 302
    assert signed_in_as(client) is None


def test_logout_is_post_only(client, make_user, login):
    user = make_user()
    login(user)
    assert client.get("/logout").status_code == 405
    assert signed_in_as(client) == user.id


def test_after_logout_account_page_redirects_to_login(client, make_user, login):
    login(make_user())
    assert client.get("/account/").status_code == 200
    client.post("/logout")
    response = client.get("/account/")
    assert response.status_code == 302
    assert location(response).startswith("/login")


def test_logout_ends_the_login_session_even_if_cookie_is_replayed(client, make_user, login):
    login(make_user())
    with client.session_transaction() as sess:
        stolen = dict(sess)
    client.post("/logout")
    with client.session_transaction() as sess:
        sess.update(stolen)
    assert signed_in_as(client) is None


def test_wrong_password_page_is_generic(client, make_user):
    user = make_user()
    wrong = client.post("/login", data={"email": user.email, "password": "not the password"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Email or password is not right." in html(wrong)
    assert "Email or password is not right." in html(unknown)
    assert signed_in_as(client) is None


def test_lockout_answers_the_same_for_a_real_account_and_an_unknown_email(app, client, make_user):
    """Each attempt, the same status, page and Retry-After for both; a script posting the form as
    docs/api.md shows (no browser) is answered the same way."""
    user = make_user()
    unknown = "no.one.here@example.org"
    limit = app.config["LOGIN_MAX_FAILURES"]
    answers = {user.email: [], unknown: []}
    for address in answers:
        for _ in range(limit + 1):
            response = client.post(
                "/login", data={"email": address, "password": "not the password"}, headers={"Accept": "*/*"}
            )
            answers[address].append((response.status_code, without_tokens(html(response), address)))
        response = client.post("/login", data={"email": address, "password": PASSWORD})
        answers[address].append((response.status_code, without_tokens(html(response), address)))
        assert 0 < int(response.headers["Retry-After"]) <= app.config["LOGIN_LOCK_MINUTES"] * 60

    assert [status for status, _ in answers[user.email]] == [400] * limit + [429, 429]
    assert answers[user.email] == answers[unknown]
    assert "Too many failed sign-in attempts" in answers[unknown][-1][1]
    assert signed_in_as(client) is None


def test_a_stranger_cannot_lock_the_owner_out(app, client, make_user):
    user = make_user()
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        stranger.post("/login", data={"email": user.email, "password": "a guess of mine"})
    assert login_as(client, user).status_code == 429

    [notice] = mail.outbox()  # the owner is told, with the way in
    assert notice["To"] == user.email and "paused" in notice["Subject"]
    reset_path = link_in_last_email("reset")
    assert client.post(reset_path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert login_as(client, user, NEW_PASSWORD).status_code == 302
    assert signed_in_as(client) == user.id


def login_as(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.mark.parametrize("target", ["/account/", "/representatives?x=1"])
def test_login_follows_safe_next(client, make_user, target):
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert location(response) == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example",
        "http://evil.example/account/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/a\r\nSet-Cookie: x=1",
    ],
)
def test_login_ignores_open_redirect_next(client, make_user, target):
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/"
    assert signed_in_as(client) == user.id


# --- password reset -----------------------------------------------------------------------


def test_forgot_and_reset_password_pages(client, make_user, login):
    user = make_user()
    assert client.get("/forgot").status_code == 200
    response = client.post("/forgot", data={"email": user.email})
    assert response.status_code == 200
    assert "Check your email" in html(response)
    reset_path = link_in_last_email("reset")

    assert client.get(reset_path).status_code == 200
    response = client.post(reset_path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert location(response) == "/login"
    assert login(user, NEW_PASSWORD).status_code == 302
    assert signed_in_as(client) == user.id

    reused = client.get(reset_path)
    assert reused.status_code == 400
    assert "Reset link not valid" in html(reused)


def test_forgot_for_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post("/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "Check your email" in html(response)
    assert mail.outbox() == []


def test_reset_signs_out_other_browsers(app, client, make_user, login):
    user = make_user()
    login(user)
    other = app.test_client()
    other.post("/forgot", data={"email": user.email})
    other.post(link_in_last_email("reset"), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert signed_in_as(client) is None


def test_reset_with_mismatched_passwords_shows_error(client, make_user, login):
    user = make_user()
    client.post("/forgot", data={"email": user.email})
    response = client.post(link_in_last_email("reset"), data={"password": NEW_PASSWORD, "confirm": "different one!"})
    assert response.status_code == 400
    assert "do not match" in html(response)
    assert login(user).status_code == 302  # old password still works


# --- settings: password, data, deletion ---------------------------------------------------


def test_settings_page_shows_own_email(client, make_user, login):
    user = make_user(name="Grace Hopper")
    login(user)
    page = html(client.get("/account/"))
    assert "Grace Hopper" in page
    assert user.email in page


def test_change_password_page(app, client, make_user, login):
    user = make_user()
    login(user)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert location(response) == "/account/"
    assert signed_in_as(client) == user.id
    assert signed_in_as(other) is None
    client.post("/logout")
    assert login(user, PASSWORD).status_code == 400
    assert login(user, NEW_PASSWORD).status_code == 302


def test_change_password_with_wrong_current_is_refused(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post(
        "/account/password", data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "current password is not right" in html(response)


def test_download_data_is_a_json_attachment(client, make_user, login):
    user = make_user()
    login(user)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data(as_text=True))
    assert data["sections"]["account"]["data"]["email"] == user.email
    assert user.password_hash not in response.get_data(as_text=True)
    assert len(data["sections"]["sign_ins"]["data"]) == 1


def test_download_data_needs_sign_in(client):
    response = client.get("/account/data")
    assert response.status_code == 302
    assert location(response).startswith("/login")


def test_delete_account_requires_confirm_box(client, make_user, login):
    user = make_user()
    login(user)
    assert client.get("/account/delete").status_code == 200
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 400
    assert "Tick the box" in html(response)
    assert reload(user).deleted_at is None


def test_delete_account_refuses_wrong_password(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/account/delete", data={"password": "not the password", "confirm": "yes"})
    assert response.status_code == 400
    assert "password is not right" in html(response)
    assert reload(user).deleted_at is None
    assert signed_in_as(client) == user.id


def test_delete_account_signs_out_and_anonymises(client, make_user, login):
    user = make_user()
    email = user.email
    login(user)
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "yes"})
    assert location(response) == "/"
    assert signed_in_as(client) is None
    assert reload(user).display_name == "former member"
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 400


# --- admin --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.REPRESENTATIVE])
def test_admin_dashboard_forbidden_to_others(client, make_user, login, role):
    login(make_user(role))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "You cannot do that" in html(response)
    assert client.post("/admin/moderators", data={"user_id": "1", "action": "appoint"}).status_code == 403


def test_admin_dashboard_needs_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert location(response).startswith("/login")


def test_admin_dashboard_for_admin(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.get("/admin/").status_code == 200


def test_admin_verifies_pending_representative(client, make_user, login):
    admin, user = make_user(Role.ADMIN), make_user(name="Carla Councillor")
    profile = roles.request_representative(user, "councillor", "Councillor", "Hill ward", "")
    login(admin)
    page = html(client.get("/admin/"))
    assert "Carla Councillor" in page and "Hill ward" in page
    response = client.post("/admin/representatives/verify", data={"profile_id": str(profile.id)})
    assert location(response) == "/admin/"
    assert "is now a verified Councillor" in html(client.get("/admin/"))
    assert reload(user).is_verified_representative


def test_admin_verify_with_bad_id_is_400(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert client.post("/admin/representatives/verify", data={"profile_id": "abc"}).status_code == 400


def test_admin_appoints_and_stands_down_moderator(client, make_user, login):
    admin, user = make_user(Role.ADMIN), make_user()
    login(admin)
    client.post("/admin/moderators", data={"user_id": str(user.id), "action": "appoint"})
    assert reload(user).role == Role.MODERATOR.value
    client.post("/admin/moderators", data={"user_id": str(user.id), "action": "remove"})
    assert reload(user).role == Role.RESIDENT.value


def test_admin_cannot_demote_self_over_http(client, make_user, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    client.post("/admin/moderators", data={"user_id": str(admin.id), "action": "remove"})
    assert "cannot change your own role" in html(client.get("/admin/"))
    assert reload(admin).role == Role.ADMIN.value


# --- JSON API -----------------------------------------------------------------------------


def test_api_me_anonymous_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json() == {"ok": False, "error": {"code": "login_required", "message": "Please sign in first."}}


def test_api_me_signed_in(client, make_user, login):
    rep = make_user(Role.REPRESENTATIVE, name="Rita Rep")
    login(rep)
    data = client.get("/api/v1/me").get_json()["data"]
    assert data == {
        "id": rep.id,
        "display_name": "Rita Rep",
        "role": "representative",
        "email_verified": True,
        "verified_representative": True,
    }


def test_api_representatives_lists_verified_only(client, make_user):
    make_user(Role.REPRESENTATIVE, name="Verified Vera")
    pending = make_user(name="Pending Pat")
    roles.request_representative(pending, "mp", "MP", "North", "")
    data = client.get("/api/v1/representatives").get_json()["data"]
    assert [r["display_name"] for r in data] == ["Verified Vera"]
    assert "email" not in json.dumps(data)


# --- emails stay private ------------------------------------------------------------------


def test_emails_never_shown_on_public_or_admin_pages(client, make_user, login):
    rep = make_user(Role.REPRESENTATIVE, name="Verified Vera")
    pending = make_user(name="Pending Pat")
    roles.request_representative(pending, "mp", "MP", "North", "")
    admin = make_user(Role.ADMIN)
    pages = {"/representatives": client.get("/representatives")}
    login(admin)
    pages["/admin/"] = client.get("/admin/")
    for path, response in pages.items():
        text = html(response)
        assert "Verified Vera" in text, path
        for user in (rep, pending, admin):
            assert user.email not in text, (path, user.email)
        assert "@example.org" not in text, path
    assert "Pending Pat" in html(pages["/admin/"])
    assert "Pending Pat" not in html(pages["/representatives"])
    assert db.session.query(RepresentativeProfile).count() == 2
