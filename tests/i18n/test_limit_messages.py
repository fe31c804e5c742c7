"""What a person reads when over a rate limit is in their language: every limit's message is marked for
translation (a plain string is never extracted, so it would stay English on a Welsh page and in a Welsh
socket's ack) and reads in Welsh."""

from __future__ import annotations

from flask_babel import force_locale

from debate import ratelimit

# Limits the test suite defines for its own routes are named "test.*" (tests/realtime/conftest.py).


def test_every_limit_message_is_marked_and_read_in_welsh(app):
    limits = {action: limit for action, limit in ratelimit.defined().items() if not action.startswith("test.")}
    assert len(limits) > 30  # the app registered its limits
    plain = sorted(action for action, limit in limits.items() if isinstance(limit.message, str))
    assert plain == [], f"limits whose message is a plain string (wrap it in _l()): {plain}"
    with app.test_request_context(), force_locale("en"):
        english = {action: str(limit.message) for action, limit in limits.items()}
    with app.test_request_context(), force_locale("cy"):
        untranslated = sorted(a for a, limit in limits.items() if str(limit.message) == english[a])
    assert untranslated == [], f"limits read in English on a Welsh page: {untranslated}"
