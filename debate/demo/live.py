"""Demo live Q&A: one session live now, one next week, one that ended last week.

The session next week is set to the broad-support order (its room says it waits for votes); the host's
controls in every room offer "Most votes" and "Broad support".

Everything goes through the live services (schedule, start, ask, approve,
vote, pin, answer, end...), so the states, the numbered events, the review
queue and the notices are the real ones. The session that ended is run now
and then moved a week back. Runs after `seeding.load_demo` has committed the
demo accounts; it commits as the services do, and does nothing if its live
session already exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from debate.extensions import db
from debate.models import Role, User
from debate.models.accountability import TrackedQuestion
from debate.models.base import utcnow
from debate.models.live import (
    ChatMessage,
    LiveSession,
    QuestionVote,
    SessionAnnouncement,
    SessionEvent,
    SessionQuestion,
)
from debate.services import council_time
from debate.services.accountability import questions as accountability
from debate.services.live import chat as live_chat
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions

LIVE_TITLE = "Housing and rents: ask your councillors"
UPCOMING_TITLE = "Jobs and the high street: ask your MP"
PAST_TITLE = "Welcoming new neighbours: services on the Northfield estate"
# The same sessions as the council writes them in Welsh (official content is bilingual).
LIVE_TITLE_CY = "Tai a rhenti: holwch eich cynghorwyr"
UPCOMING_TITLE_CY = "Swyddi a'r stryd fawr: holwch eich AS"
PAST_TITLE_CY = "Croesawu cymdogion newydd: gwasanaethau ar ystâd Northfield"

ADMIN, MODERATOR = "admin@demo.example.org", "moderator@demo.example.org"
COUNCILLOR, MP = "councillor@demo.example.org", "mp@demo.example.org"
JO, ALEX = "resident@demo.example.org", "resident2@demo.example.org"
DEV, MARIA = "dev.voice@demo.example.org", "maria.voice@demo.example.org"

# Residents who only ask questions in the demo sessions; like the forum's voices they cannot sign in.
VOICES = [
    ("Grace Mensah", "grace.voice@demo.example.org"),
    ("Tom Hughes", "tom.voice@demo.example.org"),
    ("Leila Haddad", "leila.voice@demo.example.org"),
]
GRACE, TOM, LEILA = (email for _, email in VOICES)

# key: (asker, text, anonymous)
LIVE_QUESTIONS = {
    "repairs": (JO, "When will the repairs backlog on the Eastgate estate be cleared?", False),
    "rent_cap": (ALEX, "Will the council cap rent rises on its own homes next year?", False),
    "depot": (DEV, "How many of the new homes at the Mill Lane depot will be for social rent?", False),
    "eviction": (MARIA, "What help is there for private renters facing a no-fault eviction?", True),
    "shops": (GRACE, "Could the empty flats above the shops on Station Road become homes?", False),
    "damp": (TOM, "Why does it take months to get damp fixed in council flats?", False),
    "access": (LEILA, "Will the new homes at the depot have step-free access for wheelchair users?", False),
    "cup": (GRACE, "Who do you think will win the cup final on Saturday?", False),
}
LIVE_VOTES = {
    "repairs": [ALEX, DEV, MARIA, TOM, GRACE],
    "rent_cap": [JO, DEV, MARIA, GRACE, TOM, LEILA],
    "depot": [JO, MARIA, LEILA],
    "eviction": [ALEX, TOM],
    "damp": [JO, ALEX, MARIA, GRACE],
    "shops": [DEV],
}
REPAIRS_ANSWER = (
    "The backlog is down from 1,200 jobs to 640. Urgent repairs are done within **24 hours**; the rest of the "
    "backlog should be cleared by the end of June, and we will publish progress every month."
)
PAST_QUESTIONS = {
    "gp": (DEV, "Is there extra funding for the Northfield GP surgery now that more families live here?", False),
    "english": (MARIA, "Could the library restart its English conversation club?", False),
    "schools": (TOM, "Are there enough school places on the estate for the children who arrived this autumn?", False),
    "buses": (LEILA, "Will the number 12 bus run later in the evening for people working shifts?", True),
}


@contextmanager
def _votes_sent_at_once() -> Iterator[None]:
    """No background flusher in a command: each vote's count is numbered and stored straight away."""
    previous = current_app.config.get("LIVE_FLUSH_MS", 0)
    current_app.config["LIVE_FLUSH_MS"] = 0
    try:
        yield
    finally:
        current_app.config["LIVE_FLUSH_MS"] = previous


