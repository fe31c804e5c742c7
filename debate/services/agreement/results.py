"""The recomputation of a round's groups and consensus, off the request path, and the stored result.

A vote only marks its round (`recompute.mark("agreement", round_id)`); the recompute loop
(`services/recompute.py`) runs `recompute` once per marked round per interval, however many votes came
in. The job reads the round's `changes` first, then the votes on its public statements, runs the
analysis in a native thread (`offload.run`: numpy and scikit-learn must not stall the event loop), and
stores the result and every clustered voter's placement.

Storing is conditional, so the job is safe to run twice and in two processes at once: one UPDATE moves
the round's `computed_changes` up to what this computation read, only if it is still below it. The
UPDATE locks the round's row until the commit, so of two computations the one from fewer changes (or
the second from the same) finds nothing to move and stores nothing: a newer result is never
overwritten by an older one. `stale` names rounds whose stored result is behind (the sweep's keys).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from sqlalchemy import delete, select, update

from debate.extensions import db, socketio
from debate.models.accounts import User
from debate.models.agreement import AgreementPlacement, AgreementResult, AgreementRound, AgreementVote, Statement
from debate.models.base import utcnow
from debate.permissions import signed_in
from debate.services import offload, rows
from debate.services import recompute as recompute_loop
from debate.services.agreement import analysis

CHUNK = 5000  # vote rows read between two yields to the event loop


def votes_of(round_id: int) -> analysis.Votes:
    """The vote matrix of the round's public statements, those nobody voted on yet included (a hidden
    statement's votes do not count)."""
    voted, columns = vote_rows(round_id)
    return analysis.Votes.from_rows(voted, columns)


def vote_rows(round_id: int) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The (voter, statement, choice) rows on the round's public statements, and those statements' ids.

    Read CHUNK rows at a time with a yield to the event loop between chunks: a large round has hundreds
    of thousands of votes, and reading them in one go held every socket of the process for seconds
    (bench/agreement_load.py)."""
    found = db.session.execute(
        select(AgreementVote.voter_id, AgreementVote.statement_id, AgreementVote.choice)
        .join(Statement, Statement.id == AgreementVote.statement_id)
        .where(AgreementVote.round_id == round_id, Statement.state.in_(Statement.PUBLIC_STATES))
        .execution_options(yield_per=CHUNK)
    )
    voted: list[tuple[int, int, int]] = []
    for chunk in found.partitions():
        voted.extend((voter, statement, choice) for voter, statement, choice in chunk)
        socketio.sleep(0)
    columns = list(
        db.session.scalars(
            select(Statement.id).where(Statement.round_id == round_id, Statement.state.in_(Statement.PUBLIC_STATES))
        )
    )
    return voted, columns


def recompute(round_id: int) -> None:
    """The "agreement" recompute job: analyse the round's votes and store the result, unless it is current.

    Reading the votes yields to the event loop; building the matrix and the analysis run off it
    (`offload.run`)."""
    round = db.session.get(AgreementRound, round_id)
    if round is None or round.changes <= round.computed_changes:
        db.session.rollback()
        return
    changes, seed = round.changes, round.seed
    previous = analysis.KState.from_json(round.k_state)
    voted, columns = vote_rows(round_id)
    db.session.rollback()  # no transaction held open while the analysis runs
    started = time.perf_counter()
    found = offload.run(lambda: analysis.analyse(analysis.Votes.from_rows(voted, columns), previous, seed))
    duration_ms = round_ms(time.perf_counter() - started)
    store(round_id, changes, found, duration_ms)


def round_ms(seconds: float) -> int:
    return int(seconds * 1000 + 0.5)


def store(round_id: int, changes: int, found: analysis.Analysis, duration_ms: int) -> bool:
    """Store the result computed from `changes`, unless one from as many or more is stored (returns whether)."""
    won = rows.changed(
        update(AgreementRound)
        .where(AgreementRound.id == round_id, AgreementRound.computed_changes < changes)
        .values(computed_changes=changes, k_state=found.k_state.to_json())
        .execution_options(synchronize_session=False)
    )
    if not won:
        db.session.rollback()
        return False
    _store_result(round_id, changes, found, duration_ms)
    _store_placements(round_id, found)
    db.session.commit()
    return True


def _store_result(round_id: int, changes: int, found: analysis.Analysis, duration_ms: int) -> None:
    public = found.public
    result = db.session.scalar(select(AgreementResult).where(AgreementResult.round_id == round_id))
    if result is None:
        result = AgreementResult(round_id=round_id)
        db.session.add(result)
    result.computed_at = utcnow()
    result.changes = changes
    result.participants = int(public.get("participants") or 0)
    result.clustered = int(public.get("clustered") or 0)
    result.statements = int(public.get("statements") or 0)
    result.votes = int(public.get("votes") or 0)
    result.duration_ms = duration_ms
    result.k = public.get("k")
    result.public = public


def _store_placements(round_id: int, found: analysis.Analysis) -> None:
    db.session.execute(delete(AgreementPlacement).where(AgreementPlacement.round_id == round_id))
    if found.placements:
        db.session.execute(
            AgreementPlacement.__table__.insert(),  # type: ignore[attr-defined]  # a Table, typed as FromClause
            [
                {"round_id": round_id, "voter_id": voter, "group": p.group, "x": float(p.x), "y": float(p.y)}
                for voter, p in sorted(found.placements.items())
            ],
        )


def stale() -> Iterable[int]:
    """Rounds changed since their stored result (drafts included: a host may look at a draft's result)."""
    return list(
        db.session.scalars(select(AgreementRound.id).where(AgreementRound.changes > AgreementRound.computed_changes))
    )


def latest(round: AgreementRound) -> AgreementResult | None:
    """The stored result (its `public` is safe to show anyone), or None before the first computation."""
    return db.session.scalar(select(AgreementResult).where(AgreementResult.round_id == round.id))


def placement(user: User | None, round: AgreementRound) -> analysis.Placement | None:
    """Where this voter sits (their own only: callers pass the signed-in person, never someone else)."""
    if not signed_in(user):
        return None
    row = db.session.scalar(
        select(AgreementPlacement).where(
            AgreementPlacement.round_id == round.id, AgreementPlacement.voter_id == user.id
        )
    )
    if row is None:
        return None
    return analysis.Placement(group=row.group, x=row.x, y=row.y)


def changed(round_id: int) -> None:
    """Something the result depends on changed outside a vote (an erased account): count it, recompute."""
    db.session.execute(
        update(AgreementRound)
        .where(AgreementRound.id == round_id)
        .values(changes=AgreementRound.changes + 1)
        .execution_options(synchronize_session=False)
    )


recompute_loop.register("agreement", recompute, stale)
