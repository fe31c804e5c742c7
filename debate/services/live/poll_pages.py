"""What the pages show of a session's polls: the room, the projector, the transcript and the host's list.

Each poll comes with its results as this reader may see them (hidden from residents until it closes,
when the host chose so; those who run the session always see them), the reader's own answer, and
whether they may answer now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import moderation
from debate.models.accounts import User
from debate.models.live import LiveSession
from debate.models.polls import Poll, PollAnswer
from debate.permissions import Permission, has
from debate.services import bilingual
from debate.services.live import poll_results, polls
from debate.services.live import sessions as live_sessions
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.standing import allows


@dataclass
class PollView:
    poll: Poll
    results: poll_results.Results
    mine: PollAnswer | None = None
    may_answer: bool = False


def _may_answer(user: User | None, poll: Poll) -> bool:
    if poll.state != Poll.OPEN or poll.session.state != LiveSession.LIVE or not has(user, Permission.POST):
        return False
    need = moderation.Capability.POST if poll.kind == Poll.TEXT else moderation.Capability.VOTE
    return allows(moderation_standing.restriction(user), need)


def view(user: User | None, poll: Poll) -> PollView:
    staff = polls.may_run(user, poll.session)
    return PollView(poll, poll_results.results(poll, staff), polls.mine(user, poll), _may_answer(user, poll))


def room_polls(user: User | None, live: LiveSession) -> list[PollView]:
    """The room's polls, open ones first (drafts for those who run the session, in the staff tools)."""
    shown = [view(user, p) for p in polls.listing(live, user)]
    rank = {Poll.OPEN: 0, Poll.DRAFT: 1, Poll.CLOSED: 2}
    return sorted(shown, key=lambda v: (rank[v.poll.state], v.poll.position, v.poll.id))


def projector_polls(live: LiveSession) -> list[PollView]:
    """The projector shows the open polls' results large (as everyone may see them)."""
    return [view(None, p) for p in polls.listing(live, None) if p.state == Poll.OPEN]


def closed_polls(live: LiveSession) -> list[PollView]:
    """The transcript's polls: the closed ones and their final results."""
    return [view(None, p) for p in polls.listing(live, None) if p.state == Poll.CLOSED]


def manage(user: User | None, session_id: object, editing: object = None) -> dict[str, Any]:
    """The host's poll list and form for a session (refused to anyone who may not run its polls)."""
    live = live_sessions.get(session_id)
    polls.require_run(user, live)
    chosen = None
    if editing not in (None, ""):
        chosen = polls.get(editing, live.id)
    return {
        "live": live,
        "title": bilingual.pick(live, "title"),
        "polls": [view(user, p) for p in polls.listing(live, user)],
        "editing": chosen,
        "limits": {
            "question": polls.QUESTION_MAX,
            "question_min": polls.QUESTION_MIN,
            "option": polls.OPTION_MAX,
            "options": polls.OPTIONS_MAX,
            "options_min": polls.OPTIONS_MIN,
        },
    }
