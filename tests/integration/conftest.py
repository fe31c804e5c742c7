"""Fixtures shared with the live tests (a live session, people in every role, coalescing without a flusher)."""

from tests.live.conftest import live, people, schedule  # noqa: F401
from tests.live.test_live_pulse import coalescing  # noqa: F401
