"""The one entry point for user content: `evaluate` answers PUBLISH, HOLD or REJECT, with reasons.

Rules run in stages, cheapest and most decisive first; after a stage that
rejects, later stages are skipped (no point scanning a 1 MB text for words, or
telling a banned author their post would be held). Within the last stage every
rule runs, so the author learns every reason at once. The most severe action
wins and its reasons are the ones shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from moderation import messages, rules_author, rules_text
from moderation.case import Case
from moderation.inputs import AuthorHistory, AuthorStanding, Submission
from moderation.policy import Policy
from moderation.reasons import Action, Reason, ReasonCode, severity
from moderation.verdict import Match, Verdict

Check = Callable[[Case], list[Reason]]

STAGES: tuple[tuple[Check, ...], ...] = (
    (rules_author.standing,),
    (rules_text.shape, rules_text.controls),
    (rules_author.rate_limits, rules_author.duplicates),
    (
        rules_text.watched_terms,
        rules_text.direction,
        rules_text.marks,
        rules_author.links,
        rules_author.first_posts,
        rules_author.premoderation,
    ),
)


def evaluate(
    submission: Submission,
    author: AuthorStanding,
    policy: Policy,
    history: AuthorHistory,
    now: datetime,
    show_time: Callable[[datetime], str] = messages.when,
) -> Verdict:
    """Judge one submission. Pure: the same inputs always give the same verdict.

    `show_time` writes a time in a message (a sanction's end): the app passes its own format, on the
    council's clock, so a refusal reads like every page; by default naive times are shown as UTC.
    """
    case = Case(submission, author, policy, history, now, show_time)
    found: list[Reason] = []
    stages_run = 0
    for stage in STAGES:
        stages_run += 1
        for check in stage:
            found.extend(check(case))
        if any(r.action is Action.REJECT for r in found):
            break
    # The fingerprint is worth computing once the text passed the shape checks; matches exist
    # only if the content stage ran.
    fingerprint = case.fingerprint if stages_run > _SHAPE_STAGE else ""
    matches = _matches(case) if stages_run == len(STAGES) else ()
    return _verdict(found, matches, fingerprint)


_SHAPE_STAGE = 2


def _matches(case: Case) -> tuple[Match, ...]:
    return tuple(
        Match(m.term.text, m.term.action, m.term.category, m.text, m.certain, field) for field, m in case.matches
    )


def _verdict(found: list[Reason], matches: tuple[Match, ...], fingerprint: str) -> Verdict:
    flags = tuple(r for r in found if r.code is ReasonCode.WATCHED_FLAGGED)
    deciding = [r for r in found if r.code is not ReasonCode.WATCHED_FLAGGED]
    action = max((r.action for r in deciding), key=severity, default=Action.PUBLISH)
    reasons = tuple(r for r in deciding if r.action is action and action is not Action.PUBLISH)
    return Verdict(action, reasons, flags, matches, fingerprint)