def seed(now: datetime | None = None) -> bool:
    """Create the demo sessions; False when they exist already or the demo accounts are missing."""
    if db.session.scalar(select(LiveSession.id).where(LiveSession.title == LIVE_TITLE)) is not None:
        return False
    users = {u.email: u for u in db.session.scalars(select(User))}
    if any(email not in users for email in (ADMIN, MODERATOR, COUNCILLOR, MP, JO, ALEX, DEV, MARIA)):
        return False
    now = now or utcnow()
    users |= _voices(users, now)
    with _votes_sent_at_once():
        _upcoming(users, now)
        _past(users, now)
        _live(users, now)
    return True


def _voices(users: dict[str, User], now: datetime) -> dict[str, User]:
    made = {}
    for name, email in VOICES:
        if email in users:
            continue
        made[email] = User(
            display_name=name,
            email=email,
            password_hash="!demo-voice",  # noqa: S106 - not a password: an unusable hash
            role=Role.RESIDENT.value,
            email_verified_at=now,
            created_at=now - timedelta(days=45),
        )
        db.session.add(made[email])
    db.session.commit()
    return made


def _form(title: str, description: str, starts: datetime, hours: float, panel: list[User], **extra):
    return live_sessions.SessionForm(
        title=title,
        description=description,
        topic_slug=extra.pop("topic_slug", ""),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        panel=[u.id for u in panel],
        **extra,
    )


def _local_evening(day: datetime, hour: int = 19) -> datetime:
    """`hour` o'clock council time on `day`, as naive UTC."""
    local = council_time.to_local(day).replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None)
    return council_time.to_utc(local)


def _ask(users: dict[str, User], live: LiveSession, spec: tuple[str, str, bool]) -> SessionQuestion:
    email, text, anonymous = spec
    return live_questions.ask(users[email], live.id, text, anonymous=anonymous)


def _upcoming(users: dict[str, User], now: datetime) -> None:
    live_sessions.schedule(
        users[ADMIN],
        _form(
            UPCOMING_TITLE,
            "Three shops closed on Station Road this year. Sam Okafor MP answers your questions on business "
            "rates, jobs and skills. Questions open when the session starts.",
            _local_evening(now + timedelta(days=7)),
            1.5,
            [users[MP]],
            topic_slug="jobs",
            premoderate=True,
            allow_anonymous=False,
            order_rule="broad",  # questions by broad support (by most votes until there are enough, as it says)
            title_cy=UPCOMING_TITLE_CY,
            description_cy="Mae tair siop wedi cau ar Station Road eleni. Mae Sam Okafor AS yn ateb eich "
            "cwestiynau am ardrethi busnes, swyddi a sgiliau. Bydd cwestiynau'n agor pan fydd y sesiwn yn dechrau.",
        ),
    )


def _past(users: dict[str, User], now: datetime) -> None:
    """Run a session now (answer two questions, leave two waiting for a written answer), then date it a week back."""
    admin, moderator = users[ADMIN], users[MODERATOR]
    live = live_sessions.schedule(
        admin,
        _form(
            PAST_TITLE,
            "How the council, the surgery and the schools are making room for the families who arrived on the "
            "Northfield estate this autumn.",
            now,
            1.5,
            [users[MP], users[COUNCILLOR]],
            topic_slug="immigration",
            premoderate=True,
            allow_anonymous=True,
            title_cy=PAST_TITLE_CY,
            description_cy="Sut mae'r cyngor, y feddygfa a'r ysgolion yn gwneud lle i'r teuluoedd a gyrhaeddodd "
            "ystâd Northfield yr hydref hwn.",
        ),
    )
    live_sessions.start(admin, live.id)
    asked = {key: _ask(users, live, spec) for key, spec in PAST_QUESTIONS.items()}
    for question in asked.values():
        live_questions.approve(moderator, question.id)
    for key, voters in {"gp": [JO, ALEX, MARIA], "english": [JO, DEV], "schools": [ALEX], "buses": [JO]}.items():
        for email in voters:
            live_questions.set_vote(users[email], asked[key].id, True)
    live_questions.answering(users[MP], asked["gp"].id)
    live_questions.answer(
        users[MP],
        asked["gp"].id,
        "Yes: the surgery receives a per-patient grant for resettled families, and a second nurse starts in January.",
    )
    live_questions.answering(users[COUNCILLOR], asked["english"].id)
    live_questions.answer(users[COUNCILLOR], asked["english"].id)  # answered out loud, no written text
    live_chat.post(users[JO], live.id, "Thank you for coming to the estate to talk to us.")
    live_sessions.end(admin, live.id)  # "schools" and "buses" now await a written answer
    _move_back(live, live.starts_at - _local_evening(now - timedelta(days=7)))


