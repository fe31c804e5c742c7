"""The admin's settings for moderation, as data: stored as JSON with `to_dict` / `from_dict`.

Every rule a reason cites is a path in here (e.g. `new_accounts.hold_first_posts`),
so an admin reading a reason can find the setting that produced it.
Durations are timedeltas in Python and seconds in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from moderation import serial
from moderation.appeals import AppealRules
from moderation.flags import FlagRules
from moderation.inputs import ContentKind
from moderation.reasons import Action
from moderation.wordlist import WatchList


@dataclass(frozen=True)
class LengthLimits:
    """Maximum characters per content kind; a thread's title has its own limit."""

    thread: int = 10_000
    reply: int = 5_000
    question: int = 500
    chat_message: int = 500
    display_name: int = 60
    title: int = 150

    def __post_init__(self) -> None:
        if min(self.thread, self.reply, self.question, self.chat_message, self.display_name, self.title) < 1:
            raise ValueError("every limit must be at least 1")

    def for_kind(self, kind: ContentKind) -> int:
        return int(getattr(self, kind.value))


@dataclass(frozen=True)
class NewAccountRules:
    """Extra care for new accounts, where most spam and drive-by abuse comes from."""

    hold_first_posts: int = 2  # hold posts until this many were approved; 0 disables
    new_for: timedelta = timedelta(days=7)  # an account is new while younger than this...
    new_until_posts: int = 5  # ...or while it has fewer approved posts than this
    max_links: int = 1  # links allowed per post while new
    links_action: Action = Action.HOLD  # what happens to a post over the link limit

    def __post_init__(self) -> None:
        if self.hold_first_posts < 0 or self.new_until_posts < 0 or self.max_links < 0:
            raise ValueError("counts must not be negative")
        if self.links_action is Action.PUBLISH:
            raise ValueError("links_action must be hold or reject")


@dataclass(frozen=True)
class RateLimit:
    max_posts: int
    per: timedelta

    def __post_init__(self) -> None:
        if self.max_posts < 1 or self.per <= timedelta(0):
            raise ValueError("a rate limit needs at least 1 post over a positive period")


@dataclass(frozen=True)
class DuplicateRule:
    """Refuse the same text from the same author within `window`; short texts ("thanks!") may repeat."""

    window: timedelta = timedelta(minutes=10)
    min_chars: int = 12

    def __post_init__(self) -> None:
        if self.min_chars < 0:
            raise ValueError("min_chars must not be negative")


@dataclass(frozen=True)
class TextRules:
    max_combining_marks: int = 4  # accents on one letter; Vietnamese needs 2, Hebrew with cantillation up to 4
    direction_controls_action: Action = Action.HOLD

    def __post_init__(self) -> None:
        if self.max_combining_marks < 1:
            raise ValueError("max_combining_marks must be at least 1")


@dataclass(frozen=True)
class Policy:
    limits: LengthLimits = field(default_factory=LengthLimits)
    new_accounts: NewAccountRules = field(default_factory=NewAccountRules)
    rate_limits: tuple[RateLimit, ...] = (
        RateLimit(5, timedelta(minutes=1)),
        RateLimit(60, timedelta(hours=1)),
    )
    duplicates: DuplicateRule = field(default_factory=DuplicateRule)
    text: TextRules = field(default_factory=TextRules)
    watchlist: WatchList = field(default_factory=WatchList)
    flags: FlagRules = field(default_factory=FlagRules)
    appeals: AppealRules = field(default_factory=AppealRules)

    def history_window(self) -> timedelta:
        """How far back AuthorHistory.recent_posts must reach for the pace rules to see everything."""
        return max([self.duplicates.window, *(limit.per for limit in self.rate_limits)])

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = serial.dump(self)  # a dataclass dumps to a dict
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Policy:
        """Load stored settings; raises PolicyError naming the first bad setting."""
        return serial.load(cls, data, "policy")
