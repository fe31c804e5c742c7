"""The accountability rules: tracking at a session's end, written answers, transfers, referrals, forum questions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, NotSignedIn, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.accountability import QuestionTransfer, TrackedQuestion
from debate.models.live import SessionEvent, SessionQuestion
from debate.services import council_time, mail, privacy
from debate.services.accountability import questions as accountability
from debate.services.accountability import working_days
from debate.services.forums import posts as forums
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue
from tests.accountability.conftest import notifications_of, tracked_for


def refused(exc_type, call, *args, field=None, **kwargs):
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    db.session.rollback()
    if field is not None:
        assert info.value.field == field, info.value.message
    return info.value


def events(live) -> int:
    return db.session.scalar(select(func.count()).select_from(SessionEvent).where(SessionEvent.session_id == live.id))


# --- tracking at the end of a session -----------------------------------------------------------


def test_ending_a_session_tracks_its_approved_questions(people, forum_policy, schedule):
    live = schedule(start=True)
    answered = live_questions.ask(people["resident2"], live.id, "Bins weekly again?")
    live_questions.approve(people["moderator"], answered.id)
    live_questions.answer(people["councillor"], answered.id, "From March.")
    waiting = live_questions.ask(people["resident"], live.id, "Library on Sundays?", anonymous=True)
    live_questions.approve(people["moderator"], waiting.id)
    held = live_questions.ask(people["resident3"], live.id, "Still waiting for review?")
    rejected = live_questions.ask(people["resident3"], live.id, "Something rude")
    live_questions.reject(people["moderator"], rejected.id, "abuse_harassment")
    live_sessions.end(people["admin"], live.id)

    rows = list(db.session.scalars(select(TrackedQuestion).order_by(TrackedQuestion.id)))
    assert [r.session_question_id for r in rows] == [answered.id, waiting.id]  # not the held or rejected ones
    done, due = rows
    assert (done.status, done.how, done.answered_by_id) == ("answered", "live", people["councillor"].id)
    assert done.answer_body == "From March." and done.due_on is None
    assert due.status == "awaiting" and due.anonymous and due.asker_id == people["resident"].id
    assert due.text == "Library on Sundays?" and due.tracked_at == live.ended_at
    end_day = council_time.to_local(live.ended_at).date()
    assert due.due_on == accountability.due_date(end_day)
    off = accountability.settings().holidays(end_day, due.due_on)
    assert due.due_on == working_days.add_working_days(end_day, 20, off) and due.due_on not in off
    for row in rows:
        assert row.assignee_ids == {people["councillor"].id, people["councillor2"].id}
    assert accountability.track_session(live) == []  # twice: nothing more
    assert held.id not in {r.session_question_id for r in rows}


def test_a_question_approved_after_the_end_is_tracked_when_answered(people, forum_policy, live):
    late = live_questions.ask(people["resident"], live.id, "Approved after the end?")
    live_sessions.end(people["admin"], live.id)
    assert db.session.scalar(select(func.count()).select_from(TrackedQuestion)) == 0
    db.session.refresh(late)
    item = moderation_queue.find("question", late.id)
    moderation_decisions.decide(people["moderator"], item.id, "approve")
    live_questions.answer(people["councillor"], late.id, "Yes, it is answered.")
    tracked = tracked_for(late)
    assert (tracked.status, tracked.how, tracked.answer_body) == ("answered", "written", "Yes, it is answered.")


def test_settings_decide_new_due_dates_only(people, app, ended, make_user):
    live, asked = ended
    before = tracked_for(asked["waiting"]).due_on
    refused(PermissionDenied, accountability.save_settings, people["moderator"], "5")
    refused(ValidationError, accountability.save_settings, people["admin"], "0", field="due_working_days")
    refused(ValidationError, accountability.save_settings, people["admin"], "101", field="due_working_days")
    refused(ValidationError, accountability.save_settings, people["admin"], "ten", field="due_working_days")
    saved = accountability.save_settings(people["admin"], " 5 ")
    assert saved.due_working_days == 5 and saved.nation == "england-and-wales"
    assert accountability.settings() == saved
    assert tracked_for(asked["waiting"]).due_on == before  # not retroactive
    assert accountability.due_date(date(2026, 12, 21)) == date(2026, 12, 30)  # 25 and 28 December skipped


# --- written answers ----------------------------------------------------------------------------


def test_written_answer_by_an_assignee(people, ended, make_user):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    outsider = make_user(Role.REPRESENTATIVE, "Cllr Outside Panel")
    refused(NotSignedIn, accountability.answer, None, tracked.id, "An answer.")
    refused(PermissionDenied, accountability.answer, people["resident"], tracked.id, "An answer.")
    refused(PermissionDenied, accountability.answer, people["admin"], tracked.id, "The admin is not the panel.")
    refused(PermissionDenied, accountability.answer, outsider, tracked.id, "Not put to me.")
    refused(ValidationError, accountability.answer, people["councillor"], tracked.id, "  \n ", field="answer")
    err = refused(ValidationError, accountability.answer, people["councillor"], tracked.id, "x" * 5001, field="answer")
    assert "5,001" in err.message
    refused(NotFound, accountability.answer, people["councillor"], "nope", "An answer.")
    refused(NotFound, accountability.answer, people["councillor"], 2**70, "An answer.")
    assert tracked_for(asked["waiting"]).status == "awaiting"  # nothing half-written
    assert notifications_of(people["resident"], "question_answered") == []

    seen = events(live)
    mail.outbox().clear()
    done = accountability.answer(people["councillor2"], tracked.id, "We are *recruiting* staff.\r\n")
    assert (done.status, done.how, done.answered_by_id) == ("answered", "written", people["councillor2"].id)
    assert done.answer_body == "We are *recruiting* staff."
    question = db.session.get(SessionQuestion, asked["waiting"].id)
    assert question.status == SessionQuestion.ANSWERED and not question.answered_live
    assert question.answer_body == done.answer_body and question.answered_by_id == people["councillor2"].id
    assert events(live) == seen + 1  # the room hears of it
    notes = notifications_of(people["resident"], "question_answered")
    assert len(notes) == 1 and "Cllr Ben Ortiz" in notes[0].text and notes[0].link == f"/questions/mine#t{done.id}"
    assert [m["To"] for m in mail.outbox()] == [people["resident"].email]
    refused(Conflict, accountability.answer, people["councillor"], tracked.id, "Answering twice.")
    refused(Conflict, live_questions.answer, people["councillor"], asked["waiting"].id, "Again, from the room.")


def test_the_room_form_uses_the_same_rule(people, ended):
    live, asked = ended
    done = live_questions.answer(people["councillor"], asked["other"].id, "The shelter is fixed next week.")
    assert done.status == SessionQuestion.ANSWERED
    tracked = tracked_for(asked["other"])
    assert (tracked.status, tracked.how, tracked.answer_body) == ("answered", "written", done.answer_body)
    assert len(notifications_of(people["resident3"], "question_answered")) == 1


# --- transfers --------------------------------------------------------------------------------


def test_transfer_to_a_colleague(people, ended, make_user):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    colleague = make_user(Role.REPRESENTATIVE, "Cllr Cara Lee")
    unverified = make_user(Role.REPRESENTATIVE, "Cllr Not Yet")
    unverified.representative.verified_at = None
    db.session.commit()
    me = people["councillor"]
    refused(PermissionDenied, accountability.transfer, people["resident"], tracked.id, colleague.id, "Why.")
    refused(PermissionDenied, accountability.transfer, colleague, tracked.id, me.id, "Not mine to give.")
    refused(ValidationError, accountability.transfer, me, tracked.id, colleague.id, "  ", field="note")
    refused(ValidationError, accountability.transfer, me, tracked.id, colleague.id, "n" * 2001, field="note")
    for target in (people["resident"], people["admin"], unverified, "abc", 2**70):
        target_id = getattr(target, "id", target)
        refused(ValidationError, accountability.transfer, me, tracked.id, target_id, "Why.", field="to_user_id")
    refused(ValidationError, accountability.transfer, me, tracked.id, me.id, "Myself.", field="to_user_id")
    refused(
        ValidationError,
        accountability.transfer,
        me,
        tracked.id,
        people["councillor2"].id,
        "Has it.",
        field="to_user_id",
    )
    assert tracked_for(asked["waiting"]).transfers == []

    due = tracked.due_on
    moved = accountability.transfer(me, tracked.id, colleague.id, "Libraries are Cara's portfolio.")
    assert moved.assignee_ids == {people["councillor2"].id, colleague.id} and moved.due_on == due
    [history] = db.session.scalars(select(QuestionTransfer)).all()
    assert (history.from_user_id, history.to_user_id, history.by_id) == (me.id, colleague.id, me.id)
    assert history.note == "Libraries are Cara's portfolio."
    [note] = notifications_of(colleague, accountability.FOR_YOU)
    assert "Cllr Amina Shah transferred a question to you" in note.text and note.link == "/answers"
    assert tracked.id not in {t.id for t in accountability.outstanding(me)}
    assert tracked.id in {t.id for t in accountability.outstanding(colleague)}
    refused(PermissionDenied, accountability.answer, me, tracked.id, "No longer mine.")
    assert accountability.answer(colleague, tracked.id, "Sunday opening starts in May.").answered_by_id == colleague.id
    refused(Conflict, accountability.transfer, colleague, tracked.id, me.id, "Too late.")


# --- referrals ----------------------------------------------------------------------------------


def test_refer_upward_and_post_the_reply(people, ended, make_user):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    me = people["councillor"]
    refused(PermissionDenied, accountability.refer, people["resident"], tracked.id, "Department for Education", "n")
    refused(ValidationError, accountability.refer, me, tracked.id, "", "A note.", field="referred_to")
    refused(ValidationError, accountability.refer, me, tracked.id, "DfE" * 100, "A note.", field="referred_to")
    refused(
        ValidationError, accountability.refer, me, tracked.id, "Department for Education", " ", field="referral_note"
    )
    assert tracked_for(asked["waiting"]).status == "awaiting"

    referred = accountability.refer(me, tracked.id, "Department for  Education", "Library funding is national.")
    assert (referred.status, referred.referred_to, referred.referred_by_id) == (
        "referred",
        "Department for Education",
        me.id,
    )
    assert referred.referred_at is not None and referred.referral_note == "Library funding is national."
    [note] = notifications_of(people["resident"], "question_referred")
    assert "referred your question to Department for Education" in note.text
    refused(Conflict, accountability.answer, me, tracked.id, "An answer instead?")
    refused(Conflict, accountability.refer, me, tracked.id, "Someone else", "Again.")
    refused(Conflict, accountability.transfer, me, tracked.id, people["councillor2"].id, "Pass it on.")

    refused(PermissionDenied, accountability.post_referral_reply, people["councillor2"], tracked.id, "Not mine.")
    refused(PermissionDenied, accountability.post_referral_reply, people["resident"], tracked.id, "Not mine.")
    refused(PermissionDenied, accountability.post_referral_reply, people["moderator"], tracked.id, "Not mine.")
    refused(ValidationError, accountability.post_referral_reply, me, tracked.id, "", field="referral_reply")
    refused(ValidationError, accountability.post_referral_reply, me, tracked.id, "r" * 5001, field="referral_reply")

    done = accountability.post_referral_reply(me, tracked.id, "Funding rises by 2% next year.")
    assert (done.status, done.how, done.referral_reply_by_id) == ("answered", "referral", me.id)
    assert done.referral_reply == "Funding rises by 2% next year." and done.referral_reply_at is not None
    question = db.session.get(SessionQuestion, asked["waiting"].id)
    assert question.status == SessionQuestion.ANSWERED and "Reply from Department for Education" in question.answer_body
    assert len(notifications_of(people["resident"], "question_answered")) == 1
    refused(Conflict, accountability.post_referral_reply, me, tracked.id, "Twice.")


def test_an_admin_can_post_the_reply(people, ended):
    live, asked = ended
    tracked = tracked_for(asked["other"])
    accountability.refer(people["councillor2"], tracked.id, "Rt Hon Jo Bloggs MP", "Bus shelters on trunk roads.")
    assert [t.id for t in accountability.referrals_waiting()] == [tracked.id]
    done = accountability.post_referral_reply(people["admin"], tracked.id, "Highways England will fix it.")
    assert done.referral_reply_by_id == people["admin"].id and accountability.referrals_waiting() == []


# --- forum questions ----------------------------------------------------------------------------


def test_a_moderator_puts_a_forum_post_to_a_representative(people, forum_policy, topic):
    thread = forums.start_thread(people["resident"], topic.slug, "Potholes on Station Road", "Who fixes them?").item
    reply = forums.post_reply(people["resident2"], thread.id, "Cllr Shah, when will they be fixed?").item
    cllr = people["councillor"]
    refused(PermissionDenied, accountability.add_forum_question, people["resident"], cllr.id, thread_id=thread.id)
    refused(PermissionDenied, accountability.add_forum_question, cllr, cllr.id, thread_id=thread.id)
    refused(ValidationError, accountability.add_forum_question, people["moderator"], cllr.id)
    refused(
        ValidationError,
        accountability.add_forum_question,
        people["moderator"],
        cllr.id,
        thread_id=thread.id,
        reply_id=reply.id,
    )
    refused(NotFound, accountability.add_forum_question, people["moderator"], cllr.id, thread_id=999999)
    refused(NotFound, accountability.add_forum_question, people["moderator"], cllr.id, reply_id="x")
    refused(
        ValidationError,
        accountability.add_forum_question,
        people["moderator"],
        people["resident3"].id,
        thread_id=thread.id,
        field="representative_id",
    )

    tracked = accountability.add_forum_question(people["moderator"], cllr.id, reply_id=reply.id)
    assert (tracked.source, tracked.reply_id, tracked.thread_id, tracked.asker_id) == (
        "forum",
        reply.id,
        thread.id,
        people["resident2"].id,
    )
    assert tracked.added_by_id == people["moderator"].id and tracked.text == "Cllr Shah, when will they be fixed?"
    assert tracked.due_on == accountability.due_date(accountability.today())
    assert accountability.link(tracked) == f"/replies/{reply.id}"
    assert len(notifications_of(cllr, accountability.FOR_YOU)) == 1
    assert len(notifications_of(people["resident2"], "question_referred")) == 1
    refused(Conflict, accountability.add_forum_question, people["moderator"], cllr.id, reply_id=reply.id)
    again = accountability.add_forum_question(people["moderator"], people["councillor2"].id, reply_id=reply.id)
    assert again.id == tracked.id and again.assignee_ids == {cllr.id, people["councillor2"].id}

    whole = accountability.add_forum_question(people["moderator"], cllr.id, thread_id=thread.id)
    assert (
        whole.text.startswith("Potholes on Station Road\n\n") and accountability.link(whole) == f"/threads/{thread.id}"
    )
    accountability.answer(cllr, whole.id, "Next month.")
    refused(
        Conflict, accountability.add_forum_question, people["moderator"], people["councillor2"].id, thread_id=thread.id
    )


def test_a_hidden_post_cannot_be_put(people, forum_policy, topic):
    thread = forums.start_thread(people["resident"], topic.slug, "Something to hide", "A post to be hidden soon.").item
    thread.state = "hidden"
    db.session.commit()
    refused(
        Conflict, accountability.add_forum_question, people["moderator"], people["councillor"].id, thread_id=thread.id
    )


# --- download my data -------------------------------------------------------------------------


def test_download_my_data_has_the_questions_and_the_answers(people, ended):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    accountability.answer(people["councillor"], tracked.id, "Sunday opening starts in May.")
    mine = privacy.export_user(people["resident"])["sections"]["accountability"]["data"]
    [question] = mine["questions_you_asked"]
    assert question["question"] == "Why is the Northgate library closed on Sundays?"
    assert question["answer"] == "Sunday opening starts in May." and question["status"] == "answered"
    theirs = privacy.export_user(people["councillor"])["sections"]["accountability"]["data"]
    assert [q["answer"] for q in theirs["questions_you_answered_or_referred"]] == [
        "From **March**.",
        "Sunday opening starts in May.",
    ]


def test_deleting_an_account_with_its_content_removes_the_question_text(people, ended):
    from debate.services.accounts import credentials as accounts

    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    privacy.delete_user(people["resident"], password_ok=True, remove_content=True)
    db.session.expire_all()
    assert db.session.get(TrackedQuestion, tracked.id).text == ""
    assert accounts  # the account module registers the eraser that runs last


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_after_the_due_date_only(people, ended, clock):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    assert accountability.overdue() == []
    on_due = tracked.due_on
    assert not accountability.is_overdue(tracked, on_due)
    assert accountability.is_overdue(tracked, on_due + timedelta(days=1))
    assert [t.id for t in accountability.overdue(on_due + timedelta(days=1))] == sorted(
        t.id for t in (tracked, tracked_for(asked["other"]))
    )


def test_for_session_maps_room_questions(people, ended):
    live, asked = ended
    mapped = accountability.for_session(live.id)
    assert set(mapped) == {q.id for q in asked.values()}
    assert mapped[asked["waiting"].id].status == "awaiting" and mapped[asked["live"].id].how == "live"
