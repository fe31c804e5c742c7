"""Demo equality monitoring: an illustrative census profile and the answers of a crowd of demo neighbours.

The census figures are ILLUSTRATIVE, shaped like a Welsh town's, not any real area's. The crowd (36 residents
who said thanks in the past session's chat) answer so that a few cells in the admin's "who is missing"
report pass 10 and the rest show "fewer than 10". Jo and Alex, the demo residents people sign in as, answer
nothing, so the invitation shows on their account page.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from debate.demo import live as live_demo
from debate.demo import surveys as survey_demo
from debate.extensions import db
from debate.models import ChatMessage, LiveSession, Role, User
from debate.models.equality import CensusShare, EqualityAnswer

SOURCE = "Illustrative figures for a Welsh town (not real census data)"
YEAR = 2021
CENSUS: dict[str, dict[str, float]] = {
    "age": {"16-24": 14, "25-34": 16, "35-44": 15, "45-54": 16, "55-64": 15, "65-74": 13, "75+": 11},
    "sex": {"female": 51, "male": 49},
    "gender_identity": {"yes": 99.5, "no": 0.5},
    "ethnic_group": {
        "bangladeshi": 0.3,
        "chinese": 0.4,
        "indian": 0.6,
        "pakistani": 0.5,
        "other_asian": 0.6,
        "african": 0.6,
        "caribbean": 0.1,
        "other_black": 0.2,
        "white_asian": 0.4,
        "white_black_african": 0.3,
        "white_black_caribbean": 0.4,
        "other_mixed": 0.5,
        "white_british": 90.6,
        "irish": 0.4,
        "gypsy_traveller": 0.1,
        "roma": 0.1,
        "other_white": 2.3,
        "arab": 0.3,
        "other_ethnic": 0.3,
    },  # fmt: skip
    "long_term_condition": {"yes": 28, "no": 72},
    "activity_limited": {"a_lot": 35, "a_little": 40, "not_at_all": 25},
    "postcode_district": {"CF10": 30, "CF11": 35, "CF14": 35},
    "main_language": {"english": 84, "welsh": 13, "other": 3},
}

CROWD = 36
# question -> [(answer, how many of the crowd)], in the crowd's order; "" and the rest leave it blank.
ANSWERS: dict[str, list[tuple[str, int]]] = {
    "age": [("16-24", 4), ("25-34", 12), ("35-44", 8), ("45-54", 5), ("55-64", 3), ("65-74", 2), ("prefer_not", 2)],
    "sex": [("female", 18), ("male", 14), ("prefer_not", 2)],
    "gender_identity": [("yes", 30), ("prefer_not", 3)],
    "ethnic_group": [
        ("white_british", 28),
        ("indian", 2),
        ("african", 2),
        ("other_mixed", 1),
        ("arab", 1),
        ("prefer_not", 2),
    ],
    "long_term_condition": [("no", 22), ("yes", 10), ("prefer_not", 2)],
    # Asked of those with a condition: the 22 who said "no" above leave it blank.
    "activity_limited": [("", 22), ("a_lot", 3), ("a_little", 5), ("not_at_all", 2), ("prefer_not", 2)],
    "postcode_district": [("CF10", 14), ("CF11", 11), ("CF14", 6), ("prefer_not", 3)],
    "main_language": [("english", 22), ("welsh", 11), ("other", 2)],
}
FIRST = ("Aled", "Bethan", "Carys", "Dafydd", "Elin", "Ffion", "Gareth", "Hywel", "Iwan", "Lowri", "Megan", "Nia")
LAST = ("Evans", "Jones", "Price")


def seed() -> None:
    """After the live demo (its past session is where the crowd took part). Commits."""
    past = db.session.scalar(select(LiveSession).where(LiveSession.title == live_demo.PAST_TITLE))
    if past is None or past.ended_at is None:
        return
    for question, shares in CENSUS.items():
        for category, percent in shares.items():
            db.session.add(CensusShare(question=question, category=category, percent=percent, source=SOURCE, year=YEAR))
    crowd = []
    for i in range(CROWD):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}"
        user = User(
            display_name=name,
            email=f"neighbour{i + 1}@demo.example.org",
            password_hash="!demo-voice",  # noqa: S106 - not a password: an unusable hash
            role=Role.RESIDENT.value,
            email_verified_at=past.starts_at - timedelta(days=30),
            created_at=past.starts_at - timedelta(days=30),
        )
        db.session.add(user)
        crowd.append(user)
    db.session.flush()
    for i, user in enumerate(crowd):
        at = past.starts_at + timedelta(minutes=5 + i)
        db.session.add(
            ChatMessage(session_id=past.id, author_id=user.id, body="Thank you, this was useful.", created_at=at)
        )
    respondents = db.session.scalars(select(User).where(User.email.like(survey_demo.EMAIL.format(n="%")))).all()
    _answer(crowd)
    _answer(list(respondents))  # so the survey's "who is missing" has figures too
    db.session.commit()


def _answer(people: list[User]) -> None:
    """Give `people` the crowd's answers, in order (a longer list repeats them)."""
    for question, given in ANSWERS.items():
        answers = [answer for answer, n in given for _ in range(n)]
        for user, answer in zip(people, answers * (1 + len(people) // max(1, len(answers))), strict=False):
            if answer:
                db.session.add(EqualityAnswer(user_id=user.id, question=question, answer=answer))
