"""Which published order a room uses now, read in one place: most votes, broad support, or its fallback.

A room in broad-support order uses its latest stored bridging result (`SessionBridging`, written by
`live_broad_support`); until that result meets the published thresholds (`live_bridging`) the room is
ordered by votes and says why (`live_order.FALLBACK_RULE`). Every list, page, event and export that shows
the order asks here, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from debate.extensions import db
from debate.models.live import LiveSession, SessionBridging
from debate.services.live import order as live_order


@dataclass(frozen=True)
class InUse:
    """The rule a host chose, and what the room does with it now."""

    rule: str = live_order.VOTES  # the host's choice: a `live_order.RULES` key
    fallback: bool = False  # broad support chosen, thresholds not met (or not computed yet): ordered by votes
    scores: Mapping[int, float] | None = None  # question id -> bridging score; None: by votes
    computed_at: datetime | None = None  # when the scores in use were computed
    voters: int = 0  # voters counted in that computation
    questions: int = 0  # questions it scored

    @property
    def key(self) -> str:
        """ "votes", "broad", or "broad_fallback" (broad support chosen, most votes for now): for scripts, exports."""
        if self.rule != live_order.BROAD:
            return live_order.VOTES
        return "broad_fallback" if self.fallback else live_order.BROAD

    def name(self) -> str:
        """The order in use in a few words ("Broad support"; "Most votes" while broad support waits for votes)."""
        return str(live_order.RULES[live_order.BROAD if self.key == live_order.BROAD else live_order.VOTES])

    def label(self) -> str:
        """One line naming the order in use (the projector, the transcript, above the room's list); while broad
        support waits for votes, the line that says so."""
        if self.key == "broad_fallback":
            return str(live_order.FALLBACK_RULE)
        return _("Order of questions: %(name)s", name=self.name())

    def text(self) -> str:
        """The rule in use in full (the "Top" tab's line, the transcript, the take page), in the language being
        spoken; while broad support waits for votes, the votes rule (`label` says why)."""
        return str(live_order.BROAD_RULE if self.key == live_order.BROAD else live_order.RULE)


def of(session_id: int) -> InUse:
    """The order session `session_id` uses now (one query)."""
    row = db.session.execute(
        select(
            LiveSession.order_rule,
            SessionBridging.fallback,
            SessionBridging.scores,
            SessionBridging.computed_at,
            SessionBridging.voters,
            SessionBridging.questions,
        )
        .outerjoin(SessionBridging, SessionBridging.session_id == LiveSession.id)
        .where(LiveSession.id == session_id)
    ).first()
    if row is None or row.order_rule != live_order.BROAD:
        return InUse()
    if row.fallback is None:  # chosen, not computed yet
        return InUse(rule=live_order.BROAD, fallback=True)
    scores = None if row.fallback else {int(k): float(v) for k, v in (row.scores or {}).items()}
    return InUse(
        rule=live_order.BROAD,
        fallback=bool(row.fallback),
        scores=scores,
        computed_at=row.computed_at,
        voters=row.voters,
        questions=row.questions,
    )
