"""Sentences moderation says to members about decisions and sanctions, in one place to reword."""

from __future__ import annotations

from datetime import datetime

import moderation
from debate.models.moderation import Sanction
from debate.services import council_time
from debate.services.content import ContentType
from moderation import messages

ACTION_PAST = {
    "approve": "approved",
    "hide": "hid",
    "remove": "removed",
    "edit": "edited",
}
STATE_LABELS = {
    "published": "Public",
    "held": "Held: not shown yet",
    "flag_hidden": "Hidden by flags, pending review",
    "approved": "Public (approved)",
    "edited": "Public (edited by a moderator)",
    "hidden": "Hidden by a moderator",
    "removed": "Removed by a moderator",
    "withdrawn": "Deleted by its author",
}
# What a sanctioned member reads where they would write (the form is not shown), one sentence per kind.
RESTRICTION_HEADLINES = {
    "mute": "Your account is muted: you can read, vote and flag, but you can't post, reply, ask questions or chat.",
    "suspension": (
        "Your account is suspended: you can read, but you can't post, reply, ask questions, chat, vote or flag."
    ),
    "ban": "Your account is banned: you can't post, reply, ask questions, chat, vote or flag.",
}
SANCTION_LABELS = {
    "warning": "Warning",
    "mute": "Mute (can't post)",
    "suspension": "Suspension (can't post, flag or vote)",
    "ban": "Ban",
}


def thing(content_type: ContentType) -> str:
    """'reply', 'post', 'question': what the author calls it."""
    return messages.noun(content_type.kind)


def category_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return moderation.label(moderation.Category(value))
    except ValueError:
        return value


def when(moment: datetime | None) -> str:
    return council_time.shown(moment)


def sanction_sentence(sanction: Sanction) -> str:
    """'Your account is muted until 3 March 2025 at 14:05 UTC. Reason: Spam (note).'"""
    reason = category_label(sanction.category) + (f" ({sanction.note})" if sanction.note else "")
    if sanction.kind == "warning":
        return f"You have been given a warning. Reason: {reason}."
    if sanction.kind == "ban":
        return f"Your account is banned. Reason: {reason}."
    verb = "muted" if sanction.kind == "mute" else "suspended"
    return f"Your account is {verb} until {when(sanction.ends_at)}. Reason: {reason}."
