"""The answers are kept apart: no relationship reaches them, only the equality services read them, and a
representative sees reports only once verified."""

from __future__ import annotations

import re
from pathlib import Path

from debate.extensions import db
from debate.models import Role
from debate.models.equality import CensusShare, EqualityAnswer, EqualityInvitation
from debate.permissions import Permission, has

ROOT = Path(__file__).resolve().parents[2]
# The only modules that may name the answers' model: its own, the models' index, the services that read it
# (the owner's rows, or counts), and the demo that seeds them.
ALLOWED = {
    "debate/models/equality.py",
    "debate/models/__init__.py",
    "debate/services/equality/answers.py",
    "debate/services/equality/reports.py",
    "debate/demo/equality.py",
}


def test_no_relationship_leads_to_the_answers(app):
    for mapper in db.Model.registry.mappers:
        for relationship in mapper.relationships:
            assert relationship.mapper.class_ not in (EqualityAnswer, EqualityInvitation), relationship
    assert not EqualityAnswer.__mapper__.relationships  # nor from them to a name


def test_only_the_equality_services_read_the_answers():
    readers = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "debate").rglob("*.py")
        if re.search(r"\bEqualityAnswer\b|[\x27\"]equality_answers[\x27\"]", path.read_text(encoding="utf-8"))
    }
    assert readers, "the scan found nothing: it would pass whatever happened"
    assert readers <= ALLOWED, readers - ALLOWED
    templates = [p for p in (ROOT / "templates").rglob("*.html") if "EqualityAnswer" in p.read_text(encoding="utf-8")]
    assert not templates
    assert CensusShare.__tablename__ == "census_profiles"


def test_a_representative_reads_reports_once_verified(app, make_user, signed_in):
    rep = make_user(Role.REPRESENTATIVE)
    assert has(rep, Permission.VIEW_PARTICIPATION)
    rep.representative.verified_at = None
    db.session.commit()
    assert not has(rep, Permission.VIEW_PARTICIPATION)
    assert signed_in(rep).get("/admin/who-is-missing").status_code == 403


def test_no_socket_handler_or_broadcast_touches_equality():
    """Sockets carry no equality data: nothing in the live layer imports it, and it publishes nothing."""
    for path in (ROOT / "debate" / "realtime").rglob("*.py"):
        assert "equality" not in path.read_text(encoding="utf-8"), path
    for path in (ROOT / "debate" / "services" / "equality").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "broadcast" not in text and "socketio" not in text, path
