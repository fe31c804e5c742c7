"""The session cookie is sent when the session changes, and re-sent only as often as the idle timeout needs.

Sign-in makes the session permanent, so the cookie expires after SESSION_IDLE_MINUTES without
a visit. Flask re-sent it on every response to slide that expiry along, so every page, JSON
answer and redirect carried a Set-Cookie: responses were never cacheable by a proxy, and two
requests in flight could each write back the session they started with (the later one undoing
the earlier one's change). Now an unchanged session is re-sent only once the cookie is
SESSION_REFRESH_MINUTES old.
"""

from __future__ import annotations

import pytest

from debate import security
from tests.conftest import PASSWORD

MINUTE = 60


def session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


@pytest.fixture
def clock(monkeypatch):
    """Move the clock the session interface and the cookie's signature read, by whole minutes."""
    moved = {"by": 0}
    real = security.time.time

    class Clock:
        @staticmethod
        def time() -> float:
            return real() + moved["by"]

    monkeypatch.setattr(security, "time", Clock)
    monkeypatch.setattr("itsdangerous.timed.time", Clock)
    return lambda minutes: moved.__setitem__("by", moved["by"] + minutes * MINUTE)


@pytest.fixture
def signed_in(client, make_user):
    """A member signed in, who has seen the page after sign-in (the flash shown, a CSRF token made)."""
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD})
    assert response.status_code == 302 and session_cookies(response)
    assert session_cookies(client.get("/"))  # the flash is taken out and a CSRF token put in: a real change
    return client


@pytest.mark.parametrize("path", ["/", "/account/", "/representatives", "/api/v1/me", "/api/v1/representatives"])
def test_a_signed_in_request_that_changes_nothing_sends_no_cookie(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert session_cookies(response) == []
    assert signed_in.get("/api/v1/me").status_code == 200  # and the member is still signed in


def test_signing_in_and_out_set_the_cookie(client, make_user):
    user = make_user()
    signed_in = client.post("/login", data={"email": user.email, "password": PASSWORD})
    (cookie,) = session_cookies(signed_in)
    assert "Expires=" in cookie  # permanent: it outlives the browser, until the idle timeout
    out = client.post("/logout")
    assert session_cookies(out)
    assert client.get("/api/v1/me").status_code in (400, 401, 403)


def test_the_cookie_is_refreshed_after_the_refresh_interval_and_idle_sign_in_still_ends(app, signed_in, clock):
    refresh = app.config["SESSION_REFRESH_MINUTES"]
    idle = app.permanent_session_lifetime.total_seconds() / MINUTE
    assert 0 < refresh < idle
    clock(refresh - 1)
    assert session_cookies(signed_in.get("/")) == []
    clock(2)
    (cookie,) = session_cookies(signed_in.get("/"))  # an active member's expiry slides along
    assert "Expires=" in cookie
    # Active every few minutes for longer than the idle timeout: still signed in.
    for _ in range(int(idle / refresh) + 2):
        clock(refresh + 1)
        assert signed_in.get("/api/v1/me").status_code == 200
    # Then away for longer than the idle timeout: signed out.
    clock(idle + 1)
    assert signed_in.get("/api/v1/me").status_code != 200
