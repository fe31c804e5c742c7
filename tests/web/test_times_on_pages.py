"""Every page shows a time one way, on the council's clock, and the live layer sends the page's own text.

Forum pages said "1 Jul 2026, 12:00 UTC", live rooms "Wed 1 Jul 2026, 13:00 BST", moderators' pages
"1 Jul 2026, 12:00 UTC", and live_session.js formatted times in each reader's browser zone. Now each
<time> on every page reads "Wed 1 Jul 2026, 13:00 BST" (GMT in winter) from debate/services/council_time.py,
with the UTC moment in its datetime attribute, and live events carry that same text.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from debate.extensions import db
from debate.models import Role
from debate.models.base import utcnow
from debate.models.live import LiveSession, SessionPanelist
from debate.services.forums import posts as forums
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from debate.services.moderation import sanctions as moderation_sanctions

pytestmark = pytest.mark.usefixtures("forum_policy")

SUMMER = datetime(2026, 7, 1, 12, 0)  # stored as naive UTC; 13:00 on the council's clock
SUMMER_SHOWN = "Wed 1 Jul 2026, 13:00 BST"
WINTER = datetime(2026, 12, 3, 19, 0)
WINTER_SHOWN = "Thu 3 Dec 2026, 19:00 GMT"
TIME = re.compile(r'<time datetime="([^"]+)">([^<]*)</time>')
ONE_FORMAT = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}(, \d\d:\d\d (GMT|BST))?$")


def times(response) -> list[tuple[str, str]]:
    return TIME.findall(response.get_data(as_text=True))


def assert_one_format(path: str, found: list[tuple[str, str]]) -> None:
    assert found, f"{path} shows no times"
    for machine, text in found:
        assert ONE_FORMAT.match(text), (path, text)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", machine), (path, machine)


@pytest.fixture
def dated(make_user, topic):
    """A thread and reply written in summer, and a live question asked in winter."""
    author, rep = make_user(name="Ann Author"), make_user(Role.REPRESENTATIVE, name="Cllr Rep")
    thread = forums.start_thread(author, "housing", "Summer thread", "Written in summer.").item
    reply = forums.post_reply(author, thread.id, "A summer reply.").item
    thread.created_at = reply.created_at = thread.last_activity_at = SUMMER
    now = utcnow()
    live = LiveSession(
        title="Winter session", host_id=rep.id, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    live.panel = [SessionPanelist(user_id=rep.id)]
    live.state, live.started_at, live.premoderate = LiveSession.LIVE, now, False
    db.session.add(live)
    db.session.commit()
    question = live_questions.ask(author, live.id, "When will the repairs start?")
    question.created_at = WINTER
    db.session.commit()
    return thread, live, question


def test_forum_and_live_pages_show_times_one_way(client, dated):
    thread, live, question = dated
    pages = {path: times(client.get(path)) for path in ("/", f"/threads/{thread.id}", f"/sessions/{live.id}")}
    for path, found in pages.items():
        assert_one_format(path, found)
    assert ("2026-07-01T12:00:00Z", SUMMER_SHOWN) in pages[f"/threads/{thread.id}"]
    assert ("2026-07-01T12:00:00Z", SUMMER_SHOWN) in pages["/"]
    assert ("2026-12-03T19:00:00Z", WINTER_SHOWN) in pages[f"/sessions/{live.id}"]


def test_the_live_layer_sends_the_text_the_room_page_shows(client, dated):
    _, live, question = dated
    page = client.get(f"/sessions/{live.id}").get_data(as_text=True)
    item = re.search(rf'<li[^>]* id="q{question.id}".*?</li>', page, re.S).group(0)
    [(machine, text)] = TIME.findall(item)
    db.session.refresh(question)
    sent = live_events.question_data(question)
    assert (
        (sent["created_at"], sent["shown"]["created_at"]) == (machine, text) == ("2026-12-03T19:00:00Z", WINTER_SHOWN)
    )
    snapshot = live_events.snapshot(live)
    [in_snapshot] = [q for q in snapshot["questions"] if q["id"] == question.id]
    assert in_snapshot["shown"]["created_at"] == text


def test_staff_pages_show_times_one_way(client, login, make_user, dated):
    thread, _, _ = dated
    admin = make_user(Role.ADMIN)
    login(admin)
    member = db.session.get(type(admin), thread.author_id)
    moderation_sanctions.issue(admin, member.id, "mute", "spam", "Adverts.", "1d")
    for path in ("/moderation/audit", "/moderation/queue", "/notifications"):
        response = client.get(path)
        if TIME.search(response.get_data(as_text=True)):
            assert_one_format(path, times(response))
    assert_one_format("/moderation/audit", times(client.get("/moderation/audit")))
