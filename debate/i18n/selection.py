"""Which language a request speaks, and the reader's recorded choice.

Order: the address's prefix (a stable URL per language), then for the socket the page's own language
(the live script passes `?lang=` when it connects), then the account's stored choice, the functional
`lang` cookie, the browser's Accept-Language, and English.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from debate.i18n import COOKIE, DEFAULT, LANGUAGES, known
from debate.i18n.prefix import ENVIRON_KEY


def from_address() -> str | None:
    """The language the address names (`/cy/...`), if it names one."""
    return known(request.environ.get(ENVIRON_KEY)) if has_request_context() else None


def stored_choice() -> str | None:
    """The reader's recorded choice: their account's, else the cookie's."""
    if getattr(current_user, "is_authenticated", False):
        chosen = known(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    return known(request.cookies.get(COOKIE))


def select() -> str:
    """Flask-Babel's locale selector; outside a request (background work) English unless forced."""
    if not has_request_context():
        return DEFAULT
    named = from_address()
    if named:
        return named
    if request.path.startswith("/socket.io"):
        page = known(request.args.get("lang"))
        if page:
            return page
    return stored_choice() or request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT) or DEFAULT
