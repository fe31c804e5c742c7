"""Columns every piece of moderated user content carries (threads, replies, questions, chat).

Moderation state lives on the content row itself, so a page listing replies
needs no join to know which to show and which to replace with a placeholder.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from debate.models.base import utcnow


class ModeratedMixin:
    # moderation.ReviewState value: published, held, flag_hidden, approved, edited, hidden, removed, withdrawn
    state: Mapped[str] = mapped_column(String(20), default="published", index=True)
    # moderation.Category value when hidden/removed/edited, shown in the public placeholder
    state_category: Mapped[str | None] = mapped_column(String(40))
    # a moderator's note to the author (never public)
    state_note: Mapped[str | None] = mapped_column(Text)
    # moderation.fingerprint of the text: repeated-post detection without re-reading bodies
    fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    PUBLIC_STATES = ("published", "approved", "edited")

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES
