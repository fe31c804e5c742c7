"""What one reader may do with the posts on a page: the templates ask this, never the session.

A page builds a `Viewer` for the signed-in person; a live fragment (broadcast
to everyone reading a thread) is rendered for `Viewer.everyone()`, which shows
the actions any member has (quote, helpful, flag), each marked with what it
needs (`data-needs`), and none that belong to one person. A member under a
sanction is offered only what it leaves them (`restriction`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

import moderation
from debate import permissions
from debate.models.accounts import User
from debate.models.forums import Reply, Thread
from debate.permissions import Permission, has, signed_in
from debate.services import bilingual
from debate.services.forums.access import check_delete, check_edit
from debate.services.moderation import standing as moderation_standing
from debate.services.moderation.standing import Restriction, allows

STANCE_LABELS = {"for": _l("For"), "against": _l("Against"), "neutral": _l("Neutral"), "question": _l("Question")}


@dataclass
class Viewer:
    user: User | None = None
    my_votes: set[int] = field(default_factory=set)
    official_id: int | None = None
    live: bool = False
    official_cy: str = ""  # the official response's Welsh version, if its representative wrote one

    @classmethod
    def everyone(cls, official_id: int | None = None, official_cy: str = "") -> Viewer:
        return cls(None, set(), official_id, live=True, official_cy=official_cy)

    def official_text(self, reply: Reply) -> bilingual.Shown | None:
        """The official response in the reader's language (its Welsh version for Welsh readers, when written);
        None for any other reply, or when there is no Welsh version to choose between."""
        if reply.id != self.official_id or not (self.official_cy or "").strip():
            return None
        shown = bilingual.pick(SimpleNamespace(body=reply.body, body_cy=self.official_cy), "body")
        if shown.lang != bilingual.WELSH and reply.lang:
            return bilingual.Shown(shown.text, reply.lang)
        return shown

    @property
    def signed_in(self) -> bool:
        return signed_in(self.user)

    @cached_property
    def restriction(self) -> Restriction | None:
        """The sanction that stops this reader writing now, if any (asked once per page)."""
        return None if self.live else moderation_standing.restriction(self.user)

    @property
    def can_post(self) -> bool:
        return self.live or (has(self.user, Permission.POST) and allows(self.restriction, moderation.Capability.POST))

    @property
    def can_flag(self) -> bool:
        return self.live or (has(self.user, Permission.FLAG) and allows(self.restriction, moderation.Capability.FLAG))

    @property
    def may(self) -> str:
        """What this reader may do with posts that arrive live ("post vote flag"): forums.js drops the rest."""
        if not self.signed_in or not has(self.user, Permission.POST):
            return ""
        wanted = (("post", moderation.Capability.POST), ("vote", moderation.Capability.VOTE))
        doing = [name for name, capability in wanted if allows(self.restriction, capability)]
        return " ".join(doing + (["flag"] if self.can_flag else []))

    def is_author(self, item: Thread | Reply) -> bool:
        return self.signed_in and self.user is not None and item.author_id == self.user.id

    def can_edit(self, item: Thread | Reply) -> bool:

        return self.is_author(item) and self.can_post and permissions.allows(check_edit, self.user, item)

    def can_delete(self, item: Thread | Reply) -> bool:

        return self.is_author(item) and permissions.allows(check_delete, self.user, item)

    def can_vote(self, reply: Reply) -> bool:
        if self.live:
            return reply.is_public
        may_vote = has(self.user, Permission.POST) and allows(self.restriction, moderation.Capability.VOTE)
        return reply.is_public and may_vote and not self.is_author(reply)

    def can_mark_official(self, reply: Reply) -> bool:
        return (
            not self.live
            and self.is_author(reply)
            and reply.is_public
            and has(self.user, Permission.ANSWER_AS_REPRESENTATIVE)
        )

    def shows_text(self, item: Thread | Reply) -> bool:
        """Public posts show their text; the author also sees their own held or hidden text."""
        if item.is_public:
            return True
        return self.is_author(item) and item.state in ("held", "hidden", "flag_hidden")


def placeholder(item: Thread | Reply) -> str:
    """What readers see instead of a post that is not public (the moderation engine's wording)."""
    try:
        state = moderation.ReviewState(item.state)
    except ValueError:
        return str(_l("Not shown"))
    category = None
    if item.state_category:
        try:
            category = moderation.Category(item.state_category)
        except ValueError:
            category = moderation.Category.OTHER
    if state is moderation.ReviewState.HELD:
        return str(_l("Awaiting review"))
    return moderation.placeholder(state, category) or ""


def moderator_note(item: Thread | Reply) -> str | None:
    """'Edited by a moderator: <reason>' on content a moderator changed, else None."""
    if item.state != "edited":
        return None
    try:
        category = moderation.Category(item.state_category) if item.state_category else None
    except ValueError:
        category = None
    return moderation.edited_note(category)
