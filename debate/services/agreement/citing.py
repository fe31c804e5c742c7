"""An outcome ("you said, we did") cites a round's consensus statements: what every group agreed on.

A moderator or admin who runs rounds links an outcome to a round whose stored result has enough votes
to name groups; the outcome's page then lists the round's consensus statements: those a majority of
every group agrees with (`pages.Row.every_group_majority`, as the report marks them), in the "Where we
agree" order, public ones only, with a link to the results. The round's voters are told once, as a
survey's respondents are (`services/surveys/citing.py`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from debate.errors import Conflict
from debate.extensions import db
from debate.models.accounts import User
from debate.models.agreement import AgreementRound, AgreementVote, Statement
from debate.models.outcomes import Outcome
from debate.services import bilingual, notifications
from debate.services.accountability import outcomes
from debate.services.agreement import pages, results, rounds

CITED_MAX = 5  # consensus statements shown on the outcome


def cite(user: User, outcome_id: object, round_id: object) -> Outcome:
    """Make the outcome cite the round (replacing any round it cited) and tell the round's voters."""
    rounds.require_manage(user)
    found = rounds.get_visible(round_id, user)
    if found.state == AgreementRound.DRAFT:
        raise Conflict(_("Open the round before an outcome cites it."))
    stored = results.latest(found)
    if stored is None or not stored.public.get("enough"):
        raise Conflict(_("This round has not had enough votes yet to show what every group agrees on."))
    outcome = outcomes.get(outcome_id)
    if outcome.agreement_round_id == found.id:
        return outcome
    outcome.agreement_round_id = found.id
    _tell_voters(found, outcome)
    db.session.commit()
    return outcome


def _tell_voters(found: AgreementRound, outcome: Outcome) -> None:
    voters = db.session.scalars(select(AgreementVote.voter_id).where(AgreementVote.round_id == found.id).distinct())
    for voter_id in voters:
        voter = db.session.get(User, voter_id)
        question = bilingual.pick(found, "question", voter.locale if voter else None).text
        notifications.notify(
            voter_id,
            "outcome_published",
            _l(
                "An outcome cites what people agreed on in the round “%(question)s” that you voted in.",
                question=question,
            ),
            f"/outcomes/{outcome.id}",
            subject=f"outcome:{outcome.id}",
        )


def cited(outcome: Outcome) -> tuple[AgreementRound, list[Statement]] | None:
    """The round an outcome cites and its consensus statements (public ones; at most CITED_MAX), or None."""
    if outcome.agreement_round_id is None:
        return None
    found = db.session.get(AgreementRound, outcome.agreement_round_id)
    stored = results.latest(found) if found is not None else None
    if found is None or stored is None:
        return None
    agreed = [row.statement_id for row in pages.of_result(found, stored).consensus if row.every_group_majority]
    shown = {
        s.id: s
        for s in db.session.scalars(
            select(Statement).where(Statement.id.in_(agreed), Statement.state.in_(Statement.PUBLIC_STATES))
        )
    }
    return found, [shown[i] for i in agreed if i in shown][:CITED_MAX]
