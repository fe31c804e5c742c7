"""Demo moderation: a policy with a few watched words, and a queue with life in it.

A new moderator signing in to the demo finds one reply held by a watched word
and one reply flagged by two members, both going through the same code the
site uses (the engine's verdict, the queue's listener), so the reasons shown
are real ones. No commit: seeding.load_demo commits once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

import moderation
from debate.extensions import db
from debate.models import Reply, Thread, User
from debate.models.moderation import AuditEntry, Flag, ModerationSettings, ReviewItem
from debate.services import publishing
from debate.services.forums import posts as forums
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import settings as moderation_settings

WATCHED = (
    moderation.WatchedTerm(
        "idiot*",
        moderation.TermAction.BLOCK,
        moderation.Category.ABUSE_HARASSMENT,
        "Name-calling: refused with the reason.",
    ),
    moderation.WatchedTerm(
        "traitor",
        moderation.TermAction.HOLD,
        moderation.Category.ABUSE_HARASSMENT,
        "Often abuse aimed at representatives: a person checks.",
    ),
    moderation.WatchedTerm(
        "buy now", moderation.TermAction.FLAG, moderation.Category.SPAM, "Advertising: published, but queued."
    ),
    moderation.WatchedTerm(
        "bradwr",  # "traitor": on the Welsh list, looked for in Welsh and unmarked posts only
        moderation.TermAction.HOLD,
        moderation.Category.ABUSE_HARASSMENT,
        "The Welsh list: often abuse aimed at representatives; a person checks.",
        lang="cy",
    ),
)
THREAD_TITLE = "Rent caps: would they help or hurt?"  # a demo thread the forum journeys leave alone
HELD_TEXT = "Anyone who votes against rent caps is a traitor to working families and should be ashamed."
FLAGGED_TEXT = "Everyone on our street knows which landlord is behind the rent rises: the Hendersons at number 12."


def seed(now: datetime) -> None:
    db.session.flush()
    users = {u.email: u for u in db.session.scalars(select(User))}
    admin = users.get("admin@demo.example.org")
    policy = moderation.Policy(watchlist=moderation.WatchList(WATCHED))
    db.session.add(
        ModerationSettings(
            id=1,
            policy=policy.to_dict(),
            revision=uuid.uuid4().hex,
            updated_at=now,
            updated_by_id=admin.id if admin else None,
        )
    )
    db.session.add(
        AuditEntry(
            actor_id=admin.id if admin else None,
            action="policy_changed",
            target_type="policy",
            target_id="policy",
            at=now,
            note="Demo settings: four watched words, one on the Welsh list.",
            after={"watchlist.terms": moderation_settings.flat(policy.to_dict())["watchlist.terms"]},
        )
    )
    thread = db.session.scalar(select(Thread).where(Thread.title == THREAD_TITLE))
    if thread is None:
        return
    author = users["resident2@demo.example.org"]
    verdict = moderation.evaluate(
        moderation.Submission(moderation.ContentKind.REPLY, HELD_TEXT),
        publishing.standing(author),
        policy,
        moderation.AuthorHistory(),
        now,
    )
    held = _reply(thread, author, HELD_TEXT, "against", publishing.initial_state(verdict), now - timedelta(hours=2))
    moderation_queue.on_screened("reply", held, verdict)
    flagged = _reply(
        thread, users["resident@demo.example.org"], FLAGGED_TEXT, "neutral", "published", now - timedelta(hours=1)
    )
    item = moderation_queue.enqueue("reply", flagged, ReviewItem.FLAGGED)
    for email in ("dev.voice@demo.example.org", "maria.voice@demo.example.org"):
        db.session.add(
            Flag(
                review_item_id=item.id,
                flagger_id=users[email].id,
                category="personal_information",
                note="Names a family and their address.",
                weight=1.0,
                created_at=now,
            )
        )
    item.flag_weight = 2.0
    forums.recount(thread)


def _reply(thread: Thread, author: User, text: str, stance: str, state: str, at: datetime) -> Reply:
    reply = Reply(
        thread_id=thread.id,
        author_id=author.id,
        body=text,
        stance=stance,
        state=state,
        fingerprint=moderation.fingerprint(text),
        created_at=at,
    )
    db.session.add(reply)
    db.session.flush()
    return reply
