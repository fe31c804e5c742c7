"""A representative's role reads once: "Councillor, Cabinet Member for Jobs", never "... (Councillor)".

The role is composed in one place (roles.role_title); every page, the live room and the JSON API show it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from debate.extensions import db
from debate.models import RepresentativeProfile, Role
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionPanelist
from debate.services.accounts import roles

TITLE = "Councillor, Cabinet Member for Jobs"


@pytest.mark.parametrize(
    ("kind", "title", "shown"),
    [
        ("councillor", "Councillor, Cabinet Member for Jobs", "Councillor, Cabinet Member for Jobs"),
        ("councillor", "Councillor", "Councillor"),
        ("councillor", "Cllr for Riverside", "Cllr for Riverside"),
        ("councillor", "Cabinet Member for Jobs", "Cabinet Member for Jobs (Councillor)"),
        ("councillor", "Councillors' spokesperson", "Councillors' spokesperson (Councillor)"),
        ("mp", "Member of Parliament", "Member of Parliament"),
        ("mp", "MP for Northfield", "MP for Northfield"),
        ("mp", "Shadow spokesperson", "Shadow spokesperson (Member of Parliament)"),
        ("minister", "Minister for Housing", "Minister for Housing"),
        ("official", "Head of Housing Services", "Head of Housing Services (Official)"),
    ],
)
def test_role_title_names_the_office_once(kind, title, shown):
    assert roles.role_title(RepresentativeProfile(kind=kind, title=title)) == shown


@pytest.fixture
def cabinet_member(app, make_user):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Jo Bloggs")
    rep.representative.title = TITLE
    db.session.commit()
    return rep


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_pages_show_the_role_once(client, login, make_user, cabinet_member):
    now = utcnow()
    live = LiveSession(
        title="Jobs", host_id=cabinet_member.id, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    live.panel = [SessionPanelist(user_id=cabinet_member.id)]
    db.session.add(live)
    db.session.commit()
    pages = ["/representatives", f"/representatives/{cabinet_member.id}/record", f"/sessions/{live.id}"]
    shown = {path: _text(client.get(path)) for path in pages}
    login(make_user(Role.ADMIN))
    shown["/admin/"] = _text(client.get("/admin/"))
    for path, text in shown.items():
        assert TITLE in text, path
        assert "(Councillor)" not in text, path
        assert "Councillor Councillor" not in text, path


def test_json_gives_the_composed_role(client, cabinet_member):
    data = client.get("/api/v1/representatives").get_json()["data"]
    assert [(r["title"], r["role"]) for r in data] == [(TITLE, TITLE)]


def test_forum_api_author_carries_the_role(app, cabinet_member):
    from debate.web.forums_api import _author

    office = _author(cabinet_member)["verified_representative"]
    assert office == {"title": TITLE, "role": TITLE, "area": "Riverside ward"}
