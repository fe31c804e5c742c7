"""The audit log is append-only: the ORM refuses changes, and on PostgreSQL so does a trigger for any SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

import moderation
from debate.errors import PermissionDenied
from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.models.moderation import AppendOnly, AuditEntry
from debate.services.moderation import audit as moderation_audit


def _entry(actor_id=None, action=moderation.AuditAction.HIDE, target="reply:1", at=None):
    row = moderation_audit.record(
        moderation.AuditEntry(
            actor_id=str(actor_id) if actor_id else None,
            action=action,
            target_type="post",
            target_id=target,
            at=at or utcnow(),
            reason="spam",
            note="note",
            before={"state": "published"},
            after={"state": "hidden"},
        )
    )
    db.session.commit()
    return row


def test_the_orm_refuses_to_change_an_entry(app):
    row = _entry()
    row.note = "rewritten history"
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, row.id).note == "note"


def test_the_orm_refuses_to_delete_an_entry(app):
    row = _entry()
    db.session.delete(row)
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, row.id) is not None


@pytest.mark.parametrize("statement", [update(AuditEntry).values(note="x"), delete(AuditEntry)])
def test_bulk_orm_statements_are_refused(app, statement):
    _entry()
    with pytest.raises(AppendOnly):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry.note)).all() == ["note"]


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)  # the trigger is PostgreSQL's; SQLite has the ORM guard
@pytest.mark.parametrize("sql", ["UPDATE moderation_audit SET note = 'x'", "DELETE FROM moderation_audit"])
def test_postgresql_refuses_raw_sql_changes(app, sql):
    assert db.engine.dialect.name == "postgresql"
    _entry()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(text(sql))
    assert db.session.scalars(select(AuditEntry.note)).all() == ["note"]


def test_appending_still_works_under_the_trigger(app):
    _entry()
    _entry()
    assert len(db.session.scalars(select(AuditEntry)).all()) == 2


def test_search_filters_by_moderator_action_dates_and_target(app, make_user):
    mod, other = make_user(Role.MODERATOR), make_user(Role.MODERATOR)
    old = utcnow() - timedelta(days=10)
    _entry(mod.id, moderation.AuditAction.HIDE, "reply:1", old)
    _entry(other.id, moderation.AuditAction.APPROVE, "reply:2")
    _entry(None, moderation.AuditAction.AUTO_HIDE, "reply:1")

    def found(**wanted):
        rows, _ = moderation_audit.search(mod, moderation_audit.AuditFilter(**wanted))
        return [(r.actor_id, r.action, r.target_id) for r in rows]

    assert len(found()) == 3
    assert found(actor_id=mod.id) == [(mod.id, "hide", "reply:1")]
    assert found(actor_id=0) == [(None, "auto_hide", "reply:1")]
    assert [a for _, a, _ in found(action="approve")] == ["approve"]
    assert len(found(target="reply:1")) == 2 and len(found(target="post")) == 3
    assert len(found(since=date.today() - timedelta(days=1))) == 2
    assert found(until=(old + timedelta(days=1)).date()) == [(mod.id, "hide", "reply:1")]
    assert found(target="nothing\x00here") == []
    assert moderation_audit.actor_names(db.session.scalars(select(AuditEntry)).all()) == {
        mod.id: mod.display_name,
        other.id: other.display_name,
    }


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE])
def test_members_cannot_read_the_audit_log(app, make_user, role):
    with pytest.raises(PermissionDenied):
        moderation_audit.search(make_user(role), moderation_audit.AuditFilter())
