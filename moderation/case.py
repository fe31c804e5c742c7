"""Everything one evaluation looks at, with the costly facts (tokens, matches, fingerprint) computed once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from moderation import messages
from moderation.inputs import POST_KINDS, AuthorHistory, AuthorStanding, Submission
from moderation.normalise import fingerprint, tokenise
from moderation.policy import Policy
from moderation.wordlist import TermMatch


@dataclass(frozen=True)
class Case:
    submission: Submission
    author: AuthorStanding
    policy: Policy
    history: AuthorHistory
    now: datetime
    show_time: Callable[[datetime], str] = messages.when  # how messages write a time (the app's own format)

    @property
    def fields(self) -> tuple[tuple[str, str], ...]:
        """(field, text) pairs to judge: the title first when there is one."""
        text = (("text", self.submission.text),)
        return (("title", self.submission.title), *text) if self.submission.title is not None else text

    def thing(self, field: str = "text") -> str:
        """How messages name the content: "reply", "question", "title"..."""
        return messages.noun(self.submission.kind, field)

    @property
    def is_post(self) -> bool:
        return self.submission.kind in POST_KINDS

    @property
    def posting_rules_apply(self) -> bool:
        """New-account, pace and pre-moderation rules: for posts by members, not by moderators."""
        return self.is_post and not self.author.staff

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.submission.text, self.submission.title)

    @cached_property
    def matches(self) -> tuple[tuple[str, TermMatch], ...]:
        """(field, match) for every watched term found, title first."""
        watchlist = self.policy.watchlist
        lang = self.submission.lang
        return tuple((field, m) for field, text in self.fields for m in watchlist.scan(tokenise(text), lang))
