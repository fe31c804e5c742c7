"""The council's name in the reader's language: COUNCIL_NAME, and COUNCIL_NAME_CY on Welsh pages and emails."""

from __future__ import annotations

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

DEFAULT = "Your Council"  # config.py's default, which has a Welsh of its own
DEFAULT_SHOWN = _l("Your Council")


def council_name() -> str:
    """What pages and emails call the council, in the language being written."""
    config = current_app.config
    locale = get_locale()
    if locale is not None and locale.language == "cy" and config.get("COUNCIL_NAME_CY"):
        return str(config["COUNCIL_NAME_CY"])
    name = str(config["COUNCIL_NAME"])
    return str(DEFAULT_SHOWN) if name == DEFAULT else name
