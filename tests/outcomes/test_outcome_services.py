"""Outcomes as a service: who may publish, when, one per subject, updates with history, bad input, who is told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotSignedIn, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.base import utcnow
from debate.models.outcomes import Outcome, OutcomeUpdate
from debate.services import privacy
from debate.services.accountability import outcomes
from debate.services.live import sessions as live_sessions
from tests.outcomes.helpers import form, told


def counts() -> tuple[int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(Outcome.id))),
        db.session.scalar(select(func.count(OutcomeUpdate.id))),
    )


# --- who may publish --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["councillor", "councillor2", "admin"])
def test_panel_representatives_and_admins_publish_a_session_outcome(people, ended, who):
    outcome = outcomes.publish(people[who], form(), session_id=ended.id)
    assert outcome.session_id == ended.id and outcome.thread_id is None
    assert outcome.author_id == people[who].id
    assert outcome.status == "planned" and outcome.due_on == date(2027, 3, 31)
    assert outcomes.for_session(ended.id) == outcome
    assert [u.status for u in outcome.updates] == ["planned"]


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_residents_and_moderators_may_not_publish(people, ended, thread, who):
    with pytest.raises(PermissionDenied):
        outcomes.publish(people[who], form(), session_id=ended.id)
    with pytest.raises(PermissionDenied):
        outcomes.publish(people[who], form(), thread_id=thread.id)
    assert counts() == (0, 0)


def test_a_representative_not_on_the_panel_may_not_publish_for_the_session(people, make_user, ended, thread):
    from debate.models.accounts import Role

    outsider = make_user(Role.REPRESENTATIVE, "Cllr Elsewhere")
    with pytest.raises(PermissionDenied, match="panel"):
        outcomes.publish(outsider, form(), session_id=ended.id)
    # ...but any verified representative may publish a thread's outcome.
    assert outcomes.publish(outsider, form(), thread_id=thread.id).thread_id == thread.id


def test_an_unverified_representative_may_not_publish(people, ended, unverified_rep, thread):
    # A panellist whose verification was withdrawn after the session counts as unverified too.
    people["councillor"].representative.verified_at = None
    db.session.commit()
    for who in (unverified_rep, people["councillor"]):
        for where in ({"session_id": ended.id}, {"thread_id": thread.id}):
            with pytest.raises(PermissionDenied):
                outcomes.publish(who, form(), **where)
    assert counts() == (0, 0)


def test_signed_out_is_refused(ended):
    from flask_login import AnonymousUserMixin

    with pytest.raises(NotSignedIn):
        outcomes.publish(AnonymousUserMixin(), form(), session_id=ended.id)


def test_a_session_outcome_waits_until_the_session_has_ended(people, schedule):
    scheduled = schedule()
    with pytest.raises(Conflict, match="ended"):
        outcomes.publish(people["councillor"], form(), session_id=scheduled.id)
    live_sessions.start(people["admin"], scheduled.id)
    with pytest.raises(Conflict, match="ended"):
        outcomes.publish(people["councillor"], form(), session_id=scheduled.id)
    cancelled = schedule()
    live_sessions.cancel(people["admin"], cancelled.id)
    with pytest.raises(Conflict, match="cancelled"):
        outcomes.publish(people["councillor"], form(), session_id=cancelled.id)
    assert counts() == (0, 0)


def test_a_thread_outcome_can_be_published_at_any_time(people, thread):
    outcome = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    assert outcomes.for_thread(thread.id) == outcome and outcome.kind == "thread"


def test_exactly_one_subject(people, ended, thread):
    with pytest.raises(ValidationError):
        outcomes.publish(people["admin"], form(), session_id=ended.id, thread_id=thread.id)
    with pytest.raises(ValidationError):
        outcomes.publish(people["admin"], form())


def test_unknown_subjects_are_not_found(people):
    from debate.errors import NotFound

    for where in ({"session_id": 999}, {"thread_id": 999}, {"thread_id": "x"}, {"session_id": 2**70}):
        with pytest.raises(NotFound):
            outcomes.publish(people["admin"], form(), **where)


def test_the_database_refuses_an_outcome_with_two_subjects_or_none(people, ended, thread):
    from sqlalchemy.exc import IntegrityError

    for subject in ({"session_id": ended.id, "thread_id": thread.id}, {}):
        db.session.add(Outcome(author_id=people["admin"].id, heard="h", will_happen="w", **subject))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# --- one per subject, then updates ------------------------------------------------------------


def test_one_outcome_per_subject_then_updates_keep_history(people, ended):
    first = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    with pytest.raises(Conflict, match="update it"):
        outcomes.publish(people["councillor2"], form(heard="Again"), session_id=ended.id)
    assert counts() == (1, 1)

    outcomes.update(people["councillor2"], first.id, form(status="in_progress", note="Staff recruited."))
    outcomes.update(people["admin"], first.id, form(status="done", due_on="", will_happen="Open on Sundays now."))
    outcome = outcomes.get(first.id)
    assert (outcome.status, outcome.due_on, outcome.will_happen) == ("done", None, "Open on Sundays now.")
    assert outcome.author_id == people["councillor"].id  # the publisher stays the author
    assert outcome.updated_at >= outcome.published_at
    history = outcomes.history(outcome)
    assert [h.status for h in history] == ["done", "in_progress", "planned"]
    assert [h.author_id for h in history] == [people["admin"].id, people["councillor2"].id, people["councillor"].id]
    assert history[1].note == "Staff recruited."
    assert history[2].will_happen == "We will trial Sunday opening from March."  # the first wording is kept


def test_an_update_that_changes_nothing_is_refused_unless_it_adds_a_note(people, thread):
    outcome = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        outcomes.update(people["councillor"], outcome.id, form())
    outcomes.update(people["councillor"], outcome.id, form(note="Still on track."))
    assert counts() == (1, 2)


def test_who_may_update_follows_who_may_publish(people, make_user, ended):
    from debate.models.accounts import Role

    outcome = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    outsider = make_user(Role.REPRESENTATIVE, "Cllr Elsewhere")
    for who in (people["resident"], people["moderator"], outsider):
        with pytest.raises(PermissionDenied):
            outcomes.update(who, outcome.id, form(status="done"))
    assert outcomes.get(outcome.id).status == "planned"
    assert counts() == (1, 1)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"heard": ""}, "heard"),
        ({"heard": "   \n "}, "heard"),
        ({"heard": None}, "heard"),
        ({"will_happen": ""}, "will_happen"),
        ({"heard": "x" * 5001}, "heard"),
        ({"will_happen": "x" * 5001}, "will_happen"),
        ({"status": "finished"}, "status"),
        ({"status": ""}, "status"),
        ({"status": ["planned"]}, "status"),
        ({"due_on": "31/03/2027"}, "due_on"),
        ({"due_on": "2027-02-30"}, "due_on"),
        ({"due_on": "20270331"}, "due_on"),
        ({"due_on": "tomorrow"}, "due_on"),
        ({"due_on": "1999-12-31"}, "due_on"),
        ({"due_on": "9999-01-01"}, "due_on"),
        ({"note": "n" * 1001}, "note"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(people, ended, changes, field):
    with pytest.raises(ValidationError) as caught:
        outcomes.publish(people["councillor"], form(**changes), session_id=ended.id)
    assert caught.value.field == field and caught.value.message
    assert counts() == (0, 0)
    assert told(people["resident"].id) == []


def test_bad_input_in_an_update_changes_nothing(people, thread):
    outcome = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    with pytest.raises(ValidationError):
        outcomes.update(people["councillor"], outcome.id, form(status="done", due_on="nope"))
    db.session.rollback()
    assert outcomes.get(outcome.id).status == "planned"
    assert counts() == (1, 1)


def test_limits_are_inclusive_and_text_is_kept_as_written(people, thread):
    long = "y" * 5000
    outcome = outcomes.publish(people["councillor"], form(heard=f"  {long}\r\n", due_on=""), thread_id=thread.id)
    assert outcome.heard == long and outcome.due_on is None


def test_a_date_within_ten_years_is_accepted(people, thread):
    soon = (utcnow().date() + timedelta(days=365 * 9)).isoformat()
    assert outcomes.publish(people["councillor"], form(due_on=soon), thread_id=thread.id).due_on.isoformat() == soon


# --- who is told ------------------------------------------------------------------------------


def test_session_followers_and_every_asker_are_told_once_not_the_author(people, ended):
    outcome = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    for who in ("resident", "resident2", "resident3"):  # two askers (one asked twice) and a follower
        notices = told(people[who].id)
        assert len(notices) == 1, who
        assert notices[0].link == f"/outcomes/{outcome.id}"
        assert ended.title in notices[0].text
    for who in ("councillor", "councillor2", "admin", "moderator"):
        assert told(people[who].id) == [], who


def test_an_author_who_follows_or_asked_is_not_told(people, ended):
    from debate.models.notifications import SessionFollow

    db.session.add(SessionFollow(session_id=ended.id, user_id=people["admin"].id, created_at=utcnow()))
    db.session.commit()
    outcomes.publish(people["admin"], form(), session_id=ended.id)
    assert told(people["admin"].id) == []


def test_thread_followers_are_told_once_not_the_author(people, thread):
    outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    assert len(told(people["resident"].id)) == 1  # started the thread, so follows it
    assert len(told(people["resident2"].id)) == 1
    for who in ("resident3", "councillor", "admin"):
        assert told(people[who].id) == [], who


def test_a_status_change_is_told_again_but_only_once_while_unread(people, thread):
    outcome = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    from debate.services import notifications

    notifications.mark_read(people["resident2"])
    outcomes.update(people["councillor"], outcome.id, form(status="in_progress"))
    outcomes.update(people["councillor"], outcome.id, form(status="done"))
    outcomes.update(people["councillor"], outcome.id, form(status="done", heard="Wording only."))
    texts = [n.text for n in told(people["resident2"].id)]
    assert len(texts) == 2 and any("in progress" in t for t in texts)


def test_a_closed_account_is_not_told(people, thread):
    people["resident2"].deleted_at = utcnow()
    db.session.commit()
    outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    assert told(people["resident2"].id) == []


# --- the list and personal data ---------------------------------------------------------------


def test_listing_is_newest_first_and_filters(people, ended, thread):
    older = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    older.published_at = utcnow() - timedelta(days=1)
    db.session.commit()
    newer = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    assert outcomes.listing().items == [newer, older]
    assert outcomes.listing("session").items == [older]
    assert outcomes.listing("thread").items == [newer]
    assert outcomes.listing("nonsense").items == [newer, older]
    assert outcomes.listing(None, "2").items == [] and not outcomes.listing().has_next


def test_listing_pages(people, forum_policy, topic):
    from debate.services.forums import posts as forums

    rep = people["councillor"]
    for n in range(outcomes.PAGE_SIZE + 1):
        posted = forums.start_thread(people["resident"], topic.slug, f"Thread number {n}", "Body text here.")
        outcomes.publish(rep, form(), thread_id=posted.item.id)
    first, second = outcomes.listing(), outcomes.listing(page=2)
    assert len(first.items) == outcomes.PAGE_SIZE and first.has_next
    assert len(second.items) == 1 and not second.has_next


def test_download_my_data_includes_outcomes_for_their_authors(people, thread):
    outcome = outcomes.publish(people["councillor"], form(), thread_id=thread.id)
    outcomes.update(people["admin"], outcome.id, form(status="done", note="Finished."))
    mine = privacy.export_user(people["councillor"])["sections"]["outcomes"]["data"]
    assert mine["published"][0]["heard"] == outcome.heard
    assert mine["published"][0]["due_on"] == "2027-03-31"
    assert [c["status"] for c in mine["changes"]] == ["planned"]
    admins = privacy.export_user(people["admin"])["sections"]["outcomes"]["data"]
    assert admins["published"] == [] and admins["changes"][0]["note"] == "Finished."
    assert privacy.export_user(people["resident"])["sections"]["outcomes"]["data"] == {"published": [], "changes": []}
