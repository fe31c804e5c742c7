"""The poll rules: who prepares, opens and closes; one answer each, changeable until close; results."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from debate.errors import Conflict, NotFound, PermissionDenied, ValidationError
from debate.extensions import db
from debate.models.live import SessionEvent
from debate.models.polls import Poll, PollAnswer
from debate.services.live import poll_results, polls
from debate.services.live import sessions as live_sessions
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import queue as moderation_queue
from tests.polls.conftest import option_ids

pytestmark = pytest.mark.usefixtures("forum_policy")


def answers(poll) -> int:
    return db.session.scalar(select(func.count()).select_from(PollAnswer).where(PollAnswer.poll_id == poll.id))


def test_the_host_and_moderators_prepare_and_residents_cannot(people, live, make_poll):
    poll = make_poll(live, open_=False)
    assert poll.state == Poll.DRAFT and [o.label for o in poll.options] == ["Yes", "No", "Not sure"]
    by_moderator = make_poll(live, "scale", open_=False, by=people["moderator"])
    assert by_moderator.kind == "scale" and by_moderator.options == []
    with pytest.raises(PermissionDenied):
        make_poll(live, by=people["resident"])
    with pytest.raises(NotFound):  # the panel answers questions; it does not run polls, nor see drafts
        polls.open_poll(people["councillor"], poll.id)
    polls.open_poll(people["admin"], poll.id)
    with pytest.raises(PermissionDenied):
        polls.close_poll(people["councillor"], poll.id)


def test_bad_polls_are_refused_and_nothing_is_written(people, live, make_poll):
    for kind, options, field in [
        ("single", ["Only one"], "options"),
        ("multiple", ["Same", "same"], "options"),
        ("dice", ["A", "B"], "kind"),
    ]:
        with pytest.raises(ValidationError) as refused:
            make_poll(live, kind, options=options, open_=False)
        assert refused.value.field == field
    with pytest.raises(ValidationError):
        make_poll(live, question="", open_=False)
    with pytest.raises(ValidationError):
        make_poll(live, question="x" * 301, open_=False)
    assert db.session.scalar(select(func.count()).select_from(Poll)) == 0


def test_a_draft_can_change_and_go_but_an_opened_poll_cannot(people, live, make_poll):
    poll = make_poll(live, open_=False)
    form = polls.PollForm(question="Sunday opening: which hours?", kind="multiple", options=["10-12", "12-4", "4-6"])
    assert [o.label for o in polls.edit(people["admin"], poll.id, form).options] == ["10-12", "12-4", "4-6"]
    polls.open_poll(people["admin"], poll.id)
    with pytest.raises(Conflict):
        polls.edit(people["admin"], poll.id, form)
    with pytest.raises(Conflict):
        polls.delete(people["admin"], poll.id)
    other = make_poll(live, open_=False)
    polls.delete(people["moderator"], other.id)
    assert db.session.get(Poll, other.id) is None


def test_one_answer_each_changeable_until_close_then_refused(people, live, make_poll):
    poll = make_poll(live)
    yes, no, _unsure = option_ids(poll)
    polls.answer(people["resident"], poll.id, choices=[yes])
    polls.answer(people["resident"], poll.id, choices=[str(no)])  # a change, as a form sends it
    assert answers(poll) == 1
    assert db.session.scalar(select(PollAnswer.choices).where(PollAnswer.poll_id == poll.id)) == [no]
    polls.close_poll(people["admin"], poll.id)
    with pytest.raises(Conflict):
        polls.answer(people["resident"], poll.id, choices=[yes])
    with pytest.raises(Conflict):
        polls.answer(people["resident2"], poll.id, choices=[yes])
    assert answers(poll) == 1


def test_answers_are_checked(people, live, make_poll):
    single = make_poll(live)
    other = make_poll(live, question="Another question here")
    yes, no, _ = option_ids(single)
    for bad in ([], [yes, no], [option_ids(other)[0]], ["x"], [2**70]):
        with pytest.raises(ValidationError):
            polls.answer(people["resident"], single.id, choices=bad)
    scale = make_poll(live, "scale")
    for bad in (0, 6, "three", None):
        with pytest.raises(ValidationError):
            polls.answer(people["resident"], scale.id, value=bad)
    text = make_poll(live, "text")
    for bad in ("", "   ", "x" * 81):
        with pytest.raises(ValidationError):
            polls.answer(people["resident"], text.id, text=bad)
    assert db.session.scalar(select(func.count()).select_from(PollAnswer)) == 0


def test_a_draft_or_another_sessions_poll_cannot_be_seen_or_answered(people, live, schedule, make_poll):
    draft = make_poll(live, open_=False)
    with pytest.raises(NotFound):
        polls.answer(people["resident"], draft.id, choices=[option_ids(draft)[0]])
    with pytest.raises(NotFound):
        polls.visible(people["resident"], draft)
    assert polls.listing(live, people["resident"]) == []
    assert polls.listing(live, people["moderator"]) == [draft]
    other = schedule(start=True, title="Transport: ask your councillors")
    opened = make_poll(other)
    with pytest.raises(NotFound):  # named through a session it is not in
        polls.answer(people["resident"], opened.id, choices=[option_ids(opened)[0]], session_id=live.id)
    with pytest.raises(NotFound):
        polls.answer(people["resident"], 999999, choices=[1])


def test_a_poll_opens_only_while_the_session_is_live_and_closes_when_it_ends(people, schedule, make_poll):
    coming = schedule()
    poll = make_poll(coming, open_=False)
    with pytest.raises(Conflict):
        polls.open_poll(people["admin"], poll.id)
    live_sessions.start(people["admin"], coming.id)
    polls.open_poll(people["admin"], poll.id)
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    live_sessions.end(people["admin"], coming.id)
    db.session.refresh(poll)
    assert poll.state == Poll.CLOSED and poll.closed_at is not None
    kinds = list(db.session.scalars(select(SessionEvent.kind).where(SessionEvent.session_id == coming.id)))
    assert kinds.count("poll") == 2  # opened, and closed with the session


def test_results_count_choices_scales_and_published_words(people, live, make_poll):
    multiple = make_poll(live, "multiple", options=("Parks", "Roads", "Schools"))
    parks, roads, schools = option_ids(multiple)
    polls.answer(people["resident"], multiple.id, choices=[parks, roads])
    polls.answer(people["resident2"], multiple.id, choices=[parks])
    found = poll_results.results(multiple)
    assert found.answers == 2 and [(r.key, r.count, r.percent) for r in found.rows] == [
        (parks, 2, 100),
        (roads, 1, 50),
        (schools, 0, 0),
    ]
    scale = make_poll(live, "scale")
    for person, value in (("resident", 5), ("resident2", 4), ("resident3", 2)):
        polls.answer(people[person], scale.id, value=value)
    found = poll_results.results(scale)
    assert [r.count for r in found.rows] == [0, 1, 0, 1, 1] and found.mean == 3.7


def test_short_texts_pass_moderation_before_the_word_list(people, live, make_poll):
    poll = make_poll(live, "text", question="One word for the town centre?")
    held = polls.answer(people["resident"], poll.id, text="Busy and friendly")  # a pre-moderated session
    assert held.state == "held"
    assert poll_results.results(poll).words == []
    item = moderation_queue.find("poll_answer", held.id)
    assert item is not None
    moderation_decisions.decide(people["moderator"], item.id, "approve")
    polls.answer(people["resident2"], poll.id, text="friendly, the")
    second = db.session.scalar(select(PollAnswer.id).where(PollAnswer.author_id == people["resident2"].id))
    moderation_decisions.decide(people["moderator"], moderation_queue.find("poll_answer", second).id, "approve")
    found = poll_results.results(poll)
    assert found.answers == 2
    assert found.words[0] == ("friendly", 2) and ("the", 1) not in found.words and ("busy", 1) in found.words


def test_hidden_results_show_to_staff_only_until_the_poll_closes(people, live, make_poll):
    poll = make_poll(live, hide=True)
    polls.answer(people["resident"], poll.id, choices=[option_ids(poll)[0]])
    public = poll_results.results(poll)
    assert public.answers == 1 and not public.shown and public.rows == []
    assert poll_results.plain(public) == {"answers": 1, "hidden": True}
    assert poll_results.results(poll, staff=True).rows[0].count == 1
    polls.close_poll(people["admin"], poll.id)
    assert poll_results.results(poll).rows[0].count == 1


def test_answers_are_in_download_my_data_and_short_texts_go_with_the_content(people, live, make_poll):
    from debate.services import privacy

    choice, text = make_poll(live), make_poll(live, "text", question="One word for the market?")
    polls.answer(people["resident"], choice.id, choices=[option_ids(choice)[1]])
    polls.answer(people["resident"], text.id, text="Lively")
    exported = privacy.export_user(people["resident"])["sections"]["poll_answers"]["data"]
    assert [(a["poll"], a["choices"], a["text"]) for a in exported] == [
        ("Should the library open on Sundays?", ["No"], None),
        ("One word for the market?", [], "Lively"),
    ]
    section = next(s for s in privacy.sections() if s.name == "poll_answers")
    section.eraser(people["resident"], True)
    db.session.commit()
    assert list(db.session.scalars(select(PollAnswer.body).where(PollAnswer.author_id == people["resident"].id))) == [
        None
    ]
