"""The language prefix of an address (`/cy/...`), moved out of the path before Flask routes it.

WSGI middleware rather than a URL converter on every route: the prefix goes into SCRIPT_NAME, so the
routes stay as they are, `url_for` builds `/cy/...` links on a Welsh page by itself, and an address
without a prefix keeps working. `/socket.io/` and `/static/` are never prefixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

ENVIRON_KEY = "commonground.language"


class LanguagePrefix:
    """Wraps the app: `/cy/thread/5` is routed as `/thread/5` with SCRIPT_NAME `/cy` and the language noted."""

    def __init__(self, app: Callable[..., Iterable[bytes]], codes: Iterable[str]) -> None:
        self.app = app
        self.codes = frozenset(codes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        head, sep, rest = path[1:].partition("/")
        if head in self.codes and (sep or not rest):
            environ[ENVIRON_KEY] = head
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + head
            environ["PATH_INFO"] = "/" + rest
        return self.app(environ, start_response)
