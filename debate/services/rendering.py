"""Rendering the page's own templates outside a request: a broadcast after the commit, a socket handler.

Templates build links with url_for, which needs a request context; outside one, `outside_request`
pretends a request to the site's own URL (SERVER_URL), so a live fragment links exactly as the page does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import current_app, has_request_context


def outside_request() -> AbstractContextManager[Any]:
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=current_app.config["SERVER_URL"])
