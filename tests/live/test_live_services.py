"""The live Q&A services in detail: scheduling, the session's life, questions, votes, moderation, answers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, NotSignedIn, PermissionDenied, RateLimited, ValidationError
from debate.extensions import db
from debate.models import RepresentativeProfile, Role
from debate.models.base import utcnow
from debate.models.live import LiveSession, QuestionVote, SessionQuestion
from debate.models.moderation import AuditEntry, ModerationNotice, ReviewItem
from debate.models.notifications import Notification
from debate.services import council_time, submissions
from debate.services.live import chat as live_chat
from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from debate.services.live import roles as live_roles
from debate.services.live import sessions as live_sessions
from debate.services.moderation import queue as moderation_queue
from debate.services.moderation import sanctions as moderation_sanctions
from debate.services.text import CODE_POINTS_PER_CHARACTER
from debate.services.text import length as text_length
from tests.support.corpora import CORPORA

FMT = live_sessions.DATETIME_FORMAT


def local(moment: datetime) -> str:
    return council_time.to_local(moment).strftime(FMT)


def form(people, **fields) -> live_sessions.SessionForm:
    starts = utcnow() + timedelta(days=2)
    defaults = {
        "title": "Housing: ask your councillors",
        "starts_at": local(starts),
        "ends_at": local(starts + timedelta(hours=2)),
        "panel": [people["councillor"].id],
    }
    return live_sessions.SessionForm(**(defaults | fields))


def refused(exc_type, call, *args, field=None, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    db.session.rollback()
    if field is not None:
        assert info.value.field == field, info.value.message
    return info.value


def votes_in_db(question_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(QuestionVote).where(QuestionVote.question_id == question_id)
    )


def notices(user) -> list[str]:
    stmt = select(ModerationNotice.text).where(ModerationNotice.user_id == user.id).order_by(ModerationNotice.id)
    return list(db.session.scalars(stmt))


def sanction(people, who, kind, duration="1d"):
    return moderation_sanctions.issue(people["moderator"], who.id, kind, "abuse_harassment", "Rude", duration)


@pytest.fixture
def public(live, people, forum_policy):
    """Ask a question and approve it: returns a published question in the live session."""

    def make(author=None, body=None, **kwargs):
        author = author or people["resident"]
        make.n += 1
        question = live_questions.ask(author, live.id, body or f"Question number {make.n} about repairs?", **kwargs)
        if question.state == "held":
            live_questions.approve(people["moderator"], question.id)
        return question

    make.n = 0
    return make


# --- scheduling: validation -------------------------------------------------------------------


def test_admin_schedules_a_session_with_its_panel(people):
    live = live_sessions.schedule(
        people["admin"],
        form(
            people,
            panel=[str(people["councillor"].id), str(people["councillor2"].id)],
            description="  Rents and repairs.\r\n",
            premoderate="on",
            allow_anonymous="1",
            stream_url=" https://stream.example.gov.uk/live ",
            chat_slow_seconds="30",
        ),
    )
    assert live.state == LiveSession.SCHEDULED and live.host_id == people["admin"].id
    assert [p.user_id for p in live.panel] == [people["councillor"].id, people["councillor2"].id]
    assert live.premoderate and live.allow_anonymous
    assert live.stream_url == "https://stream.example.gov.uk/live"
    assert live.chat_slow_seconds == 30 and live.description == "Rents and repairs."
    assert live.seq == 0


@pytest.mark.parametrize("title", ["", "   ", "Hi", "x" * 151, None, 12345])
def test_title_must_be_a_sensible_line(people, title):
    refused(ValidationError, live_sessions.schedule, people["admin"], form(people, title=title), field="title")


def test_times_are_council_local_in_winter_and_summer(app, people):
    winter = live_sessions.schedule(
        people["admin"], form(people, starts_at="2035-01-15T19:00", ends_at="2035-01-15T20:30")
    )
    summer = live_sessions.schedule(
        people["admin"], form(people, starts_at="2035-07-15T19:00", ends_at="2035-07-15T20:30:00")
    )
    assert app.config["TIMEZONE"] == "Europe/London"
    assert winter.starts_at == datetime(2035, 1, 15, 19, 0)  # GMT = UTC
    assert summer.starts_at == datetime(2035, 7, 15, 18, 0)  # BST = UTC+1
    assert summer.ends_at == datetime(2035, 7, 15, 19, 30)
    assert local(summer.starts_at) == "2035-07-15T19:00"


def test_a_session_across_the_clocks_going_forward_lasts_real_time(people):
    # Europe/London: at 01:00 local on the last Sunday of March the clocks go to 02:00.
    day = max(datetime(2035, 3, d) for d in range(25, 32) if datetime(2035, 3, d).weekday() == 6)
    live = live_sessions.schedule(
        people["admin"],
        form(people, starts_at=f"{day:%Y-%m-%d}T00:30", ends_at=f"{day:%Y-%m-%d}T03:00"),
    )
    assert live.ends_at - live.starts_at == timedelta(hours=1, minutes=30)
    assert live.starts_at == day.replace(hour=0, minute=30)


def test_a_session_across_the_clocks_going_back_lasts_real_time(people):
    day = max(datetime(2035, 10, d) for d in range(25, 32) if datetime(2035, 10, d).weekday() == 6)
    live = live_sessions.schedule(
        people["admin"],
        form(people, starts_at=f"{day:%Y-%m-%d}T00:30", ends_at=f"{day:%Y-%m-%d}T03:00"),
    )
    assert live.ends_at - live.starts_at == timedelta(hours=3, minutes=30)


@pytest.mark.parametrize("value", ["", "tomorrow", "2035-13-01T19:00", "2035-01-01 19:00", None, 5])
def test_times_must_be_dates_and_times(people, value):
    refused(ValidationError, live_sessions.schedule, people["admin"], form(people, starts_at=value), field="starts_at")


def test_end_must_follow_start(people):
    starts = utcnow() + timedelta(days=2)
    for ends in (starts, starts - timedelta(minutes=1)):
        refused(
            ValidationError,
            live_sessions.schedule,
            people["admin"],
            form(people, starts_at=local(starts), ends_at=local(ends)),
            field="ends_at",
        )


def test_a_session_lasts_at_most_twelve_hours(people):
    starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    refused(
        ValidationError,
        live_sessions.schedule,
        people["admin"],
        form(people, starts_at=local(starts), ends_at=local(starts + timedelta(hours=12, minutes=1))),
        field="ends_at",
    )
    live = live_sessions.schedule(
        people["admin"], form(people, starts_at=local(starts), ends_at=local(starts + timedelta(hours=12)))
    )
    assert live.ends_at - live.starts_at == timedelta(hours=12)


def test_a_new_session_cannot_start_in_the_past(people):
    starts = utcnow() - timedelta(hours=1)
    refused(
        ValidationError,
        live_sessions.schedule,
        people["admin"],
        form(people, starts_at=local(starts), ends_at=local(starts + timedelta(hours=2))),
        field="starts_at",
    )


def test_editing_a_running_session_keeps_its_past_start(people, live, published):
    starts = utcnow() - timedelta(minutes=30)
    edited = live_sessions.edit(
        people["admin"],
        live.id,
        form(
            people,
            title="Housing: ask us anything",
            starts_at=local(starts),
            ends_at=local(starts + timedelta(hours=1)),
        ),
    )
    assert edited.title == "Housing: ask us anything"
    assert [p.user_id for p in edited.panel] == [people["councillor"].id]
    event = [p for e, p, r, n in published if e == "live:event" and live_events.speaks(r) == "en"][-1]
    assert event["kind"] == "session" and event["data"]["session"]["title"] == "Housing: ask us anything"


def test_panel_only_verified_representatives(people, make_user):
    unverified = make_user(Role.REPRESENTATIVE, "Cllr Unverified")
    profile = db.session.get(RepresentativeProfile, unverified.representative.id)
    profile.verified_at = None
    db.session.commit()
    for panel in (
        [],
        [people["resident"].id],
        [people["moderator"].id],
        [unverified.id],
        [people["councillor"].id, 999_999],
        ["abc"],
        None,
    ):
        refused(ValidationError, live_sessions.schedule, people["admin"], form(people, panel=panel), field="panel")
    many = [make_user(Role.REPRESENTATIVE).id for _ in range(live_sessions.PANEL_MAX + 1)]
    refused(ValidationError, live_sessions.schedule, people["admin"], form(people, panel=many), field="panel")
    # Duplicates collapse; a single id is taken as a one-person panel.
    live = live_sessions.schedule(
        people["admin"], form(people, panel=[people["councillor"].id, str(people["councillor"].id)])
    )
    assert live.panel_ids == {people["councillor"].id}
    live = live_sessions.schedule(people["admin"], form(people, panel=people["councillor2"].id))
    assert live.panel_ids == {people["councillor2"].id}


def test_a_representative_schedules_only_with_themselves_on_the_panel(people):
    councillor = people["councillor"]
    refused(
        ValidationError,
        live_sessions.schedule,
        councillor,
        form(people, panel=[people["councillor2"].id]),
        field="panel",
    )
    live = live_sessions.schedule(councillor, form(people, panel=[people["councillor2"].id, councillor.id]))
    assert live.host_id == councillor.id
    assert live_roles.is_host(councillor, live) and live_roles.is_host(people["admin"], live)
    assert not live_roles.is_host(people["councillor2"], live)


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_residents_and_moderators_cannot_schedule(people, who):
    assert not live_roles.may_schedule(people[who])
    refused(PermissionDenied, live_sessions.schedule, people[who], form(people))
    assert db.session.scalar(select(func.count()).select_from(LiveSession)) == 0


def test_signed_out_cannot_schedule(people):
    refused(NotSignedIn, live_sessions.schedule, None, form(people))


@pytest.mark.parametrize(
    "url",
    [
        "http://stream.example.gov.uk/live",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "ftp://stream.example.gov.uk",
        "https://stream.example.gov.uk/a b",
        "//stream.example.gov.uk",
        "https://example.org/" + "a" * 500,
        42,
    ],
)
def test_stream_link_is_https_only(people, url):
    refused(ValidationError, live_sessions.schedule, people["admin"], form(people, stream_url=url), field="stream_url")


@pytest.mark.parametrize("url", ["", "   ", None])
def test_no_stream_link_is_fine(people, url):
    assert live_sessions.schedule(people["admin"], form(people, stream_url=url)).stream_url is None


@pytest.mark.parametrize("seconds", [-1, 301, "abc", "1.5", "10s"])
def test_slow_mode_bounds(people, seconds):
    refused(
        ValidationError,
        live_sessions.schedule,
        people["admin"],
        form(people, chat_slow_seconds=seconds),
        field="chat_slow_seconds",
    )


@pytest.mark.parametrize(("seconds", "stored"), [(0, 0), ("", 0), ("300", 300), (" 15 ", 15)])
def test_slow_mode_within_bounds(people, seconds, stored):
    live = live_sessions.schedule(people["admin"], form(people, chat_slow_seconds=seconds))
    assert live.chat_slow_seconds == stored


def test_topic_and_description(people, topic):
    assert live_sessions.schedule(people["admin"], form(people, topic_slug="housing")).topic_id == topic.id
    refused(ValidationError, live_sessions.schedule, people["admin"], form(people, topic_slug="nope"), field="topic")
    refused(
        ValidationError,
        live_sessions.schedule,
        people["admin"],
        form(people, description="x" * (live_sessions.DESCRIPTION_MAX + 1)),
        field="description",
    )


def test_flags_from_forms(people):
    live = live_sessions.schedule(people["admin"], form(people, premoderate="", allow_anonymous="off"))
    assert not live.premoderate and not live.allow_anonymous


def test_get_refuses_odd_ids(people):
    for key in (None, "abc", 0, -1, 2**63, "1; drop table"):
        refused(NotFound, live_sessions.get, key)


# --- start, end, cancel -----------------------------------------------------------------------


def test_start_then_a_second_start_is_refused(people, schedule, published):
    live = schedule()
    started = live_sessions.start(people["admin"], live.id)
    assert started.state == LiveSession.LIVE and started.started_at is not None
    english = [p for e, p, r, n in published if e == "live:event" and live_events.speaks(r) == "en"]
    assert [p["data"]["session"]["state"] for p in english] == ["live"]
    published.clear()
    refused(Conflict, live_sessions.start, people["admin"], live.id)
    assert published == []
    assert db.session.get(LiveSession, live.id).state == LiveSession.LIVE


@pytest.mark.parametrize("who", ["councillor", "councillor2", "moderator", "resident"])
def test_only_the_host_or_an_admin_starts(people, schedule, who):
    live = schedule(host=people["councillor"], panel=[people["councillor"], people["councillor2"]])
    if who == "councillor":
        assert live_sessions.start(people[who], live.id).is_live
        return
    refused(PermissionDenied, live_sessions.start, people[who], live.id)
    assert db.session.get(LiveSession, live.id).state == LiveSession.SCHEDULED


def test_an_admin_who_is_not_the_host_runs_the_room(people, schedule):
    live = schedule(host=people["councillor"], panel=[people["councillor"]])
    assert live_sessions.start(people["admin"], live.id).is_live
    assert live_sessions.end(people["admin"], live.id).state == LiveSession.ENDED


def test_a_representative_who_lost_verification_no_longer_hosts(people, schedule):
    live = schedule(host=people["councillor"], panel=[people["councillor"]])
    people["councillor"].email_verified_at = None
    db.session.commit()
    refused(PermissionDenied, live_sessions.start, people["councillor"], live.id)


def test_state_machine(people, schedule):
    admin = people["admin"]
    live = schedule()
    refused(Conflict, live_sessions.end, admin, live.id)
    live_sessions.start(admin, live.id)
    refused(Conflict, live_sessions.cancel, admin, live.id)
    live_sessions.end(admin, live.id)
    assert live.state == LiveSession.ENDED and live.ended_at is not None
    for action in (live_sessions.start, live_sessions.end, live_sessions.cancel):
        refused(Conflict, action, admin, live.id)
    refused(Conflict, live_sessions.edit, admin, live.id, form(people))
    other = schedule()
    assert live_sessions.cancel(admin, other.id).state == LiveSession.CANCELLED
    refused(Conflict, live_sessions.start, admin, other.id)
    listing = live_sessions.listing()
    assert listing["live"] == [] and listing["upcoming"] == []
    assert {s.id for s in listing["past"]} == {live.id, other.id}


def test_cancel_by_non_host_refused(people, schedule):
    live = schedule()
    refused(PermissionDenied, live_sessions.cancel, people["moderator"], live.id)


def test_ending_moves_unanswered_questions_to_awaiting(people, live, public):
    open_q, taken, done, pinned = public(), public(people["resident2"]), public(people["resident3"]), public()
    held = live_questions.ask(people["resident3"], live.id, "A question still waiting for review?")
    live_questions.answering(people["councillor"], taken.id, reason="agenda")
    live_questions.answering(people["councillor"], done.id, previous="put_back", reason="related")  # `taken` is open
    live_questions.answer(people["councillor"], done.id)
    live_questions.pin(people["moderator"], pinned.id, True, reason="panel")
    live_questions.answering(people["councillor"], taken.id, reason="follow_up")
    live_sessions.end(people["admin"], live.id)
    for q in (open_q, taken, pinned):
        db.session.refresh(q)
        assert q.status == SessionQuestion.AWAITING and q.pinned_at is None
    db.session.refresh(done)
    assert done.status == SessionQuestion.ANSWERED
    db.session.refresh(held)
    assert held.state == "held"
    assert live_events.tally(live.id)["awaiting_answer"] == 3


def test_not_live_refuses_live_actions(people, schedule, forum_policy):
    live = schedule()
    err = refused(Conflict, live_questions.ask, people["resident"], live.id, "Is this on yet?")
    assert "has not started" in err.message
    refused(Conflict, live_chat.post, people["resident"], live.id, "Hello?")
    live_sessions.start(people["admin"], live.id)
    question = live_questions.ask(people["resident"], live.id, "When do repairs start?")
    live_sessions.end(people["admin"], live.id)
    err = refused(Conflict, live_questions.ask, people["resident"], live.id, "Too late?")
    assert "is over" in err.message
    refused(Conflict, live_questions.set_vote, people["resident2"], question.id, True)
    refused(Conflict, live_questions.pin, people["moderator"], question.id, True)
    refused(Conflict, live_chat.post, people["resident"], live.id, "Bye")


# --- asking -----------------------------------------------------------------------------------


def test_premoderated_question_is_held_for_asker_and_moderators_only(people, live, published, forum_policy):
    resident = people["resident"]
    seq = live.seq
    question = live_questions.ask(resident, live.id, "When will the Eastgate repairs start?")
    assert question.state == "held" and question.status == SessionQuestion.OPEN
    assert live_events.public_questions(live.id) == []
    assert live_events.snapshot(live)["questions"] == []
    mine = live_events.personal(resident, live)["mine"]
    assert [m["id"] for m in mine] == [question.id]
    assert mine[0]["visible"] is False and mine[0]["body"] == question.body and "Awaiting review" in mine[0]["review"]
    assert live_events.personal(people["resident2"], live)["mine"] == []
    assert live_events.personal(people["resident2"], live)["pending"] is None
    pending = live_events.personal(people["moderator"], live)["pending"]
    assert [p["id"] for p in pending] == [question.id]
    item = moderation_queue.find("question", question.id)
    assert item is not None and item.status == ReviewItem.OPEN and item.cause == ReviewItem.HELD and item.live
    assert pending[0]["review_item_id"] == item.id
    # No room event: the room does not learn of it; the staff room and the asker do.
    db.session.refresh(live)
    assert live.seq == seq
    names = [(e, r) for e, p, r, n in published if not e.startswith("queue:")]
    assert ("live:pending", live_events.staff_room(live.id)) in names
    assert ("live:mine", f"user:{resident.id}") in names
    assert not any(e == "live:event" for e, p, r, n in published)


def test_postmoderated_question_is_published_at_once(people, schedule, published, forum_policy):
    live = schedule(premoderate=False, start=True)
    published.clear()
    question = live_questions.ask(people["resident"], live.id, "Will the library stay open on Sundays?")
    assert question.state == "published"
    assert [q.id for q in live_events.public_questions(live.id)] == [question.id]
    events = [p for e, p, r, n in published if e == "live:event" and live_events.speaks(r) == "en"]
    assert len(events) == 1 and events[0]["kind"] == "questions"
    assert events[0]["data"]["questions"][0]["body"] == question.body
    assert events[0]["data"]["top"] == [question.id]
    assert moderation_queue.find("question", question.id) is None


def test_postmoderation_still_holds_new_accounts_first_posts(people, schedule):
    live = schedule(premoderate=False, start=True)
    question = live_questions.ask(people["resident"], live.id, "Will the library stay open on Sundays?")
    assert question.state == "held"  # the default policy's new-account hold


def test_anonymous_only_when_allowed(people, schedule, forum_policy):
    closed = schedule(anonymous=False, premoderate=False, start=True)
    refused(ValidationError, live_questions.ask, people["resident"], closed.id, "A question?", True, field="anonymous")
    # A falsy or odd value simply means "not anonymous".
    question = live_questions.ask(people["resident"], closed.id, "A question with my name?", "no")
    assert question.anonymous is False
    assert live_events.question_data(question)["author"] == "Rita Resident"


def test_anonymous_question_hides_the_name_from_the_public_not_from_moderators(people, live, forum_policy):
    question = live_questions.ask(people["resident"], live.id, "Who decides the rent rise?", anonymous="on")
    assert question.anonymous
    pending = live_events.personal(people["moderator"], live)["pending"]
    assert pending[0]["author"] == "Rita Resident" and pending[0]["anonymous"] is True
    live_questions.approve(people["moderator"], question.id)
    shown = live_events.snapshot(live)["questions"][0]
    assert shown["author"] == "Anonymous"
    assert "Rita" not in json.dumps(live_events.snapshot(live))


def test_submission_key_makes_one_question(people, live, published, forum_policy):
    key = "k-1234567890abcdef"
    first = live_questions.ask(people["resident"], live.id, "Same form sent twice?", submission_key=key)
    count = len(published)
    again = live_questions.ask(people["resident"], live.id, "Same form sent twice?", submission_key=key)
    assert again.id == first.id
    assert len(published) == count
    # The key belongs to its author: another person's identical key is a different question.
    other = live_questions.ask(people["resident2"], live.id, "Same form sent twice?", submission_key=key)
    assert other.id != first.id
    assert db.session.scalar(select(func.count()).select_from(SessionQuestion)) == 2
    # A key that is too short is ignored rather than refused (and the repeat is then a duplicate).
    live_questions.ask(people["resident3"], live.id, "Short keys are ignored?", submission_key="k")
    refused(ValidationError, live_questions.ask, people["resident3"], live.id, "Short keys are ignored?", False, "k")


def test_the_same_key_at_the_same_moment_makes_one_question(people, live, forum_policy, monkeypatch):
    """The race the first look cannot see: the unique key decides, and the second gets the first question back."""
    first = live_questions.ask(people["resident"], live.id, "From the first tab?", submission_key="k-race-12345")
    real, looks = submissions.earlier, []

    def earlier(*args):  # the second request looks before the first has committed: nothing yet
        looks.append(args)
        return None if len(looks) == 1 else real(*args)

    monkeypatch.setattr(submissions, "earlier", earlier)
    again = live_questions.ask(people["resident"], live.id, "From the second tab?", submission_key="k-race-12345")
    assert again.id == first.id and len(looks) == 2
    assert db.session.scalar(select(func.count()).select_from(SessionQuestion)) == 1


@pytest.mark.parametrize("body", ["", "   \n\t ", None, 42, ["a question"], {"body": "x"}])
def test_empty_or_odd_question_refused(people, live, body):
    refused(ValidationError, live_questions.ask, people["resident"], live.id, body, field="body")
    assert db.session.scalar(select(func.count()).select_from(SessionQuestion)) == 0


def test_question_length_limit(people, live, forum_policy):
    limit = forum_policy.limits.question
    refused(ValidationError, live_questions.ask, people["resident"], live.id, "Why " + "x" * limit, field="body")
    question = live_questions.ask(people["resident"], live.id, "  " + "Why " + "y" * (limit - 4) + "\r\n ")
    assert len(question.body) == limit


def _corpus(name: str) -> list[dict]:
    path = CORPORA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


XSS = _corpus("xss_public.jsonl")
UNICODE = _corpus("unicode.jsonl")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "form", "base"):
            self.bad.append(tag)
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            if name.startswith("on") or name in ("id", "name", "style", "srcdoc"):
                self.bad.append(f"{tag}[{name}]")
            elif name in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
                if ":" in scheme and scheme.split(":", 1)[0] not in ("http", "https", "mailto"):
                    self.bad.append(f"{tag}[{name}={value}]")


def inert(html: str) -> bool:
    """No element, attribute or URL in the rendered HTML that could run script."""
    parser = _Tags()
    parser.feed(html)
    return not parser.bad


def test_hostile_questions_are_stored_as_text_and_shown_inert(people, schedule, forum_policy):
    live = schedule(premoderate=False, start=True)
    stored = 0
    for case in XSS:
        try:
            question = live_questions.ask(people["resident"], live.id, case["input"])
        except (ValidationError, RateLimited):
            db.session.rollback()
            continue
        stored += 1
        data = live_events.mine_data(question)
        assert data["body"] == case["input"].replace("\r\n", "\n").replace("\r", "\n").strip()
        if data["visible"]:
            assert inert(data["body_html"]), case["id"]
    assert stored > len(XSS) // 2


def test_oversize_unicode_is_refused_and_real_scripts_accepted(people, schedule, forum_policy):
    live = schedule(premoderate=False, start=True)
    limit = forum_policy.limits.question
    for case in UNICODE:
        text = case["input"] if "input" in case else case["repeat"] * case["times"]
        if text_length(text.strip()) > limit or len(text.strip()) > limit * CODE_POINTS_PER_CHARACTER:
            refused(ValidationError, live_questions.ask, people["resident"], live.id, text, field="body")
    for case in UNICODE:
        if case["id"] in ("uni-029", "uni-032", "uni-033", "uni-034", "uni-035", "uni-036") and "input" in case:
            question = live_questions.ask(people["resident2"], live.id, case["input"])
            assert question.body == case["input"].strip()


def test_muted_member_cannot_ask(people, live):
    sanction(people, people["resident"], "mute")
    err = refused(ValidationError, live_questions.ask, people["resident"], live.id, "May I ask while muted?")
    assert "mute" in err.message.lower()


def test_unverified_or_signed_out_cannot_ask(people, live, make_user):
    refused(NotSignedIn, live_questions.ask, None, live.id, "Anyone there?")
    refused(PermissionDenied, live_questions.ask, make_user(verified=False), live.id, "Anyone there?")


# --- votes ------------------------------------------------------------------------------------


def test_one_vote_per_person(people, live, public):
    """Voting again is a success that changes nothing (the same rule as helpful votes: `vote_rows`)."""
    question = public()
    assert live_questions.set_vote(people["resident2"], question.id, True).vote_count == 1
    assert live_questions.set_vote(people["resident2"], question.id, True).vote_count == 1
    db.session.refresh(question)
    assert question.vote_count == 1 == votes_in_db(question.id)


def test_own_question_cannot_be_voted(people, live, public):
    question = public()
    refused(ValidationError, live_questions.set_vote, people["resident"], question.id, True)
    assert votes_in_db(question.id) == 0


def test_unvote(people, live, public):
    question = public()
    live_questions.set_vote(people["resident2"], question.id, True)
    assert live_questions.set_vote(people["resident2"], question.id, False).vote_count == 0
    assert live_questions.set_vote(people["resident2"], question.id, False).vote_count == 0  # not voted: no change
    db.session.refresh(question)
    assert question.vote_count == 0 == votes_in_db(question.id)
    assert live_questions.voted(people["resident2"], [question.id]) == set()


def test_held_answered_and_foreign_questions_take_no_votes(people, live, public, schedule):
    held = live_questions.ask(people["resident"], live.id, "Still waiting for a moderator?")
    refused(Conflict, live_questions.set_vote, people["resident2"], held.id, True)
    done = public()
    live_questions.answer(people["councillor"], done.id)
    refused(Conflict, live_questions.set_vote, people["resident2"], done.id, True)
    other = schedule(start=True)
    refused(NotFound, live_questions.set_vote, people["resident2"], done.id, True, other.id)
    refused(NotFound, live_questions.set_vote, people["resident2"], 999_999, True)


def test_suspended_member_cannot_vote_but_a_muted_one_can(people, live, public):
    question = public()
    sanction(people, people["resident2"], "suspension")
    err = refused(PermissionDenied, live_questions.set_vote, people["resident2"], question.id, True)
    assert "vote" in err.message
    # The engine's rule: a mute stops posting only; a muted member still votes.
    sanction(people, people["resident3"], "mute")
    assert live_questions.set_vote(people["resident3"], question.id, True).vote_count == 1


def test_banned_member_cannot_vote(people, live, public):
    question = public()
    moderation_sanctions.issue(people["moderator"], people["resident2"].id, "ban", "spam", "Spam account")
    refused(PermissionDenied, live_questions.set_vote, people["resident2"], question.id, True)


def test_vote_count_always_equals_the_vote_rows(people, live, public, make_user):
    questions = [public(), public(people["resident2"]), public(people["resident3"])]
    voters = [make_user() for _ in range(5)]
    script = [(0, 0, True), (1, 0, True), (2, 0, True), (0, 1, True), (1, 0, False), (3, 2, True), (4, 2, True)]
    script += [(0, 0, True), (4, 2, False), (4, 2, False), (4, 1, True), (1, 0, True), (2, 0, False)]
    for voter, question, up in script:
        try:
            live_questions.set_vote(voters[voter], questions[question].id, up)
        except Conflict:
            db.session.rollback()
    for question in questions:
        db.session.refresh(question)
        assert question.vote_count == votes_in_db(question.id)
    assert [q.vote_count for q in questions] == [2, 2, 1]


# --- withdrawing ------------------------------------------------------------------------------


def test_withdraw_own_only(people, live, public):
    question = public()
    refused(PermissionDenied, live_questions.withdraw, people["resident2"], question.id)
    refused(PermissionDenied, live_questions.withdraw, people["moderator"], question.id)
    withdrawn = live_questions.withdraw(people["resident"], question.id)
    assert withdrawn.state == "withdrawn"
    assert live_events.public_questions(live.id) == []
    assert "withdrew" in live_events.mine_data(withdrawn)["review"]
    refused(Conflict, live_questions.withdraw, people["resident"], question.id)


def test_withdrawing_a_held_question_takes_it_out_of_the_queue(people, live, published):
    question = live_questions.ask(people["resident"], live.id, "Can I take this back later?")
    item = moderation_queue.find("question", question.id)
    assert item.status == ReviewItem.OPEN
    assert [e.item.id for e in moderation_queue.open_items(people["moderator"])] == [item.id]
    published.clear()
    live_questions.withdraw(people["resident"], question.id)
    db.session.refresh(item)
    assert item.status == ReviewItem.DECIDED
    assert moderation_queue.open_items(people["moderator"]) == []
    assert live_events.personal(people["moderator"], live)["pending"] == []
    assert ("live:pending_removed", live_events.staff_room(live.id)) in [(e, r) for e, p, r, n in published]
    refused(Conflict, live_questions.approve, people["moderator"], question.id)


def test_answered_question_cannot_be_withdrawn(people, live, public):
    question = public()
    live_questions.answer(people["councillor"], question.id)
    refused(Conflict, live_questions.withdraw, people["resident"], question.id)


# --- moderators -------------------------------------------------------------------------------


def test_approve(people, live, published, forum_policy):
    question = live_questions.ask(people["resident"], live.id, "Is the park closing?")
    refused(PermissionDenied, live_questions.approve, people["resident2"], question.id)
    refused(PermissionDenied, live_questions.approve, people["councillor"], question.id)
    published.clear()
    live_questions.approve(people["moderator"], question.id)
    db.session.refresh(question)
    assert question.state == "approved" and question.is_public
    assert live_events.mine_data(question)["review"] == ""
    assert any("approved your question" in text for text in notices(people["resident"]))
    kinds = [p["kind"] for e, p, r, n in published if e == "live:event" and live_events.speaks(r) == "en"]
    assert kinds == ["questions"]
    assert moderation_queue.find("question", question.id).status == ReviewItem.DECIDED
    refused(Conflict, live_questions.approve, people["moderator"], question.id)


def test_reject_with_a_reason_the_asker_sees(people, live, published):
    question = live_questions.ask(people["resident"], live.id, "Off topic question about football?")
    refused(ValidationError, live_questions.reject, people["moderator"], question.id, "", field="category")
    live_questions.reject(people["moderator"], question.id, "off_topic", "This session is about housing.")
    db.session.refresh(question)
    assert question.state == "removed"
    mine = live_events.personal(people["resident"], live)["mine"][0]
    assert mine["visible"] is False
    assert "Rejected by a moderator. Reason: Off topic." in mine["review"]
    assert "This session is about housing." in mine["review"]
    assert any("Reason: Off topic" in text for text in notices(people["resident"]))
    assert live_events.tally(live.id)["rejected"] == 1
    assert live_events.personal(people["moderator"], live)["pending"] == []


def test_reject_a_published_question(people, live, public):
    question = public()
    live_questions.reject(people["moderator"], question.id, "spam")
    db.session.refresh(question)
    assert question.state == "removed"
    assert live_events.public_questions(live.id) == []


def test_fix_edits_the_text_and_says_so(people, live, public):
    question = public(body="When will the Estgate repairs start?")
    refused(ValidationError, live_questions.fix, people["moderator"], question.id, "", "Typo", field="body")
    refused(ValidationError, live_questions.reject, people["moderator"], question.id, "", field="category")
    refused(ValidationError, live_questions.fix, people["moderator"], question.id, "When will it start?", " ")
    # A refused decision leaves no review item open behind it.
    assert moderation_queue.find("question", question.id).status == ReviewItem.DECIDED
    assert moderation_queue.open_items(people["moderator"]) == []
    live_questions.fix(people["moderator"], question.id, "When will the Eastgate repairs start?", "Fixed a typo.")
    db.session.refresh(question)
    assert question.state == "edited" and question.body == "When will the Eastgate repairs start?"
    shown = live_events.snapshot(live)["questions"][0]
    assert shown["edited_by_moderator"] is True and shown["body"] == question.body


def test_fix_a_held_question(people, live):
    question = live_questions.ask(people["resident"], live.id, "My neighbour at 12 Elm Road is loud, what can be done?")
    live_questions.fix(people["moderator"], question.id, "My neighbour is loud, what can be done?", "Address removed.")
    db.session.refresh(question)
    assert question.state == "edited" and question.is_public and "Elm" not in question.body


def test_merge_carries_votes_and_asker(people, live, public, make_user):
    a, b, t_author, s_author = make_user(), make_user(), people["resident"], people["resident2"]
    target = public(t_author, "When will the Eastgate repairs start?")
    source = public(s_author, "Eastgate repairs: when do they begin?")
    for voter in (a, b):
        live_questions.set_vote(voter, source.id, True)
    live_questions.set_vote(b, target.id, True)
    refused(ValidationError, live_questions.merge, people["moderator"], source.id, source.id, field="into_id")
    refused(PermissionDenied, live_questions.merge, people["resident3"], source.id, target.id)
    merged_into = live_questions.merge(people["moderator"], source.id, target.id)
    assert merged_into.id == target.id
    db.session.refresh(source)
    db.session.refresh(target)
    assert source.status == SessionQuestion.MERGED and source.merged_into_id == target.id and source.vote_count == 0
    assert votes_in_db(source.id) == 0
    voters = set(db.session.scalars(select(QuestionVote.user_id).where(QuestionVote.question_id == target.id)))
    assert voters == {a.id, b.id, s_author.id}
    assert target.vote_count == 3
    assert [q.id for q in live_events.public_questions(live.id)] == [target.id]
    assert any("merged your question" in text for text in notices(s_author))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "merge"))
    assert entry.target_id == f"question:{source.id}" and entry.actor_id == people["moderator"].id
    assert entry.after["votes_after"] == 3 and entry.before["votes"] == 2
    assert "Merged" in live_events.mine_data(source)["review"]
    refused(Conflict, live_questions.merge, people["moderator"], source.id, target.id)
    refused(Conflict, live_questions.set_vote, a, source.id, True)


def test_merge_does_not_make_the_target_asker_vote_for_themselves(people, live, public):
    target = public(people["resident"], "When will the Eastgate repairs start?")
    source = public(people["resident2"], "Eastgate repairs: when do they begin?")
    live_questions.set_vote(people["resident"], source.id, True)
    live_questions.merge(people["moderator"], source.id, target.id)
    db.session.refresh(target)
    assert target.vote_count == 1 == votes_in_db(target.id)  # resident2 only


def test_merge_a_held_duplicate_clears_it_from_the_queue(people, live, public, published):
    target = public(people["resident"], "When will the Eastgate repairs start?")
    source = live_questions.ask(people["resident2"], live.id, "Eastgate repairs: when?")
    held = live_questions.ask(people["resident3"], live.id, "Another held question here?")
    refused(Conflict, live_questions.merge, people["moderator"], target.id, held.id)  # into a held one
    published.clear()
    live_questions.merge(people["moderator"], source.id, target.id)
    assert moderation_queue.find("question", source.id).status == ReviewItem.DECIDED
    assert [q["id"] for q in live_events.personal(people["moderator"], live)["pending"]] == [held.id]
    assert ("live:pending_removed", live_events.staff_room(live.id)) in [(e, r) for e, p, r, n in published]
    db.session.refresh(target)
    assert target.vote_count == 1


def test_pin_one_at_a_time(people, live, public):
    first, second = public(), public(people["resident2"])
    refused(PermissionDenied, live_questions.pin, people["councillor"], first.id, True)
    live_questions.pin(people["moderator"], first.id, True)
    live_questions.pin(people["moderator"], second.id, True)
    db.session.refresh(first)
    assert first.pinned_at is None and second.pinned_at is not None
    assert [q.id for q in live_events.public_questions(live.id) if q.pinned_at] == [second.id]
    assert live_events.snapshot(live)["top"] == [first.id]  # pinned questions are shown apart
    live_questions.pin(people["moderator"], second.id, False)
    refused(Conflict, live_questions.pin, people["moderator"], second.id, False)
    live_questions.answering(people["councillor"], first.id)
    refused(Conflict, live_questions.pin, people["moderator"], first.id, True)
    held = live_questions.ask(people["resident3"], live.id, "Held, so not pinnable?")
    refused(Conflict, live_questions.pin, people["moderator"], held.id, True)


# --- answering --------------------------------------------------------------------------------


def test_answering_one_at_a_time(people, live, public):
    first, second = public(), public(people["resident2"])
    live_questions.pin(people["moderator"], second.id, True, reason="panel")
    live_questions.answering(people["councillor"], first.id, reason="time")
    refused(ValidationError, live_questions.answering, people["councillor2"], second.id)  # say what became of first
    live_questions.answering(people["councillor2"], second.id, previous="put_back")
    db.session.refresh(first)
    assert first.status == SessionQuestion.OPEN and first.taken_at is not None
    assert second.status == SessionQuestion.ANSWERING and second.pinned_at is None
    refused(Conflict, live_questions.answering, people["councillor"], second.id)
    statuses = [q.status for q in live_events.public_questions(live.id)]
    assert statuses.count(SessionQuestion.ANSWERING) == 1


@pytest.mark.parametrize("who", ["resident", "moderator", "resident2"])
def test_only_panel_and_host_answer(people, live, public, who):
    question = public(people["resident3"])
    refused(PermissionDenied, live_questions.answering, people[who], question.id)
    refused(PermissionDenied, live_questions.answer, people[who], question.id)


def test_a_representative_not_on_the_panel_cannot_answer(people, schedule, public, make_user):
    outsider = make_user(Role.REPRESENTATIVE, "Cllr Outside")
    question = public()
    refused(PermissionDenied, live_questions.answer, outsider, question.id)


def test_the_host_marks_answering(people, live, public):
    question = public()
    assert live_questions.answering(people["admin"], question.id).status == SessionQuestion.ANSWERING


def test_answer_live(people, live, public):
    question = public()
    held = live_questions.ask(people["resident2"], live.id, "Held question to answer?")
    refused(Conflict, live_questions.answer, people["councillor"], held.id)
    live_questions.answering(people["councillor"], question.id)
    refused(
        ValidationError,
        live_questions.answer,
        people["councillor"],
        question.id,
        "x" * (live_questions.ANSWER_MAX + 1),
        field="answer",
    )
    done = live_questions.answer(people["councillor"], question.id, "In **March**.\r\n")
    assert done.status == SessionQuestion.ANSWERED and done.answered_live
    assert done.answered_by_id == people["councillor"].id and done.answer_body == "In **March**."
    data = live_events.question_data(done)
    assert data["answered_by"] == "Cllr Amina Shah" and "<strong>March</strong>" in data["answer_html"]
    answered = select(Notification.text).where(Notification.user_id == people["resident"].id)
    assert any("was answered live by Cllr Amina Shah" in text for text in db.session.scalars(answered))
    refused(Conflict, live_questions.answer, people["councillor"], question.id)
    plain = live_questions.answer(people["councillor2"], public(people["resident3"]).id)
    assert plain.answer_body is None and plain.answered_live and plain.taken_at is not None


def test_written_answer_after_the_session(people, live, public):
    question = public()
    live_sessions.end(people["admin"], live.id)
    db.session.refresh(question)
    assert question.status == SessionQuestion.AWAITING
    refused(ValidationError, live_questions.answer, people["councillor"], question.id, "  ", field="answer")
    refused(PermissionDenied, live_questions.answer, people["admin"], question.id, "The host is not the panel.")
    refused(Conflict, live_questions.answering, people["councillor"], question.id)
    refused(Conflict, live_questions.reopen, people["councillor"], question.id)
    done = live_questions.answer(people["councillor"], question.id, "The repairs start in March.")
    assert done.status == SessionQuestion.ANSWERED and not done.answered_live
    assert done.answer_body == "The repairs start in March."
    assert live_events.tally(live.id)["answered"] == 1


def test_reopen(people, live, public):
    question = public()
    refused(Conflict, live_questions.reopen, people["councillor"], question.id)
    live_questions.answer(people["councillor"], question.id, "Soon.")
    refused(PermissionDenied, live_questions.reopen, people["resident2"], question.id)
    reopened = live_questions.reopen(people["councillor"], question.id)
    assert reopened.status == SessionQuestion.OPEN
    assert reopened.answered_at is None and reopened.answered_by_id is None and reopened.answer_body is None
    assert not reopened.answered_live
    live_questions.answering(people["councillor"], question.id)
    assert live_questions.reopen(people["councillor"], question.id).status == SessionQuestion.OPEN


def test_transcript_in_the_order_taken_then_by_votes(people, live, public, make_user, monkeypatch):
    import debate.services.live.questions as lq

    questions = [public(make_user()) for _ in range(5)]
    clock = iter(utcnow() + timedelta(minutes=i) for i in range(10))
    monkeypatch.setattr(lq, "utcnow", lambda: next(clock))
    # Taken in the order 3, 1, 4 (4 is answered without being marked "answering" first).
    live_questions.answering(people["councillor"], questions[3].id, reason="agenda")
    live_questions.answer(people["councillor"], questions[3].id)
    live_questions.answering(people["councillor"], questions[1].id, reason="agenda")
    live_questions.answer(people["councillor"], questions[4].id, "Written.", reason="agenda")
    monkeypatch.undo()
    live_questions.set_vote(people["resident"], questions[2].id, True)
    live_sessions.end(people["admin"], live.id)
    order = [q.id for q in live_questions.transcript(live)]
    assert order == [questions[i].id for i in (3, 1, 4, 2, 0)]


# --- chat and announcements -------------------------------------------------------------------


def test_chat_slow_mode_and_moderators_exempt(people, schedule, forum_policy):
    live = schedule(slow=30, start=True)
    message = live_chat.post(people["resident"], live.id, "Hello everyone")
    assert message.is_public
    err = refused(RateLimited, live_chat.post, people["resident"], live.id, "Hello again")
    assert "30 seconds" in err.message
    live_chat.post(people["resident2"], live.id, "Hi from me")
    live_chat.post(people["moderator"], live.id, "Welcome all")
    live_chat.post(people["moderator"], live.id, "Please keep it civil")
    refused(ValidationError, live_chat.post, people["resident3"], live.id, "  ", field="body")
    chat = live_events.snapshot(live)["chat"]
    assert [m["author"] for m in chat] == ["Rita Resident", "Sam Resident", "Mo Moderator", "Mo Moderator"]


def test_announcements_by_the_host_only(people, schedule):
    live = schedule()
    note = live_chat.announce(people["admin"], live.id, "We start in five minutes.")
    refused(PermissionDenied, live_chat.announce, people["councillor"], live.id, "Hello")
    refused(ValidationError, live_chat.announce, people["admin"], live.id, "x" * 501, field="body")
    assert live_events.snapshot(live)["announcements"][0]["id"] == note.id
    live_sessions.start(people["admin"], live.id)
    live_sessions.end(people["admin"], live.id)
    refused(Conflict, live_chat.announce, people["admin"], live.id, "Thanks for coming")


def test_after_the_session_a_question_awaiting_its_written_answer_cannot_be_withdrawn(people, live, public):
    """It is on the panel's list with a due date; the record must not lose it quietly."""
    question = public()
    live_sessions.end(people["admin"], live.id)
    refused(Conflict, live_questions.withdraw, people["resident"], question.id)
    db.session.refresh(question)
    assert question.status == SessionQuestion.AWAITING and question.is_public
