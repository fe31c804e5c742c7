"""Screening what is not a post: display names go through the same engine as everything else.

A display name is public on every page, and nobody reviews it before it shows,
so a name the engine would hold is refused like a blocked one, with the
engine's reason (less its promise that a moderator will check it). Names with
FLAG terms pass: there is no queue item for a name yet.
"""

from __future__ import annotations

from flask_babel import gettext as _

import moderation
from debate.errors import ValidationError
from debate.models.base import utcnow
from debate.services import publishing
from debate.services.moderation.text import author_message

_PROFILE = moderation.Context(moderation.ContextKind.PROFILE)


def display_name_max() -> int:
    """The most characters a display name may have (the policy's `limits.display_name`, which the engine checks too)."""
    return publishing.policy().limits.display_name


def display_name(name: str, person_id: str = "new") -> str:
    """Return the name, or raise ValidationError with the engine's reason (field `display_name`)."""
    now = utcnow()
    author = moderation.AuthorStanding(person_id, moderation.Role.RESIDENT, joined_at=now)
    submission = moderation.Submission(moderation.ContentKind.DISPLAY_NAME, name, _PROFILE)
    verdict = moderation.evaluate(submission, author, publishing.policy(), moderation.AuthorHistory(), now)
    kind, context = moderation.ContentKind.DISPLAY_NAME, _PROFILE
    if verdict.rejected:
        raise ValidationError(" ".join(author_message(r, kind, context) for r in verdict.reasons), "display_name")
    if verdict.held:
        will_check = _("A moderator will check it before it is shown.")
        reasons = " ".join(author_message(r, kind, context).replace(will_check, "").strip() for r in verdict.reasons)
        raise ValidationError(_("%(reasons)s Please choose another display name.", reasons=reasons), "display_name")
    return name
