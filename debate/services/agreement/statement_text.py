"""What a statement may say: at most 140 characters as people see them, on one or more lines.

One rule for residents' statements (`statements`) and the host's opening ones (`rounds`), counted like
every other limit on the site (`services.text`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from debate.services.text import clean_text

BODY_MAX = 140  # characters as people see them


def clean_body(value: object, field: str = "body") -> str:
    """A statement as written (trimmed), at most BODY_MAX characters; empty or too long is refused."""
    return clean_text(
        value,
        field,
        BODY_MAX,
        missing=_l("Write your statement before sending it."),
        too_long=_l("Your statement is too long: %(count)s characters, and the limit is %(limit)s. Please shorten it."),
    )
