"""Creating the first admin and the demo content a new user sees."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from debate.demo import agreement as agreement_demo
from debate.demo import equality as equality_demo
from debate.demo import forums as forum_demo
from debate.demo import live as live_demo
from debate.demo import moderation as moderation_demo
from debate.demo import polls as poll_demo
from debate.demo import surveys as survey_demo
from debate.extensions import db
from debate.models import RepresentativeProfile, Role, Topic, User
from debate.models.base import utcnow
from debate.services.accounts import credentials as accounts
from debate.services.accounts import logins

DEMO_TOPICS = [
    (
        "housing",
        "Housing",
        "Rents, new homes, planning and homelessness: what national housing policy means for our streets.",
    ),
    (
        "immigration",
        "Immigration",
        "How national immigration policy affects our neighbours, services and jobs, and how we welcome people.",
    ),
    ("foreign-policy", "Foreign policy", "Conflicts, aid and trade abroad that touch families and communities here."),
    ("jobs", "Jobs and the local economy", "Work, wages, skills and the high street."),
]

# The council's Welsh for the demo topics; "jobs" is left without, so the admin dashboard shows a missing one.
DEMO_TOPICS_CY = {
    "housing": (
        "Tai",
        "Rhenti, cartrefi newydd, cynllunio a digartrefedd: beth mae polisi tai cenedlaethol yn ei olygu i'n "
        "strydoedd.",
    ),
    "immigration": (
        "Mewnfudo",
        "Sut mae polisi mewnfudo cenedlaethol yn effeithio ar ein cymdogion, ein gwasanaethau a'n swyddi, a sut rydym "
        "yn croesawu pobl.",
    ),
    "foreign-policy": (
        "Polisi tramor",
        "Gwrthdaro, cymorth a masnach dramor sy'n cyffwrdd â theuluoedd a chymunedau yma.",
    ),
}

DEMO_USERS = [
    (Role.ADMIN, "Council Admin", "admin@demo.example.org", None),
    (Role.MODERATOR, "Morgan (moderator)", "moderator@demo.example.org", None),
    (
        Role.REPRESENTATIVE,
        "Cllr Priya Shah",
        "councillor@demo.example.org",
        ("councillor", "Councillor", "Riverside ward", "independent"),
    ),
    (
        Role.REPRESENTATIVE,
        "Sam Okafor MP",
        "mp@demo.example.org",
        ("mp", "Member of Parliament", "Northfield constituency", "Labour"),
    ),
    (Role.RESIDENT, "Jo Resident", "resident@demo.example.org", None),
    (Role.RESIDENT, "Alex Resident", "resident2@demo.example.org", None),
]


def create_admin(name: str, email: str, password: str) -> User:
    display = accounts.clean_display_name(name)
    address = accounts.clean_email(email)
    secret = accounts.check_password(password, password, address)
    user = accounts.find_by_email(address)
    accounts.refuse_lookalike(display, user)
    if user is None:
        user = User(display_name=display, email=address, password_hash="")
        db.session.add(user)
    else:  # a new role, a new password, or both: the account's browsers sign in again
        logins.end(user, logins.ROLE_CHANGED if user.role != Role.ADMIN.value else logins.PASSWORD_RESET)
    user.display_name = display
    user.password_hash = accounts.hash_password(secret)
    user.role = Role.ADMIN.value
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.commit()
    return user


def load_demo(password_factory: Callable[[], str]) -> list[tuple[str, str, str]]:
    """Create demo users and topics unless any user exists. Returns (role, email, password)."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return []
    created = []
    now = utcnow()
    admin = None
    for role, name, email, rep in DEMO_USERS:
        password = password_factory()
        user = User(
            display_name=name,
            email=email,
            password_hash=accounts.hash_password(password),
            role=role.value,
            email_verified_at=now,
        )
        db.session.add(user)
        db.session.flush()
        if role is Role.ADMIN:
            admin = user
        if rep:
            kind, title, area, party = rep
            db.session.add(
                RepresentativeProfile(
                    user_id=user.id,
                    kind=kind,
                    title=title,
                    area=area,
                    party=party,
                    verified_at=now,
                    verified_by_id=admin.id if admin else None,
                )
            )
        created.append((role.value, email, password))
    for slug, title, description in DEMO_TOPICS:
        title_cy, description_cy = DEMO_TOPICS_CY.get(slug, ("", ""))
        db.session.add(
            Topic(
                slug=slug,
                title=title,
                description=description,
                title_cy=title_cy,
                description_cy=description_cy,
                created_by_id=admin.id if admin else None,
            )
        )
    forum_demo.seed(now)
    moderation_demo.seed(now)
    survey_demo.seed(now)
    db.session.commit()
    live_demo.seed()  # through the live services, which commit as they go
    poll_demo.seed()  # a closed and an open poll in the live session
    equality_demo.seed()  # after the live demo: its crowd took part in the past session
    agreement_demo.seed(now)  # a round on the high street, its votes and its computed result
    return created
