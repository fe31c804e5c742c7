"""The whole life of a question, through the services, as one story (the detailed cases are elsewhere)."""

from debate.services.live import events as live_events
from debate.services.live import questions as live_questions
from debate.services.live import sessions as live_sessions


def test_question_from_asked_to_answered(live, people, published, forum_policy):
    resident, moderator, councillor = people["resident"], people["moderator"], people["councillor"]
    question = live_questions.ask(resident, live.id, "When will the Eastgate repairs start?")
    assert question.state == "held"
    assert live_events.public_questions(live.id) == []
    live_questions.approve(moderator, question.id)
    assert [q.id for q in live_events.public_questions(live.id)] == [question.id]
    live_questions.set_vote(people["resident2"], question.id, True)
    assert question.vote_count == 1
    live_questions.answering(councillor, question.id)
    live_questions.answer(councillor, question.id, "In March.")
    assert question.status == "answered"
    english = [p for e, p, r, n in published if e == "live:event" and r == live_events.room(live.id)]
    kinds = [p["kind"] for p in english]  # each language's room gets its own copy
    assert kinds == ["questions", "votes", "questions", "questions"]
    seqs = [p["seq"] for p in english]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    snap = live_events.snapshot(live)
    assert snap["questions"][0]["status"] == "answered"
    live_sessions.end(people["admin"], live.id)
    assert live_events.events_after(live, 0)[0]["kind"] == "session"
