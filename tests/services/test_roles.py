"""Roles service: asking to be a representative, admins verifying and appointing."""

from __future__ import annotations

import pytest

from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import RepresentativeProfile, Role, User
from debate.services.accounts import roles

STAFF_AND_REPS = [Role.RESIDENT, Role.MODERATOR, Role.REPRESENTATIVE]


def ask(user: User, kind="councillor", title="Councillor", area="Riverside ward", party="Green Party"):
    return roles.request_representative(user, kind, title, area, party)


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- asking to be a representative ------------------------------------------------------


def test_request_creates_pending_profile(app, make_user):
    user = make_user()
    profile = ask(user)
    assert (profile.kind, profile.title, profile.area, profile.party) == (
        "councillor",
        "Councillor",
        "Riverside ward",
        "Green Party",
    )
    assert profile.verified_at is None
    assert reload(user).role == Role.RESIDENT.value
    assert not reload(user).is_verified_representative
    assert [p.id for p in roles.pending_representatives()] == [profile.id]
    assert roles.verified_representatives() == []


@pytest.mark.parametrize("party", [None, "", "   "])
def test_request_party_defaults_to_independent(app, make_user, party):
    assert ask(make_user(), party=party).party == "independent"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "king"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"kind": None}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"area": ""}, "area"),
        ({"area": None}, "area"),
        ({"area": "Ward\u202e"}, "area"),
    ],
)
def test_request_validation(app, make_user, kwargs, field):
    user = make_user()
    with pytest.raises(ValidationError) as info:
        ask(user, **kwargs)
    assert info.value.field == field
    db.session.rollback()
    assert db.session.query(RepresentativeProfile).count() == 0


def test_request_refused_until_email_confirmed(app, make_user):
    with pytest.raises(PermissionDenied, match="confirm your email"):
        ask(make_user(verified=False))


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_cannot_ask_to_be_representatives(app, make_user, role):
    with pytest.raises(ValidationError):
        ask(make_user(role))


def test_request_can_be_updated_while_pending(app, make_user):
    user = make_user()
    first = ask(user)
    second = ask(user, title="Cabinet Member for Housing")
    assert second.id == first.id
    assert second.title == "Cabinet Member for Housing"


