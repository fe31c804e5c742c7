"""Every sentence the engine says to an author, in one place: easy to review, reword and translate.

Messages speak to the author ("your reply"), say what happened and what they
can do. Times are written by the app's own function when it gives one (`evaluate(show_time=...)`),
else by `when`: in UTC when naive, as the app stores them.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from moderation.inputs import ContentKind, ContextKind

NOUNS = {
    ContentKind.THREAD: "post",
    ContentKind.REPLY: "reply",
    ContentKind.QUESTION: "question",
    ContentKind.CHAT_MESSAGE: "message",
    ContentKind.DISPLAY_NAME: "display name",
}
PLACES = {ContextKind.FORUM: "discussion", ContextKind.LIVE_SESSION: "session", ContextKind.PROFILE: "page"}
_WILL_CHECK = "A moderator will check it before it is shown."


def noun(kind: ContentKind, field: str = "text") -> str:
    return "title" if field == "title" else NOUNS[kind]


def when(moment: datetime) -> str:
    """'3 March 2025 at 14:05 UTC'."""
    zone = "UTC" if moment.tzinfo is None else moment.strftime("%Z") or moment.strftime("%z")
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} {zone}"


def duration(span: timedelta, *, round_up: bool = True) -> str:
    """'45 seconds', '3 minutes', '2 hours', '5 days': the largest unit that fits, rounded (up for waits)."""
    seconds = max(1.0, span.total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        if seconds >= size:
            count = math.ceil(seconds / size) if round_up else math.floor(seconds / size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "1 second"


def sanctioned(kind: str, until: str | None, reason: str, note: str) -> str:
    """`until`: the sanction's end as the app shows times (`when` unless the app gives its own)."""
    detail = f" Reason: {reason}" + (f" ({note})." if note else ".")
    if kind == "ban":
        return "Your account is banned, so you can't post." + detail
    verb = "muted" if kind == "mute" else "suspended"
    ending = f" until {until}" if until else ""
    return f"Your account is {verb}{ending}, so you can't post until then." + detail


def empty(thing: str) -> str:
    return f"Your {thing} is empty. Please write something."


def too_long(thing: str, size: int, limit: int) -> str:
    return f"Your {thing} is too long: {size:,} characters, and the limit is {limit:,}. Please shorten it."


def control_characters(thing: str) -> str:
    return f"Your {thing} contains invisible control or invalid characters. Please remove them and try again."


def direction_controls(thing: str) -> str:
    return (
        f"Your {thing} contains characters that change the direction text is shown in, "
        f"which can disguise what it says. {_WILL_CHECK}"
    )


def combining_flood(thing: str, limit: int) -> str:
    return (
        f"Your {thing} stacks more than {limit} accent marks on one letter, "
        f"which can spill over other text. {_WILL_CHECK}"
    )


def rate_limited(count: int, period: timedelta, wait: timedelta) -> str:
    posts = "post" if count == 1 else "posts"
    return (
        f"You're posting too quickly: at most {count} {posts} per {duration(period).removeprefix('1 ')}. "
        f"Please wait {duration(wait)} and try again."
    )


def duplicate(ago: timedelta) -> str:
    return f"You posted the same text {duration(ago, round_up=False)} ago. Please don't post the same thing twice."


def new_account(count: int) -> str:
    posts = "post" if count == 1 else f"{count} posts"
    return f"Welcome! The first {posts} from a new account are checked by a moderator before they are shown."


def too_many_links(thing: str, limit: int, action_is_hold: bool) -> str:
    links = "1 link" if limit == 1 else f"{limit} links"
    allowed = "no links" if limit == 0 else f"at most {links}"
    follow = _WILL_CHECK if action_is_hold else "Please remove some and try again."
    return f"New accounts can include {allowed} in a {thing}. {follow}"


def links_in_name() -> str:
    return "Display names can't contain links."


def premoderated(place: ContextKind, thing: str) -> str:
    return f"This {PLACES[place]} reviews every {thing} before it is shown."


def watched_blocked(thing: str, text: str, category: str) -> str:
    return (
        f"Your {thing} can't be published because it contains “{text}”, "
        f"which isn't allowed here ({category}). Please rephrase it."
    )


def watched_held(thing: str, text: str) -> str:
    return f"Your {thing} contains “{text}”. {_WILL_CHECK}"


def watched_guess(thing: str, text: str, category: str) -> str:
    return (
        f"Your {thing} contains “{text}”, which looks like wording that isn't allowed here ({category}). {_WILL_CHECK}"
    )


def watched_flagged(text: str, category: str) -> str:
    return f"Contains “{text}”, a watched term ({category})."
