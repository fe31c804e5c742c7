"""Roles: representatives ask to be verified; admins verify them and appoint moderators."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.accounts import RepresentativeProfile, Role, User
from debate.models.base import utcnow
from debate.permissions import Permission, require
from debate.services.accounts import logins
from debate.services.text import clean_line

KIND_LABELS = {
    "councillor": _l("Councillor"),
    "mp": _l("Member of Parliament"),
    "minister": _l("Minister"),
    "official": _l("Official"),
}

# The standard English title of each kind of office: a profile whose title is just that is shown with the
# kind's own label, in the reader's language ("Cynghorydd" on a Welsh page), not in the English it was typed in.
STANDARD_TITLES = {
    "councillor": "councillor",
    "mp": "member of parliament",
    "minister": "minister",
    "official": "official",
}
# How each role reads on the account and admin pages (capitalised, in the reader's language).
ROLE_LABELS = {
    Role.RESIDENT.value: _l("Resident"),
    Role.REPRESENTATIVE.value: _l("Representative"),
    Role.MODERATOR.value: _l("Moderator"),
    Role.ADMIN.value: _l("Admin"),
}

FIELD_MAX = 120  # characters in a title, area or party
MEMBER_QUERY_MAX = 60  # characters of a name searched for among the members

# The words by which a title already names its kind of office ("Councillor, Cabinet Member for Jobs",
# "Cllr", "MP for Northfield"), so `role_title` does not name it a second time.
KIND_WORDS = {
    "councillor": ("councillor", "cllr"),
    "mp": ("member of parliament", "mp"),
    "minister": ("minister",),
    "official": ("official", "officer"),
}


def role_title(profile: RepresentativeProfile) -> str:
    """How a representative's role reads everywhere (pages, live room, JSON): their title, with the kind of
    office after it only when the title does not already say it: "Cabinet Member for Jobs (Councillor)",
    but "Councillor, Cabinet Member for Jobs", never "Councillor, Cabinet Member for Jobs (Councillor)"."""
    title, label = profile.title.strip(), KIND_LABELS.get(profile.kind, "")
    if label and title.casefold() == STANDARD_TITLES.get(profile.kind):
        return str(label)
    words = KIND_WORDS.get(profile.kind, ())
    named = any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", title.casefold()) for word in words)
    return title if named or not label else f"{title} ({label})"


def request_representative(
    user: User, kind: object, title: object, area: object, party: object
) -> RepresentativeProfile:
    """A signed-in member describes the office they hold; an admin then verifies it."""
    require(user, Permission.POST)
    if user.role in (Role.MODERATOR.value, Role.ADMIN.value):
        raise ValidationError(_("Staff accounts cannot also be representatives; use a separate account."))
    if kind not in KIND_LABELS:
        raise ValidationError(_("Choose councillor, MP, minister or official."), "kind")
    profile = user.representative or RepresentativeProfile(user_id=user.id)
    if profile.verified_at is not None:
        raise Conflict(_("Your representative profile is already verified. Ask an admin to change it."))
    profile.kind = kind
    profile.title = clean_line(title, "title", _("Title"), min_len=2, max_len=FIELD_MAX)
    profile.area = clean_line(area, "area", _("Ward or constituency"), min_len=2, max_len=FIELD_MAX)
    party_text = party if isinstance(party, str) and party.strip() else "independent"
    profile.party = clean_line(party_text, "party", _("Party"), max_len=FIELD_MAX)
    profile.requested_at = utcnow()
    db.session.add(profile)
    db.session.commit()
    return profile


def pending_representatives() -> list[RepresentativeProfile]:
    return list(
        db.session.scalars(
            select(RepresentativeProfile)
            .where(RepresentativeProfile.verified_at.is_(None))
            .order_by(RepresentativeProfile.requested_at)
        )
    )


def verified_representatives() -> list[RepresentativeProfile]:
    return list(
        db.session.scalars(
            select(RepresentativeProfile)
            .where(RepresentativeProfile.verified_at.is_not(None))
            .order_by(RepresentativeProfile.area)
        )
    )


def verify_representative(admin: User, profile_id: int) -> RepresentativeProfile:
    require(admin, Permission.VERIFY_REPRESENTATIVES)
    profile = db.session.get(RepresentativeProfile, profile_id)
    if profile is None or profile.user.deleted_at is not None:
        raise NotFound(_("No such representative request."))
    if profile.verified_at is not None:
        raise Conflict(_("That representative is already verified."))
    if profile.user.role in (Role.MODERATOR.value, Role.ADMIN.value):
        raise ValidationError(_("Staff accounts cannot be verified as representatives."))
    profile.verified_at = utcnow()
    profile.verified_by_id = admin.id
    profile.user.role = Role.REPRESENTATIVE.value
    logins.end(profile.user, logins.ROLE_CHANGED)
    db.session.commit()
    return profile


def revoke_representative(admin: User, profile_id: int) -> User:
    require(admin, Permission.VERIFY_REPRESENTATIVES)
    profile = db.session.get(RepresentativeProfile, profile_id)
    if profile is None:
        raise NotFound(_("No such representative."))
    user = profile.user
    db.session.delete(profile)
    if user.role == Role.REPRESENTATIVE.value:
        user.role = Role.RESIDENT.value
    logins.end(user, logins.ROLE_CHANGED)
    db.session.commit()
    return user


def set_moderator(admin: User, user_id: int, appoint: bool) -> User:
    """Appoint or stand down a moderator. Admins cannot change their own role here."""
    require(admin, Permission.APPOINT_MODERATORS)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(_("No such member."))
    if user.id == admin.id:
        raise PermissionDenied(_("You cannot change your own role."))
    if user.role == Role.ADMIN.value:
        raise PermissionDenied(_("Admins are managed from the command line."))
    if appoint:
        if user.role == Role.MODERATOR.value:
            raise Conflict(_("%(name)s is already a moderator.", name=user.display_name))
        if user.role == Role.REPRESENTATIVE.value:
            raise ValidationError(_("Representatives cannot also be moderators."))
        if user.email_verified_at is None:
            raise ValidationError(_("That member has not confirmed their email address yet."))
        user.role = Role.MODERATOR.value
    else:
        if user.role != Role.MODERATOR.value:
            raise Conflict(_("%(name)s is not a moderator.", name=user.display_name))
        user.role = Role.RESIDENT.value
    # Their sockets joined rooms (the review queue, live rooms' held questions) under the old role.
    logins.end(user, logins.ROLE_CHANGED)
    db.session.commit()
    return user


def list_members(query: str = "", limit: int = 50) -> list[User]:
    stmt = select(User).where(User.deleted_at.is_(None)).order_by(User.display_name).limit(limit)
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL in text
    if query:
        stmt = stmt.where(User.display_name.ilike(f"%{query[:MEMBER_QUERY_MAX]}%"))
    return list(db.session.scalars(stmt))


def representatives() -> list[User]:
    """Who can be put on a panel."""
    stmt = select(User).where(User.role == Role.REPRESENTATIVE.value, User.deleted_at.is_(None))
    stmt = stmt.options(selectinload(User.representative))  # one query for the profiles, not one each
    return [u for u in db.session.scalars(stmt.order_by(User.display_name)) if u.is_verified_representative]
