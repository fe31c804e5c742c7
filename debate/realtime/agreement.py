"""Where we agree over Socket.IO (namespace "/"): `agree:vote`, a vote on a round's statement.

The event goes through the guard (signed in, rate limited under the same limit as the form and the JSON
API, payload checked) and calls the same service (`voting.vote`). The ack carries what was stored, the
voter's progress (numbers and the sentence the page shows) and the next card as the server's own
fragment (templates/agreement/_card.html), so the page's script inserts it as it is. Nothing is
broadcast: a vote changes only the voter's own page; the results are recomputed in the background.
Documented in docs/realtime.md.
"""

from __future__ import annotations

from flask import render_template

from debate.realtime.guard import Field, on_event
from debate.services.agreement import rounds, vote_page, voting

VOTE = {"round_id": Field(int), "statement_id": Field(int), "choice": Field(str, max_len=10)}


@on_event("agree:vote", schema=VOTE, limit=voting.VOTE)
def vote(user, payload):
    found = rounds.get_visible(payload["round_id"], user)
    outcome = voting.vote(user, found, payload["statement_id"], payload["choice"])
    card = vote_page.card(user, found)
    return {
        "round_id": found.id,
        "statement_id": outcome.statement.id,
        "choice": outcome.choice,
        "previous": outcome.previous,
        "message": vote_page.saved_message(outcome),
        "progress": {"voted": card.voted, "total": card.total, "text": vote_page.progress_text(card)},
        "next_statement_id": card.statement.id if card.statement is not None else None,
        "html": render_template("agreement/_card.html", card=card, vote_refusal=None),
    }