def test_verified_representative_cannot_rewrite_own_profile(app, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    with pytest.raises(Conflict):
        ask(rep, title="Prime Minister")
    assert reload(rep).representative.title == "Councillor"


# --- verifying --------------------------------------------------------------------------


def test_admin_verifies_representative_and_badge_appears(app, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    profile = ask(user)
    roles.verify_representative(admin, profile.id)
    user = reload(user)
    assert user.role == Role.REPRESENTATIVE.value
    assert user.is_verified_representative
    assert user.representative.verified_by_id == admin.id
    assert user.representative.verified_at is not None
    assert roles.pending_representatives() == []
    assert [p.user_id for p in roles.verified_representatives()] == [user.id]


def test_verifying_twice_is_a_conflict(app, make_user):
    admin = make_user(Role.ADMIN)
    profile = ask(make_user())
    roles.verify_representative(admin, profile.id)
    with pytest.raises(Conflict):
        roles.verify_representative(admin, profile.id)


def test_verifying_unknown_profile_is_not_found(app, make_user):
    with pytest.raises(NotFound):
        roles.verify_representative(make_user(Role.ADMIN), 999_999)


@pytest.mark.parametrize("role", STAFF_AND_REPS)
def test_non_admins_cannot_verify(app, make_user, role):
    profile = ask(make_user())
    with pytest.raises(PermissionDenied):
        roles.verify_representative(make_user(role), profile.id)
    assert db.session.get(RepresentativeProfile, profile.id).verified_at is None


def test_admin_with_unconfirmed_email_cannot_verify(app, make_user):
    profile = ask(make_user())
    with pytest.raises(PermissionDenied):
        roles.verify_representative(make_user(Role.ADMIN, verified=False), profile.id)


@pytest.mark.parametrize("role", STAFF_AND_REPS)
def test_non_admins_cannot_revoke(app, make_user, role):
    rep = make_user(Role.REPRESENTATIVE)
    with pytest.raises(PermissionDenied):
        roles.revoke_representative(make_user(role), rep.representative.id)
    assert reload(rep).is_verified_representative


def test_revoke_removes_badge_and_role(app, make_user):
    admin, rep = make_user(Role.ADMIN), make_user(Role.REPRESENTATIVE)
    roles.revoke_representative(admin, rep.representative.id)
    rep = reload(rep)
    assert rep.role == Role.RESIDENT.value
    assert rep.representative is None
    assert not rep.is_verified_representative
    assert roles.verified_representatives() == []


def test_declining_a_pending_request_removes_it(app, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    roles.revoke_representative(admin, ask(user).id)
    assert roles.pending_representatives() == []
    assert reload(user).role == Role.RESIDENT.value


def test_revoking_unknown_profile_is_not_found(app, make_user):
    with pytest.raises(NotFound):
        roles.revoke_representative(make_user(Role.ADMIN), 999_999)


# --- moderators -------------------------------------------------------------------------


def test_admin_appoints_and_stands_down_a_moderator(app, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    assert roles.set_moderator(admin, user.id, appoint=True).role == Role.MODERATOR.value
    assert roles.set_moderator(admin, user.id, appoint=False).role == Role.RESIDENT.value


@pytest.mark.parametrize("role", STAFF_AND_REPS)
def test_non_admins_cannot_appoint(app, make_user, role):
    target = make_user()
    with pytest.raises(PermissionDenied):
        roles.set_moderator(make_user(role), target.id, appoint=True)
    assert reload(target).role == Role.RESIDENT.value


def test_moderator_cannot_stand_down_another_moderator(app, make_user):
    target = make_user(Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        roles.set_moderator(make_user(Role.MODERATOR), target.id, appoint=False)
    assert reload(target).role == Role.MODERATOR.value


@pytest.mark.parametrize("appoint", [True, False])
def test_admin_cannot_change_own_role(app, make_user, appoint):
    admin = make_user(Role.ADMIN)
    with pytest.raises(PermissionDenied, match="own role"):
        roles.set_moderator(admin, admin.id, appoint=appoint)
    assert reload(admin).role == Role.ADMIN.value


def test_admin_cannot_demote_another_admin(app, make_user):
    other = make_user(Role.ADMIN)
    with pytest.raises(PermissionDenied):
        roles.set_moderator(make_user(Role.ADMIN), other.id, appoint=False)
    assert reload(other).role == Role.ADMIN.value


def test_appointing_requires_confirmed_email(app, make_user):
    target = make_user(verified=False)
    with pytest.raises(ValidationError, match="confirmed"):
        roles.set_moderator(make_user(Role.ADMIN), target.id, appoint=True)
    assert reload(target).role == Role.RESIDENT.value


def test_appointing_a_moderator_twice_is_a_conflict(app, make_user):
    with pytest.raises(Conflict):
        roles.set_moderator(make_user(Role.ADMIN), make_user(Role.MODERATOR).id, appoint=True)


def test_standing_down_a_non_moderator_is_a_conflict(app, make_user):
    target = make_user()
    with pytest.raises(Conflict):
        roles.set_moderator(make_user(Role.ADMIN), target.id, appoint=False)
    assert reload(target).role == Role.RESIDENT.value


def test_representatives_cannot_be_appointed_moderators(app, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    with pytest.raises(ValidationError):
        roles.set_moderator(make_user(Role.ADMIN), rep.id, appoint=True)
    assert reload(rep).role == Role.REPRESENTATIVE.value


def test_moderator_cannot_be_verified_as_representative(app, make_user):
    admin, user = make_user(Role.ADMIN), make_user()
    profile = ask(user)
    roles.set_moderator(admin, user.id, appoint=True)
    with pytest.raises(ValidationError):
        roles.verify_representative(admin, profile.id)
    assert reload(user).role == Role.MODERATOR.value


def test_appointing_unknown_member_is_not_found(app, make_user):
    with pytest.raises(NotFound):
        roles.set_moderator(make_user(Role.ADMIN), 999_999, appoint=True)


def test_list_members_filters_by_name(app, make_user):
    make_user(name="Alice Archer")
    make_user(name="Bob Baker")
    assert [m.display_name for m in roles.list_members("arch")] == ["Alice Archer"]
    assert len(roles.list_members()) == 2


@pytest.mark.parametrize("query", ["a\x00b", "%", "_", "x" * 1000])
def test_list_members_survives_odd_queries(app, make_user, query):
    make_user(name="Alice Archer")
    assert isinstance(roles.list_members(query), list)
