"""Small-cell suppression: no report shows a count of fewer than ten people, or lets one be worked out.

The rule (docs/consultation.md states it for readers):
1. A report on fewer than `threshold()` participants shows nothing but "fewer than 10 participants".
2. Primary: every cell (a category, "Prefer not to say", "Not answered", "answered") with a count below the
   threshold, zero included, is suppressed: shown as "fewer than 10", never a number or a share.
3. Secondary: each question is two sums whose totals are shown: its categories add up to those who answered
   (revealed by the shares), and answered + prefer not to say + not answered add up to the participants. In
   each sum, when exactly one cell is suppressed, the smallest shown cell beside it is suppressed too (for
   the second sum, the other of "prefer not to say" and "not answered"), so no suppressed cell equals a
   shown total minus shown cells. When "answered" itself is suppressed, every category is.
4. Open-ended answers (postcode districts) not in the census profile and given by fewer than ten people are
   merged into one "other districts" cell before all this: their names never appear.
"""

from __future__ import annotations

from flask import current_app, has_app_context

SMALLEST = 10  # the floor: configuration can raise the threshold, never lower it


def threshold() -> int:
    configured = current_app.config.get("EQUALITY_MIN_CELL", SMALLEST) if has_app_context() else SMALLEST
    return max(SMALLEST, int(configured))


def primary(counts: dict[str, int], k: int) -> set[str]:
    return {key for key, n in counts.items() if n < k}


def secondary(counts: dict[str, int], hidden: set[str], candidates: list[str] | None = None) -> set[str]:
    """`hidden` plus, when it holds exactly one of `counts`' keys, the smallest other cell (among `candidates`)."""
    inside = hidden & counts.keys()
    if len(inside) != 1:
        return set(hidden)
    pool = [key for key in (candidates if candidates is not None else counts) if key in counts and key not in hidden]
    if not pool:
        return set(hidden)
    smallest = min(pool, key=lambda key: (counts[key], key))
    return set(hidden) | {smallest}


def suppress_question(categories: dict[str, int], prefer_not: int, not_answered: int, k: int) -> set[str]:
    """The keys to hide for one question: category keys, "prefer_not", "not_answered" and "answered"."""
    answered = sum(categories.values())
    outer = {"answered": answered, "prefer_not": prefer_not, "not_answered": not_answered}
    hidden = primary(outer, k)
    hidden = secondary(outer, hidden, candidates=["prefer_not", "not_answered"])
    if "answered" in hidden:
        return hidden | set(categories)
    hidden |= primary(categories, k)
    return secondary(categories, hidden)
