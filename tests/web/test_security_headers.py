"""Security headers, cookies, friendly error pages, rate limiting, no third-party hosts."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from debate import create_app
from debate.extensions import db, limiter
from debate.models import Role
from tests.conftest import PASSWORD

PUBLIC_PAGES = ["/", "/login", "/register", "/privacy", "/representatives", "/forgot"]
COPIED_CONFIG = [
    "TESTING",
    "SECRET_KEY",
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_ENGINE_OPTIONS",
    "WTF_CSRF_ENABLED",
    "RATELIMIT_ENABLED",
    "SOCKETIO_ASYNC_MODE",
    "SERVER_URL",
]


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def other_app(app):
    """Build a second app on the same database with some settings changed (read at start-up)."""
    built = []

    def build(**overrides):
        new = create_app({**{key: app.config[key] for key in COPIED_CONFIG}, **overrides})
        new.test_client_class = app.test_client_class
        built.append(new)
        return new

    yield build
    for new in built:
        with new.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter.init_app(app)  # the limiter is shared: give it back this test's (disabled) settings


def csp(response) -> dict[str, list[str]]:
    policy = {}
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


def cookie_flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


# --- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_PAGES + ["/no-such-page", "/api/v1/me", "/static/css/site.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_hsts_without_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_session_cookie_is_httponly_and_lax(client, make_user):
    for response in (
        client.get("/login"),
        client.post("/login", data={"email": make_user().email, "password": PASSWORD}),
    ):
        flags = cookie_flags(session_cookie(response))
        assert "httponly" in flags
        assert "samesite=lax" in flags
        assert "secure" not in flags


def test_session_cookie_is_secure_with_https(other_app, make_user):
    secure = other_app(SESSION_COOKIE_SECURE=True)
    client = secure.test_client()
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD})
    assert response.status_code == 302
    flags = cookie_flags(session_cookie(response))
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- error pages --------------------------------------------------------------------------


def assert_friendly(response, status: int, heading: str) -> None:
    page = html(response)
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert f"Error {status}." in page
    assert "Traceback" not in page
    assert 'href="/"' in page  # a way back home
    assert "Content-Security-Policy" in response.headers


def test_404_page(client):
    assert_friendly(client.get("/no-such-page"), 404, "Page not found")


def test_403_page(client, make_user, login):
    login(make_user(Role.RESIDENT))
    assert_friendly(client.get("/admin/"), 403, "You cannot do that")


def test_405_page(client):
    assert_friendly(client.get("/logout"), 405, "That did not work")


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["ok"] is False


def test_500_page_hides_the_exception(app, client):
    def boom():
        raise RuntimeError("secret internal detail xyzzy")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/test-boom")
    assert_friendly(response, 500, "Something went wrong on our side")
    assert "xyzzy" not in html(response)
    assert "RuntimeError" not in html(response)


def test_login_is_throttled_per_address_with_friendly_429_page(other_app):
    client = other_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://").test_client()
    # A different address each time: five wrong passwords for one address would lock it (sign_in_locks).
    statuses = [
        client.post("/login", data={"email": f"nobody{n}@example.org", "password": "wrong password"}).status_code
        for n in range(20)
    ]
    assert statuses == [400] * 20
    response = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password"})
    assert_friendly(response, 429, "Please slow down")
    assert "Retry-After" in response.headers
    assert client.get("/login").status_code == 200  # only POSTs are limited


# --- nothing from other hosts -------------------------------------------------------------

URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)""", re.I)


def foreign_urls(page: str) -> list[str]:
    found = []
    for url in URL_ATTRIBUTE.findall(page):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.scheme not in ("", "http", "https"):
            found.append(url)
    found += re.findall(r"https?://(?!localhost[/:\"'])[^\s\"'<>]+", page)
    return found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_reference_no_other_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert foreign_urls(html(response)) == []


@pytest.mark.parametrize("path", ["/account/", "/account/delete", "/admin/"])
def test_signed_in_pages_reference_no_other_host(client, make_user, login, path):
    login(make_user(Role.ADMIN))
    response = client.get(path)
    assert response.status_code == 200
    assert foreign_urls(html(response)) == []


def test_stylesheet_loads_nothing_from_other_hosts(client):
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", css)
    assert "@import" not in css


def test_foreign_url_detector_works():
    assert foreign_urls('<script src="https://cdn.example/x.js"></script>') != []
    assert foreign_urls('<a href="//evil.example/">x</a>') != []
    assert foreign_urls('<a href="/login">x</a><img src="/static/a.png">') == []
