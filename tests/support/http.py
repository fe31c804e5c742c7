"""HTTP helpers for tests against a real server process."""

from __future__ import annotations

import re

import requests


def csrf_token(session: requests.Session, url: str) -> str:
    html = session.get(url, timeout=5).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def sign_in(base_url: str, email: str, password: str) -> requests.Session:
    """A requests session signed in through the real login form (CSRF included)."""
    session = requests.Session()
    token = csrf_token(session, base_url + "/login")
    response = session.post(
        base_url + "/login",
        data={"csrf_token": token, "email": email, "password": password},
        timeout=5,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"
    return session
