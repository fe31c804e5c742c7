"""Builders for engine inputs: plain values, no app, no fixtures from tests/conftest.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from moderation import (
    AuthorHistory,
    AuthorStanding,
    ContentKind,
    Context,
    Policy,
    Role,
    Submission,
    TermAction,
    Verdict,
    WatchedTerm,
    WatchList,
    evaluate,
)

NOW = datetime(2025, 3, 1, 12, 0)


def member(**changes) -> AuthorStanding:
    """An established resident in good standing: past every new-account rule."""
    values = {"person_id": "100", "role": Role.RESIDENT, "joined_at": NOW - timedelta(days=365), "approved_posts": 50}
    return AuthorStanding(**(values | changes))


def newcomer(**changes) -> AuthorStanding:
    return member(**({"joined_at": NOW - timedelta(hours=2), "approved_posts": 0} | changes))


def watching(*words: str, action: TermAction = TermAction.HOLD, **policy) -> Policy:
    terms = tuple(WatchedTerm(w, action) for w in words)
    return Policy(watchlist=WatchList(terms), **policy)


def judge(
    text: str,
    *,
    author: AuthorStanding | None = None,
    policy: Policy | None = None,
    history: AuthorHistory | None = None,
    kind: ContentKind = ContentKind.REPLY,
    context: Context | None = None,
    title: str | None = None,
    now: datetime = NOW,
) -> Verdict:
    submission = Submission(kind, text, context or Context(), title)
    return evaluate(submission, author or member(), policy or Policy(), history or AuthorHistory(), now)


def codes(verdict: Verdict) -> set[str]:
    return {r.code.value for r in verdict.reasons}
