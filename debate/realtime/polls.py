"""Live polls over Socket.IO (namespace "/"): answer, and for the host and moderators open and close.

Every event goes through the guard and calls the same service as the room's forms and the JSON API,
under the same limits. Results reach the room as numbered "live:event" messages ("poll" when a poll
opens or closes, "poll_results" a few times a second while answers come in); the acks only confirm the
sender's own action. Documented in docs/realtime.md.
"""

from __future__ import annotations

from debate.realtime.guard import Field, on_event
from debate.services.live import poll_events, polls

POLL = {"poll_id": Field(int)}
ANSWER = {
    "poll_id": Field(int),
    "choices": Field(list, required=False, max_len=polls.OPTIONS_MAX),
    "value": Field(int, required=False),
    "text": Field(str, required=False, chars=polls.TEXT_ANSWER_MAX),
}


@on_event("poll:answer", schema=ANSWER, limit=polls.ANSWER)
def answer(user, payload):
    row = polls.answer(
        user, payload["poll_id"], choices=payload.get("choices"), value=payload.get("value"), text=payload.get("text")
    )
    return {
        "poll_id": payload["poll_id"],
        "state": row.state,
        "choices": row.choices,
        "value": row.value,
        "change": row.change,
    }


@on_event("poll:open", schema=POLL, limit=polls.MANAGE)
def open_poll(user, payload):
    return {"poll": poll_events.poll_data(polls.open_poll(user, payload["poll_id"]), staff=True)}


@on_event("poll:close", schema=POLL, limit=polls.MANAGE)
def close_poll(user, payload):
    return {"poll": poll_events.poll_data(polls.close_poll(user, payload["poll_id"]), staff=True)}
