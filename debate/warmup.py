"""What a server process would otherwise do for its first visitors, done before it listens.

Jinja compiles a template the first time it is rendered, and Babel reads a language's locale data the first
time a date is shown in it. In a process that has just started, the residents joining a session first
paid for both: their joins waited on the compile of the live room's macros (bench/live_scale.py's join
storm), and the memory it took was counted against their connections. Compiling every template and
touching each language once at start costs about a second, before the port opens.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, get_translations

from debate.i18n import LANGUAGES
from debate.models.base import utcnow
from debate.services import council_time


def warm(app: Flask) -> int:
    """Compile every page template and load each language's catalogue and date words; the templates compiled."""
    env = app.jinja_env
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    with app.test_request_context("/"):
        for name in names:
            env.get_template(name)
        for code in LANGUAGES:
            with force_locale(code):
                get_translations()
                council_time.shown(utcnow())
    return len(names)
