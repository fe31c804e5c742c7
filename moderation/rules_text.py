"""Rules about the text itself: blank, too long, control characters, direction tricks, stacked accents,
and watched words. Each takes the Case and returns the Reasons it finds (none when all is well).
"""

from __future__ import annotations

from moderation import messages, textshape
from moderation.case import Case
from moderation.categories import label
from moderation.reasons import Action, Reason, ReasonCode
from moderation.wordlist import TermAction, TermMatch

_QUOTE_MAX = 60


def shape(case: Case) -> list[Reason]:
    """Empty or over the limit. Length comes before the full blank scan, so a huge text costs nothing."""
    found = []
    for field, text in case.fields:
        limit = case.policy.limits.title if field == "title" else case.policy.limits.for_kind(case.submission.kind)
        rule = "limits.title" if field == "title" else f"limits.{case.submission.kind.value}"
        size = len(text) if len(text) > textshape.CODE_POINTS_PER_CHARACTER * limit else textshape.length(text)
        if not text.strip():
            found.append(_empty(case, field))
        elif size > limit:
            message = messages.too_long(case.thing(field), size, limit)
            params = {"length": size, "limit": limit}
            found.append(Reason(ReasonCode.TOO_LONG, message, rule, Action.REJECT, field, params))
        elif textshape.is_blank(text):
            found.append(_empty(case, field))
    return found


def _empty(case: Case, field: str) -> Reason:
    return Reason(ReasonCode.EMPTY, messages.empty(case.thing(field)), "text.empty", Action.REJECT, field)


def controls(case: Case) -> list[Reason]:
    """C0/C1 controls (NUL, ESC...) are refused outright: they break storage and terminals, and mean nothing."""
    return [
        Reason(
            ReasonCode.CONTROL_CHARACTERS,
            messages.control_characters(case.thing(field)),
            "text.control_characters",
            Action.REJECT,
            field,
            {"count": count},
        )
        for field, text in case.fields
        if (count := textshape.control_characters(text))
    ]


def direction(case: Case) -> list[Reason]:
    """Bidi overrides can make text read differently than it is stored; a person decides (configurable)."""
    action = case.policy.text.direction_controls_action
    return [
        Reason(
            ReasonCode.DIRECTION_CONTROLS,
            messages.direction_controls(case.thing(field)),
            "text.direction_controls_action",
            action,
            field,
        )
        for field, text in case.fields
        if textshape.has_direction_controls(text)
    ]


def marks(case: Case) -> list[Reason]:
    """Dozens of accents on one letter ("Zalgo") spill over neighbouring lines; held, not rejected."""
    limit = case.policy.text.max_combining_marks
    return [
        Reason(
            ReasonCode.COMBINING_FLOOD,
            messages.combining_flood(case.thing(field), limit),
            "text.max_combining_marks",
            Action.HOLD,
            field,
            {"limit": limit, "found": stack},
        )
        for field, text in case.fields
        if (stack := textshape.longest_mark_stack(text)) > limit
    ]


def watched_terms(case: Case) -> list[Reason]:
    """One reason per watched term found: BLOCK rejects, HOLD holds, FLAG publishes with a system flag."""
    return [_term_reason(case, field, match) for field, match in case.matches]


def _term_reason(case: Case, field: str, match: TermMatch) -> Reason:
    term, thing = match.term, case.thing(field)
    quoted = match.text if len(match.text) <= _QUOTE_MAX else match.text[: _QUOTE_MAX - 1] + "…"
    category = label(term.category).lower()
    rule = f"watchlist:{term.text}"
    params = {"term": term.text, "text": quoted, "category": term.category.value, "certain": match.certain}
    if term.action is TermAction.FLAG:
        message = messages.watched_flagged(quoted, category)
        return Reason(ReasonCode.WATCHED_FLAGGED, message, rule, Action.PUBLISH, field, params)
    if term.action is TermAction.HOLD:
        return Reason(ReasonCode.WATCHED_HELD, messages.watched_held(thing, quoted), rule, Action.HOLD, field, params)
    if match.certain or case.policy.watchlist.block_guesses:
        message = messages.watched_blocked(thing, quoted, category)
        return Reason(ReasonCode.WATCHED_BLOCKED, message, rule, Action.REJECT, field, params)
    message = messages.watched_guess(thing, quoted, category)
    return Reason(ReasonCode.WATCHED_HELD, message, rule, Action.HOLD, field, params)
