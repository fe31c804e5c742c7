"""The one gate all user content passes before it is stored: ask the moderation engine.

Usage in a feature service, inside its single transaction:

    verdict = publishing.screen(user, ContentKind.REPLY, text, context=Context(...))
    reply = Reply(..., state=publishing.initial_state(verdict), fingerprint=verdict.fingerprint)
    db.session.add(reply); db.session.flush()
    publishing.screened("reply", reply, verdict)   # lets moderation queue held/flagged items
    db.session.commit()

A rejected submission raises a ValidationError (RateLimited for pace) whose
message is the engine's reason, so the author is told why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import moderation
from debate.errors import RateLimited, ValidationError
from debate.models.accounts import User
from debate.models.base import utcnow
from debate.services import content, council_time
from debate.services.moderation import text as moderation_text

PolicyProvider = Callable[[], moderation.Policy]
StandingHook = Callable[[User], dict[str, Any]]
ScreenedListener = Callable[[str, Any, moderation.Verdict], None]

_policy_provider: PolicyProvider = moderation.Policy
_standing_hooks: list[StandingHook] = []
_listeners: list[ScreenedListener] = []


def set_policy_provider(provider: PolicyProvider) -> None:
    """Moderation settings (admin-configurable) supply the policy; default: engine defaults."""
    global _policy_provider
    _policy_provider = provider


def policy() -> moderation.Policy:
    return _policy_provider()


def add_standing_hook(hook: StandingHook) -> None:
    """Extra AuthorStanding fields (e.g. sanctions, flag record) from other features."""
    _standing_hooks.append(hook)


def on_screened(listener: ScreenedListener) -> None:
    """Called for every stored submission with its verdict (moderation queues held items)."""
    _listeners.append(listener)


def standing(user: User) -> moderation.AuthorStanding:
    fields: dict[str, Any] = {"approved_posts": content.approved_posts(user.id)}
    for hook in _standing_hooks:
        fields.update(hook(user))
    return moderation.AuthorStanding(str(user.id), moderation.Role(user.role), user.created_at, **fields)


def screen(
    user: User,
    kind: moderation.ContentKind,
    text: str,
    *,
    title: str | None = None,
    context: moderation.Context | None = None,
    lang: str | None = None,
) -> moderation.Verdict:
    """Judge a submission; raise with the engine's reason, in the author's language, when it is rejected.

    `lang` is the language the author marked the post as written in: a watched-word list for one language
    (the council's Welsh list) applies to posts in it and to posts whose language is not known.
    """
    now = utcnow()
    rules = policy()
    since = now - rules.history_window()
    history = moderation.AuthorHistory(
        tuple(moderation.PastPost(at, fp) for at, fp in content.recent_posts(user.id, since))
    )
    context = context or moderation.Context()
    submission = moderation.Submission(kind, text if isinstance(text, str) else "", context, title, lang)
    verdict = moderation.evaluate(submission, standing(user), rules, history, now, council_time.shown)
    if verdict.rejected:
        reason = verdict.reasons[0]
        message = " ".join(moderation_text.author_message(r, kind, context) for r in verdict.reasons)
        if verdict.retry_after is not None:
            raise RateLimited(message)
        raise ValidationError(message, reason.field)
    return verdict


def initial_state(verdict: moderation.Verdict) -> str:
    return moderation.ReviewState.HELD.value if verdict.held else moderation.ReviewState.PUBLISHED.value


def screened(type_name: str, row: Any, verdict: moderation.Verdict) -> None:
    """Tell listeners (moderation) about a stored submission, inside the caller's transaction."""
    for listener in _listeners:
        listener(type_name, row, verdict)
