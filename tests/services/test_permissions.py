"""Authorisation: every role against every permission, written out in full."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from debate.errors import NotSignedIn, PermissionDenied
from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.permissions import Permission, has, require

P = Permission

# The expected matrix, independent of ROLE_PERMISSIONS: a change there must change this too.
EXPECTED: dict[Role, dict[Permission, bool]] = {
    Role.RESIDENT: {
        P.POST: True,
        P.MODERATE: False,
        P.VERIFY_REPRESENTATIVES: False,
        P.APPOINT_MODERATORS: False,
        P.MANAGE_TOPICS: False,
        P.ANSWER_AS_REPRESENTATIVE: False,
        P.FLAG: True,
        P.VIEW_AUDIT_LOG: False,
        P.MANAGE_MODERATION_SETTINGS: False,
        P.VIEW_PARTICIPATION: False,
        P.RUN_AGREEMENT_ROUNDS: False,
    },
    Role.REPRESENTATIVE: {
        P.POST: True,
        P.MODERATE: False,
        P.VERIFY_REPRESENTATIVES: False,
        P.APPOINT_MODERATORS: False,
        P.MANAGE_TOPICS: False,
        P.ANSWER_AS_REPRESENTATIVE: True,
        P.FLAG: True,
        P.VIEW_AUDIT_LOG: False,
        P.MANAGE_MODERATION_SETTINGS: False,
        P.VIEW_PARTICIPATION: True,
        P.RUN_AGREEMENT_ROUNDS: False,
    },
    Role.MODERATOR: {
        P.POST: True,
        P.MODERATE: True,
        P.VERIFY_REPRESENTATIVES: False,
        P.APPOINT_MODERATORS: False,
        P.MANAGE_TOPICS: False,
        P.ANSWER_AS_REPRESENTATIVE: False,
        P.FLAG: True,
        P.VIEW_AUDIT_LOG: True,
        P.MANAGE_MODERATION_SETTINGS: False,
        P.VIEW_PARTICIPATION: True,
        P.RUN_AGREEMENT_ROUNDS: True,
    },
    Role.ADMIN: {
        P.POST: True,
        P.MODERATE: True,
        P.VERIFY_REPRESENTATIVES: True,
        P.APPOINT_MODERATORS: True,
        P.MANAGE_TOPICS: True,
        P.ANSWER_AS_REPRESENTATIVE: False,
        P.FLAG: True,
        P.VIEW_AUDIT_LOG: True,
        P.MANAGE_MODERATION_SETTINGS: True,
        P.VIEW_PARTICIPATION: True,
        P.RUN_AGREEMENT_ROUNDS: True,
    },
}

CASES = [(role, perm, allowed) for role, row in EXPECTED.items() for perm, allowed in row.items()]


def test_matrix_covers_every_role_and_permission():
    assert set(EXPECTED) == set(Role)
    assert all(set(row) == set(Permission) for row in EXPECTED.values())


@pytest.mark.parametrize(("role", "perm", "allowed"), CASES, ids=lambda v: getattr(v, "value", str(v)))
def test_has_and_require_follow_the_matrix(app, make_user, role, perm, allowed):
    user = make_user(role)
    assert has(user, perm) is allowed
    if allowed:
        require(user, perm)
    else:
        with pytest.raises(PermissionDenied):
            require(user, perm)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Permission))
def test_unconfirmed_email_holds_no_permission(app, make_user, role, perm):
    user = make_user(role, verified=False)
    assert has(user, perm) is False
    with pytest.raises(PermissionDenied, match="confirm your email"):
        require(user, perm)


@pytest.mark.parametrize("role", list(Role))
def test_deleted_account_holds_no_permission(app, make_user, role):
    user = make_user(role)
    user.deleted_at = utcnow()
    db.session.commit()
    assert not any(has(user, perm) for perm in Permission)
    with pytest.raises(PermissionDenied):
        require(user, P.POST)


def test_unverified_representative_cannot_answer_as_representative(app, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    rep.representative.verified_at = None
    db.session.commit()
    assert has(rep, P.POST)
    assert not has(rep, P.ANSWER_AS_REPRESENTATIVE)
    with pytest.raises(PermissionDenied):
        require(rep, P.ANSWER_AS_REPRESENTATIVE)


def test_representative_role_without_profile_cannot_answer(app, make_user):
    user = make_user()
    user.role = Role.REPRESENTATIVE.value
    db.session.commit()
    assert not has(user, P.ANSWER_AS_REPRESENTATIVE)


@pytest.mark.parametrize("anonymous", [None, AnonymousUserMixin()], ids=["none", "anonymous-user"])
@pytest.mark.parametrize("perm", list(Permission))
def test_anonymous_is_asked_to_sign_in(app, anonymous, perm):
    assert has(anonymous, perm) is False
    with pytest.raises(NotSignedIn):
        require(anonymous, perm)
