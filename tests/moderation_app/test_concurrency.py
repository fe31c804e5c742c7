"""Two moderators at once, for real: two threads, two database sessions, SQLite and PostgreSQL.

A barrier holds both threads until each has read the item and checked its
decision, so both really race for it; the conditional UPDATE decides who wins.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from debate.errors import Conflict
from debate.extensions import db
from debate.models import User
from debate.models.moderation import AuditEntry, ModerationDecision, ReviewItem
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue

ROUNDS = 5


def _hold_at(monkeypatch, name: str, parties: int = 2) -> None:
    """Make `moderation_queue.<name>` wait until every racer reached it."""
    barrier = threading.Barrier(parties, timeout=20)
    real = getattr(moderation_queue, name)

    def held(*args):
        if name == "gate":
            barrier.wait()  # every thread has done its reads: now they race for the row
            return real(*args)
        found = real(*args)
        barrier.wait()  # every thread has read the item as free
        return found

    monkeypatch.setattr(moderation_queue, name, held)


def _race(app, attempts):
    """Run each (callable, user id) in its own thread, app context and session."""
    results: dict[int, tuple[str, object]] = {}

    def run(index, action, user_id):
        with app.app_context():
            try:
                results[index] = ("ok", action(db.session.get(User, user_id)))
            except Conflict as exc:
                results[index] = ("conflict", exc.message)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                results[index] = ("error", repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a, u)) for i, (a, u) in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return [results[i] for i in range(len(attempts))]


def _open_item(notes, make_user, flagger):
    note = notes.make(make_user())
    moderation_flags.raise_flag(flagger, "note", note.id, "spam", "")
    item_id = moderation_queue.find("note", note.id).id
    db.session.commit()
    return item_id


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_moderators_deciding_at_once_record_exactly_one_decision(
    app, notes, make_user, moderators, monkeypatch, round_
):
    flagger = make_user()
    from debate.models import Role

    flagger.role = Role.ADMIN.value  # a staff flag hides at once; neither racer flagged it
    db.session.commit()
    item_id = _open_item(notes, make_user, flagger)
    _hold_at(monkeypatch, "gate")
    results = _race(
        app,
        [
            (lambda u: moderation_decisions.decide(u, item_id, "hide", "spam", "first").id, moderators[0].id),
            (lambda u: moderation_decisions.decide(u, item_id, "remove", "spam", "second").id, moderators[1].id),
        ],
    )
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["conflict", "ok"], results
    loser = next(r for r in results if r[0] == "conflict")
    assert loser[1].startswith("Already decided")
    db.session.expire_all()
    assert len(db.session.scalars(select(ModerationDecision)).all()) == 1
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(("hide", "remove")))).all()) == 1
    assert db.session.get(ReviewItem, item_id).status == "decided"


def test_two_moderators_claiming_at_once_exactly_one_holds_it(app, notes, make_user, moderators, monkeypatch):
    from debate.models import Role

    item_id = _open_item(notes, make_user, make_user(Role.ADMIN))
    _hold_at(monkeypatch, "_claimable")
    results = _race(
        app,
        [
            (lambda u: moderation_queue.claim(u, item_id).claimed_by_id, moderators[0].id),
            (lambda u: moderation_queue.claim(u, item_id).claimed_by_id, moderators[1].id),
        ],
    )
    assert sorted(r[0] for r in results) == ["conflict", "ok"], results
    winner = next(r for r in results if r[0] == "ok")[1]
    loser_message = next(r for r in results if r[0] == "conflict")[1]
    winner_name = db.session.get(User, winner).display_name
    assert loser_message.startswith(f"Already claimed by {winner_name}")
    db.session.expire_all()
    assert db.session.get(ReviewItem, item_id).claimed_by_id == winner
    # The loser can't decide it either while the claim stands.
    monkeypatch.undo()
    loser = moderators[0] if winner == moderators[1].id else moderators[1]
    with pytest.raises(Conflict, match="Already claimed"):
        moderation_decisions.decide(loser, item_id, "approve")
