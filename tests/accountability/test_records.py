"""Record figures for a crafted history, compared with numbers worked out by hand; and a trip through time."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from debate.extensions import db
from debate.models.accountability import QuestionAssignee, TrackedQuestion
from debate.services import council_time, mail
from debate.services.accountability import questions as accountability
from tests.accountability.conftest import notifications_of, tracked_for

TODAY = date(2026, 6, 15)
T0 = datetime(2026, 5, 1, 12, 0)  # when each crafted question joined the list


def craft(n, asker, holders, status, *, how=None, days=None, due=None, referred=False):
    """One tracked question `days` after T0 answered (if answered), held by `holders`."""
    row = TrackedQuestion(
        source="forum",
        source_key=f"crafted:{n}",
        asker_id=asker.id,
        text=f"Crafted question {n}",
        put_at=T0,
        tracked_at=T0,
        status=status,
        how=how,
        due_on=due,
        assignees=[QuestionAssignee(user_id=u.id) for u in holders],
    )
    if days is not None:
        row.answered_at = T0 + timedelta(days=days)
        row.answered_by_id = holders[0].id
    if referred:
        row.referred_to, row.referred_at, row.referred_by_id = "Department for Transport", T0, holders[0].id
    db.session.add(row)
    return row


@pytest.fixture
def history(people):
    """Amina (A) and Ben (B). Hand-computed figures below."""
    a, b, r = people["councillor"], people["councillor2"], people["resident"]
    craft(1, r, [a], "answered", how="live", days=0)
    craft(2, r, [a, b], "answered", how="written", days=2, due=date(2026, 5, 29))  # shared by A and B
    craft(3, r, [a], "answered", how="written", days=5.5, due=date(2026, 5, 29))
    craft(4, r, [a], "answered", how="written", days=10.25, due=date(2026, 5, 8))  # answered 11 May: late
    craft(5, r, [a], "awaiting", due=date(2026, 6, 30))  # outstanding, not overdue
    craft(6, r, [a], "awaiting", due=date(2026, 6, 12))  # overdue on 15 June
    craft(7, r, [a], "referred", due=date(2026, 5, 29), referred=True)  # waiting for the reply
    craft(8, r, [a], "answered", how="referral", days=30, due=date(2026, 5, 29), referred=True)
    craft(9, r, [b], "answered", how="written", days=3, due=date(2026, 5, 29))
    craft(10, r, [b], "awaiting", due=date(2026, 6, 15))  # due today: not overdue yet
    craft(11, r, [b], "awaiting", due=date(2026, 6, 1))  # overdue
    db.session.commit()
    return a, b


def test_record_figures_for_a_crafted_history(history):
    a, b = history
    assert accountability.record(a.id, TODAY) == accountability.Figures(
        put=8,
        answered_live=1,
        answered_written=3,
        answered_by_referral=1,
        outstanding=2,
        overdue=1,
        referred=2,
        referred_waiting=1,
        answered_late=2,  # q4 (written, 11 May > 8 May) and q8 (replied 31 May > 29 May)
        median_days=5.5,  # of 2, 5.5, 10.25
    )
    assert accountability.record(b.id, TODAY) == accountability.Figures(
        put=4,
        answered_written=2,
        outstanding=2,
        overdue=1,
        median_days=2.5,  # of 2 and 3: an even count takes the mean of the middle two
    )
    # The council counts question 2 once: 11 questions, written answers after 2, 5.5, 10.25 and 3 days.
    assert accountability.council_record(TODAY) == accountability.Figures(
        put=11,
        answered_live=1,
        answered_written=4,
        answered_by_referral=1,
        outstanding=4,
        overdue=2,
        referred=2,
        referred_waiting=1,
        answered_late=2,
        median_days=4.3,  # (3 + 5.5) / 2 = 4.25, rounded half up to one decimal
    )
    table = dict(accountability.representatives_record(TODAY))
    assert table[a] == accountability.record(a.id, TODAY) and table[b].put == 4
    # A day later question 10 is overdue too.
    assert accountability.record(b.id, TODAY + timedelta(days=1)).overdue == 2


def test_nothing_answered_in_writing_has_no_median(people):
    assert accountability.record(people["councillor"].id, TODAY) == accountability.Figures()
    assert accountability.council_record(TODAY).median_days is None


def test_the_record_pages_show_the_computed_figures(client, history, monkeypatch):
    a, b = history
    monkeypatch.setattr(accountability, "now", lambda: datetime(2026, 6, 15, 11, 0))
    page = client.get("/record").get_data(as_text=True)
    link = f'<a href="/representatives/{a.id}/record"><bdi>Cllr Amina Shah</bdi></a>'
    row = re.search(rf'<th scope="row">{link}</th>(.*?)</tr>', page, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells == ["8", "1", "3", "5.5", "2", "<strong>1 overdue</strong>", "2"]
    assert "<dt>Median days to a written answer</dt><dd>4.3</dd>" in page
    assert "counts written answers only" in page
    mine = client.get(f"/representatives/{a.id}/record").get_data(as_text=True)
    assert "<dt>Questions put</dt><dd>8</dd>" in mine and "<dt>Overdue</dt><dd>1</dd>" in mine
    overdue_item = re.search(
        r'<article class="post tracked-question" id="t(\d+)".*?Crafted question 6.*?</article>', mine, re.S
    )
    assert "Overdue</span> since Fri 12 Jun 2026" in overdue_item.group(0)
    assert "Referred to <strong><bdi>Department for Transport</bdi></strong>" in mine


# --- time travel ------------------------------------------------------------------------------


def test_left_unanswered_then_overdue_then_answered_late(client, people, ended, clock):
    live, asked = ended
    tracked = tracked_for(asked["waiting"])
    due = tracked.due_on
    cllr = people["councillor"]
    record_page = f"/representatives/{cllr.id}/record"

    def item(page: str) -> str:
        match = re.search(rf'<article class="post tracked-question" id="t{tracked.id}".*?</article>', page, re.S)
        assert match, "the question is not on the page"
        return match.group(0)

    assert "Overdue" not in item(client.get(record_page).get_data(as_text=True))
    # The clock moves to the morning after the due date (council time).
    local_morning = datetime.combine(due + timedelta(days=1), datetime.min.time()).replace(hour=9)
    clock.set(council_time.to_utc(local_morning))
    shown = item(client.get(record_page).get_data(as_text=True))
    assert '<span class="badge badge-warn">Overdue</span>' in shown and "Awaiting a written answer" in shown
    assert accountability.council_record().overdue == 2  # "other" was left unanswered too
    assert "<strong>2 overdue</strong>" in client.get("/record").get_data(as_text=True)

    mail.outbox().clear()
    accountability.answer(cllr, tracked.id, "Sunday opening starts in May.")
    shown = item(client.get(record_page).get_data(as_text=True))
    assert "Overdue" not in shown and "answered after its due date" in shown
    assert "Answered in writing by <bdi>Cllr Amina Shah</bdi>" in shown
    assert accountability.record(cllr.id).overdue == 1 and accountability.record(cllr.id).answered_late == 1
    expected_days = (clock.moment - live.ended_at).total_seconds() / 86400
    assert abs(accountability.record(cllr.id).median_days - expected_days) <= 0.05
    [note] = notifications_of(people["resident"], "question_answered")
    assert "answered in writing by Cllr Amina Shah" in note.text
    [email] = mail.outbox()
    assert email["To"] == people["resident"].email and "answered in writing" in email.get_content()


def test_today_is_the_council_date(clock, app):
    app.config["TIMEZONE"] = "Pacific/Auckland"
    clock.set(datetime(2026, 6, 15, 13, 0))  # 01:00 on the 16th in Auckland
    assert accountability.today() == date(2026, 6, 16)
