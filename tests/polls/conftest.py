"""Fixtures for live poll tests: the live tests' people and sessions, and a poll maker."""

from __future__ import annotations

import pytest

from debate.services.live import polls
from tests.live.conftest import connect, live, people, schedule  # noqa: F401 - fixtures shared with the live tests


@pytest.fixture
def make_poll(people):  # noqa: F811 - the shared fixture, by name
    """Prepare a poll in a session (by the admin, its host, unless told); open it when asked."""

    def make(session, kind="single", *, options=("Yes", "No", "Not sure"), hide=False, open_=True, by=None, **extra):
        form = polls.PollForm(
            question=extra.get("question", "Should the library open on Sundays?"),
            question_cy=extra.get("question_cy", ""),
            kind=kind,
            options=list(options) if kind in ("single", "multiple") else [],
            options_cy=list(extra.get("options_cy", [])),
            hide_results=hide,
        )
        poll = polls.prepare(by or people["admin"], session.id, form)
        if open_:
            polls.open_poll(by or people["admin"], poll.id)
        return poll

    return make


def option_ids(poll) -> list[int]:
    return [o.id for o in poll.options]
