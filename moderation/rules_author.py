"""Rules about the author and the place: sanctions, pace, repeats, new accounts, links, pre-moderation.

Moderators and admins are exempt from the posting rules (they answer fast in
live sessions and post the same notices), never from sanctions or watched words.
"""

from __future__ import annotations

import math

from moderation import messages, sanctions, textshape
from moderation.case import Case
from moderation.categories import label
from moderation.inputs import ContentKind
from moderation.normalise import comparable
from moderation.reasons import Action, Reason, ReasonCode

_SANCTION_CODES = {
    sanctions.SanctionKind.MUTE: ReasonCode.MUTED,
    sanctions.SanctionKind.SUSPENSION: ReasonCode.SUSPENDED,
    sanctions.SanctionKind.BAN: ReasonCode.BANNED,
}


def standing(case: Case) -> list[Reason]:
    """A muted, suspended or banned author is refused, with the sanction's reason and end."""
    sanction = sanctions.blocking(case.author.sanctions, sanctions.Capability.POST, case.now)
    if sanction is None:
        return []
    category = label(sanction.category).lower()
    until = case.show_time(sanction.ends_at) if sanction.ends_at else None
    message = messages.sanctioned(sanction.kind.value, until, category, sanction.note)
    params = {
        "sanction_id": sanction.id,
        "kind": sanction.kind.value,
        "until": sanction.ends_at.isoformat() if sanction.ends_at else None,
        "category": sanction.category.value,
    }
    return [Reason(_SANCTION_CODES[sanction.kind], message, "sanctions", Action.REJECT, "text", params)]


def rate_limits(case: Case) -> list[Reason]:
    """At most `max_posts` accepted posts in any `per`; a post exactly `per` ago no longer counts."""
    if not case.posting_rules_apply:
        return []
    found = []
    for index, limit in enumerate(case.policy.rate_limits):
        times = sorted(p.at for p in case.history.recent_posts if case.now - p.at < limit.per)
        if len(times) >= limit.max_posts:
            wait = times[len(times) - limit.max_posts] + limit.per - case.now
            seconds = math.ceil(wait.total_seconds())
            message = messages.rate_limited(limit.max_posts, limit.per, wait)
            params = {
                "max_posts": limit.max_posts,
                "per_seconds": limit.per.total_seconds(),
                "retry_after_seconds": seconds,
            }
            found.append(
                Reason(ReasonCode.RATE_LIMITED, message, f"rate_limits[{index}]", Action.REJECT, "text", params)
            )
    return found


def duplicates(case: Case) -> list[Reason]:
    """The same text (ignoring case, spacing, punctuation, invisibles) again within the window."""
    rule = case.policy.duplicates
    if not case.posting_rules_apply or len(comparable(case.submission.text)) < rule.min_chars:
        return []
    times = [
        p.at for p in case.history.recent_posts if p.fingerprint == case.fingerprint and case.now - p.at < rule.window
    ]
    if not times:
        return []
    ago = case.now - max(times)
    message = messages.duplicate(ago)
    return [
        Reason(ReasonCode.DUPLICATE, message, "duplicates", Action.REJECT, "text", {"ago_seconds": ago.total_seconds()})
    ]


def is_new(case: Case) -> bool:
    rules = case.policy.new_accounts
    author = case.author
    return case.now - author.joined_at < rules.new_for or author.approved_posts < rules.new_until_posts


def links(case: Case) -> list[Reason]:
    """No links in display names; few links in posts from new accounts, where link spam comes from."""
    count = sum(textshape.links(text) for _, text in case.fields)
    if case.submission.kind is ContentKind.DISPLAY_NAME and count:
        return [
            Reason(
                ReasonCode.TOO_MANY_LINKS, messages.links_in_name(), "links", Action.REJECT, "text", {"links": count}
            )
        ]
    rules = case.policy.new_accounts
    if not case.posting_rules_apply or count <= rules.max_links or not is_new(case):
        return []
    held = rules.links_action is Action.HOLD
    message = messages.too_many_links(case.thing(), rules.max_links, held)
    params = {"links": count, "limit": rules.max_links}
    return [Reason(ReasonCode.TOO_MANY_LINKS, message, "new_accounts.max_links", rules.links_action, "text", params)]


def first_posts(case: Case) -> list[Reason]:
    """Hold posts until the account has `hold_first_posts` approved ones."""
    wanted = case.policy.new_accounts.hold_first_posts
    if not case.posting_rules_apply or case.author.approved_posts >= wanted:
        return []
    message = messages.new_account(wanted)
    params = {"approved_posts": case.author.approved_posts, "hold_first_posts": wanted}
    return [Reason(ReasonCode.NEW_ACCOUNT, message, "new_accounts.hold_first_posts", Action.HOLD, "text", params)]


def premoderation(case: Case) -> list[Reason]:
    """A place that reviews everything of this kind (a live session's questions) holds it, for everyone."""
    context = case.submission.context
    if not case.posting_rules_apply or case.submission.kind not in context.premoderated:
        return []
    message = messages.premoderated(context.kind, case.thing())
    return [
        Reason(ReasonCode.PREMODERATED, message, "context.premoderated", Action.HOLD, "text", {"context": context.id})
    ]
