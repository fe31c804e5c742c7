"""Demo forum content: a few living threads, so a new visitor sees how debate works here.

Written straight to the tables (trusted text, no moderation queue) with
dates in the past days, every stance, quotes, an edit with its history,
helpful votes and a representative's official response.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import moderation
from debate.extensions import db
from debate.models import HelpfulVote, OfficialResponse, Reply, Revision, Role, Thread, ThreadFollow, Topic, User
from debate.services.forums.posts import recount

# Extra residents who only speak in the demo threads; they cannot sign in ("!" is never a valid hash).
VOICES = [("Dev Patel", "dev.voice@demo.example.org"), ("Maria Nowak", "maria.voice@demo.example.org")]

# (topic slug, author email, title, body, [(author email, stance, body, quote index or None)])
THREADS: list[tuple[str, str, str, str, list[tuple[str, str | None, str, int | None]]]] = [
    (
        "housing",
        "resident@demo.example.org",
        "Should the old bus depot become council homes?",
        "The depot on Mill Lane has been empty for three years. The council is deciding what to do with it.\n\n"
        "I think it should be **homes for social rent**, but I would like to hear the other side:\n\n"
        "- what would it cost?\n- what happens to the bus routes?\n- could it flood?",
        [
            (
                "resident2@demo.example.org",
                "for",
                "Yes. My rent went up by a fifth this year and my children cannot afford to live near us. "
                "Homes on brownfield land are better than building on the fields by the river.",
                None,
            ),
            (
                "dev.voice@demo.example.org",
                "against",
                "The depot site floods almost every winter. Before anyone builds there we need the Environment "
                "Agency's flood report, not promises.",
                None,
            ),
            (
                "maria.voice@demo.example.org",
                "question",
                "How many of the homes would be for social rent, and how many sold on the open market?",
                None,
            ),
            (
                "councillor@demo.example.org",
                "neutral",
                "Thank you all. The council's position: the depot is allocated for housing in the local plan, "
                "**40% of the homes would be social rent**, and no decision will be taken before the flood "
                "assessment is published in the spring. I will post it here when it is.",
                None,
            ),
            (
                "resident@demo.example.org",
                "neutral",
                "That is a fair point about flooding. If the flood report says the site is safe, would you "
                "support it then?",
                1,
            ),
            (
                "mp@demo.example.org",
                "for",
                "National funding for brownfield homes opened this month. I have written to the minister to ask "
                "that Mill Lane is considered.",
                None,
            ),
        ],
    ),
    (
        "housing",
        "dev.voice@demo.example.org",
        "Rent caps: would they help or hurt?",
        "Some cities abroad cap rent rises. Would a national cap help renters here, or would landlords sell up?",
        [
            (
                "resident2@demo.example.org",
                "for",
                "A cap tied to inflation would have saved my family £900 this year.",
                None,
            ),
            (
                "maria.voice@demo.example.org",
                "against",
                "My uncle rents out one flat. With a cap he says he would sell it, and then there is one home fewer "
                "to rent.",
                None,
            ),
            (
                "resident@demo.example.org",
                "question",
                "Does anyone know what happened in Scotland after their rent freeze?",
                None,
            ),
        ],
    ),
    (
        "immigration",
        "resident2@demo.example.org",
        "How can we welcome new arrivals on our estate?",
        "Several families arrived on the Northfield estate this autumn. What could residents and the council do "
        "to help them settle, and to make sure local services cope?",
        [
            (
                "maria.voice@demo.example.org",
                "for",
                "When I came here in 2009 an English conversation club at the library made all the difference. "
                "Could we start one again?",
                None,
            ),
            (
                "dev.voice@demo.example.org",
                "question",
                "Is there extra funding for the GP surgery? Waits are already three weeks.",
                None,
            ),
            (
                "mp@demo.example.org",
                "neutral",
                "The Home Office pays councils a per-person grant for resettled families. I have asked how much "
                "Northfield receives and will share the answer here.",
                None,
            ),
        ],
    ),
    (
        "jobs",
        "maria.voice@demo.example.org",
        "The high street is losing shops: what would bring people back?",
        "Three shops closed on Station Road this year. Business rates, parking, online shopping? What would "
        "you change?",
        [
            ("resident@demo.example.org", "for", "Free parking for the first hour, like in Bridgeford.", None),
            (
                "dev.voice@demo.example.org",
                "against",
                "Parking is not the problem; rents are. Let empty shops be used for pop-ups and markets.",
                None,
            ),
            (
                "councillor@demo.example.org",
                "neutral",
                "Business rates are set nationally, but the council can give relief to small shops. "
                "We are consulting on it until March.",
                None,
            ),
            ("resident2@demo.example.org", "question", "Where can we reply to the consultation?", None),
        ],
    ),
    (
        "foreign-policy",
        "resident@demo.example.org",
        "Aid cuts and our local charities",
        "Two charities in town that send help abroad say national aid cuts hit their partners. "
        "Should our MP speak up about it?",
        [
            ("maria.voice@demo.example.org", "for", "Yes. Many of us have family in the places affected.", None),
            (
                "dev.voice@demo.example.org",
                "against",
                "Charity begins at home. With the food bank this busy, I would rather the money was spent here.",
                None,
            ),
        ],
    ),
]

HELPFUL = {  # (thread index, reply index) -> voters
    (0, 1): ["resident@demo.example.org", "maria.voice@demo.example.org", "resident2@demo.example.org"],
    (0, 3): [
        "resident@demo.example.org",
        "resident2@demo.example.org",
        "dev.voice@demo.example.org",
        "maria.voice@demo.example.org",
    ],
    (0, 5): ["resident2@demo.example.org"],
    (2, 0): ["resident@demo.example.org", "dev.voice@demo.example.org"],
    (3, 1): ["maria.voice@demo.example.org"],
}
OFFICIAL = [(0, 3), (2, 2)]  # replies marked as the official response by their representative author


def _voices(now: datetime) -> dict[str, User]:
    users = {}
    for name, email in VOICES:
        user = User(
            display_name=name,
            email=email,
            password_hash="!demo-voice",  # noqa: S106 - not a password: an unusable hash
            role=Role.RESIDENT.value,
            email_verified_at=now,
            created_at=now - timedelta(days=60),
        )
        db.session.add(user)
        users[email] = user
    return users


def seed(now: datetime) -> None:
    """Add the demo threads (no commit: load_demo commits once)."""
    db.session.flush()
    users = {u.email: u for u in db.session.query(User).all()} | _voices(now)
    db.session.flush()
    topics = {t.slug: t for t in db.session.query(Topic).all()}
    topics["foreign-policy"].scope = "international"
    replies: dict[tuple[int, int], Reply] = {}
    for t_index, (slug, author, title, body, thread_replies) in enumerate(THREADS):
        started = now - timedelta(days=5 - t_index, hours=3)
        thread = Thread(
            topic_id=topics[slug].id,
            author_id=users[author].id,
            title=title,
            body=body,
            fingerprint=moderation.fingerprint(body, title),
            created_at=started,
            last_activity_at=started,
        )
        db.session.add(thread)
        db.session.flush()
        db.session.add(ThreadFollow(thread_id=thread.id, user_id=users[author].id, created_at=started))
        for r_index, (who, stance, text, quote) in enumerate(thread_replies):
            at = started + timedelta(hours=2 + 5 * r_index)
            reply = Reply(
                thread_id=thread.id,
                author_id=users[who].id,
                body=text,
                stance=stance,
                quote_of_id=replies[(t_index, quote)].id if quote is not None else None,
                fingerprint=moderation.fingerprint(text),
                created_at=at,
            )
            db.session.add(reply)
            db.session.flush()
            replies[(t_index, r_index)] = reply
            thread.last_activity_at = at
    _edit_with_history(replies[(0, 4)])
    for (t_index, r_index), voters in HELPFUL.items():
        reply = replies[(t_index, r_index)]
        for email in voters:
            db.session.add(HelpfulVote(reply_id=reply.id, user_id=users[email].id))
        reply.helpful_count = len(voters)
    for key in OFFICIAL:
        reply = replies[key]
        db.session.add(OfficialResponse(thread_id=reply.thread_id, reply_id=reply.id, marked_by_id=reply.author_id))
    db.session.flush()
    for thread in db.session.query(Thread).all():
        recount(thread)


def _edit_with_history(reply: Reply) -> None:
    """One reply was edited a few minutes after posting: its earlier version is public."""
    db.session.add(
        Revision(
            content_type="reply",
            content_id=reply.id,
            author_id=reply.author_id,
            body="That is a fair point about flooding.",
            stance=reply.stance,
            written_at=reply.created_at,
            replaced_at=reply.created_at + timedelta(minutes=4),
        )
    )
    reply.edited_at = reply.created_at + timedelta(minutes=4)
