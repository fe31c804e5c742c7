"""Who may do what in a live room: host, panel, moderator, and what a sanction takes away.

Asked by the session rules, the event log (what a joining reader is sent), the pages and the
socket handlers; it reads only the person and the session, so all of them can import it.
"""

from __future__ import annotations

import moderation
from debate.models.accounts import User
from debate.models.live import LiveSession
from debate.permissions import Permission, has, signed_in
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.standing import allows


def may_schedule(user: User | None) -> bool:
    return has(user, Permission.MANAGE_TOPICS) or has(user, Permission.ANSWER_AS_REPRESENTATIVE)


def is_host(user: User | None, live: LiveSession) -> bool:
    """The host runs the room: whoever scheduled it, and any admin."""
    if not signed_in(user):
        return False
    return (user.id == live.host_id and has(user, Permission.POST)) or has(user, Permission.MANAGE_TOPICS)


def is_panelist(user: User | None, live: LiveSession) -> bool:
    """The role first: `panel_ids` loads the panel, a query a resident's join need not make."""
    return signed_in(user) and has(user, Permission.ANSWER_AS_REPRESENTATIVE) and user.id in live.panel_ids


def may_answer(user: User | None, live: LiveSession) -> bool:
    """The panel answers; the host may also mark what is being answered (they run the room)."""
    return is_panelist(user, live) or is_host(user, live)


def is_moderator(user: User | None) -> bool:
    return has(user, Permission.MODERATE)


def roles(user: User | None, live: LiveSession) -> dict[str, bool]:
    """What this person may do in the room: the page and the socket's join answer both show it.

    A sanction in force takes away what it forbids (a muted member still votes and flags), so the room
    offers only what they can use; the page says why (moderation_standing.restriction).
    """
    sanction = moderation_standing.restriction(user)
    return {
        "signed_in": signed_in(user),
        "can_ask": has(user, Permission.POST) and allows(sanction, moderation.Capability.POST),
        "can_vote": has(user, Permission.POST) and allows(sanction, moderation.Capability.VOTE),
        "can_flag": has(user, Permission.FLAG) and allows(sanction, moderation.Capability.FLAG),
        "host": is_host(user, live),
        "panel": is_panelist(user, live),
        "answer": may_answer(user, live),
        "moderator": is_moderator(user),
    }