def _move_back(live: LiveSession, by: timedelta) -> None:
    """Date a finished demo session (and everything in it) `by` earlier, here in Python (SQLite has no
    date arithmetic). The event log's payloads keep the times they were sent with."""
    db.session.refresh(live)
    questions = list(db.session.scalars(select(SessionQuestion).where(SessionQuestion.session_id == live.id)))
    rows: list[object] = [live, *questions]
    for model, where in (
        (ChatMessage, ChatMessage.session_id == live.id),
        (SessionAnnouncement, SessionAnnouncement.session_id == live.id),
        (SessionEvent, SessionEvent.session_id == live.id),
        (QuestionVote, QuestionVote.question_id.in_([q.id for q in questions])),
    ):
        rows += db.session.scalars(select(model).where(where))
    for row in rows:
        for name in ("starts_at", "ends_at", "started_at", "ended_at", "created_at", "taken_at", "answered_at"):
            if getattr(row, name, None) is not None:
                setattr(row, name, getattr(row, name) - by)
    live.started_at, live.ended_at = live.starts_at, live.ends_at  # as if it ran its full length
    # Its questions on the accountability record move back too, due counted from the (earlier) end.
    for tracked in db.session.scalars(select(TrackedQuestion).where(TrackedQuestion.session_id == live.id)):
        for name in ("put_at", "tracked_at", "answered_at"):
            if getattr(tracked, name) is not None:
                setattr(tracked, name, getattr(tracked, name) - by)
        if tracked.due_on is not None:
            tracked.due_on = accountability.due_date(council_time.local_date(tracked.tracked_at))
    db.session.commit()


def _live(users: dict[str, User], now: datetime) -> None:
    admin, moderator, councillor, mp = users[ADMIN], users[MODERATOR], users[COUNCILLOR], users[MP]
    live = live_sessions.schedule(
        admin,
        _form(
            LIVE_TITLE,
            "Rents, repairs and the new homes at Mill Lane. Cllr Priya Shah and Sam Okafor MP answer your "
            "questions live. Questions are checked by a moderator before they appear; you may ask anonymously.",
            now,
            2,
            [councillor, mp],
            topic_slug="housing",
            premoderate=True,
            allow_anonymous=True,
            chat_slow_seconds=10,
            title_cy=LIVE_TITLE_CY,
            description_cy="Rhenti, atgyweiriadau a'r cartrefi newydd yn Mill Lane. Mae'r Cynghorydd Priya Shah a "
            "Sam Okafor AS yn ateb eich cwestiynau'n fyw. Mae cymedrolwr yn gwirio cwestiynau cyn iddynt "
            "ymddangos; cewch ofyn yn ddienw.",
        ),
    )
    live_sessions.start(admin, live.id)
    live_chat.announce(
        admin, live.id, "Welcome! We start with the repairs backlog. Vote for the questions you want answered next."
    )
    asked = {key: _ask(users, live, spec) for key, spec in LIVE_QUESTIONS.items()}
    for key, question in asked.items():
        if key == "cup":
            live_questions.reject(
                moderator, question.id, "off_topic", "This session is about housing: try the forum's jobs topic."
            )
        elif key != "access":  # stays held: awaiting review in the moderators' queue
            live_questions.approve(moderator, question.id)
    for key, voters in LIVE_VOTES.items():
        for email in voters:
            live_questions.set_vote(users[email], asked[key].id, True)
    live_chat.post(users[JO], live.id, "Good to see so many people here tonight.")
    live_chat.post(users[DEV], live.id, "Will there be a recording for people who could not make it?")
    live_chat.post(councillor, live.id, "Yes: the transcript and any written answers stay on this page.")
    # The host announced the repairs backlog first, ahead of the rent cap's votes: a departure, with its reason.
    live_questions.answering(
        councillor, asked["repairs"].id, reason="agenda", note="The host opened the session with the repairs backlog."
    )
    live_questions.answer(councillor, asked["repairs"].id, REPAIRS_ANSWER)
    live_questions.answering(mp, asked["rent_cap"].id)  # the top of the order now: no reason needed
    live_questions.pin(
        moderator, asked["depot"].id, True, reason="follow_up", note="The Mill Lane homes follow on from the rent cap."
    )
    live_chat.post(users[MARIA], live.id, "Thank you for taking the question about the rent cap.")
    live_chat.announce(admin, live.id, "Next up: the new homes at the Mill Lane depot.")
