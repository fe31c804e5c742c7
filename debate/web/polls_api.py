"""Live polls in the JSON API under /api/v1 (documented in docs/api.md): the same services as the pages.

Routes are added to the API's blueprint (`debate.web.api.bp`). Reading needs no account (drafts and
hidden results only for those who run the session); writing acts as the signed-in member and needs the
CSRF token in an X-CSRFToken header, like every other write of the API.
"""

from __future__ import annotations

from flask_login import current_user

from debate.ratelimit import limited
from debate.services.live import poll_events, polls
from debate.services.live import sessions as live_sessions
from debate.web.api import bp
from debate.web.helpers import json_body as _body
from debate.web.helpers import json_ok as _ok


def _user():
    return current_user if current_user.is_authenticated else None


def _poll_json(poll) -> dict:
    return poll_events.poll_data(poll, staff=polls.may_run(_user(), poll.session))


def _form(data: dict) -> polls.PollForm:
    return polls.PollForm(
        question=data.get("question", ""),
        question_cy=data.get("question_cy", ""),
        kind=data.get("kind", ""),
        options=data.get("options", []),
        options_cy=data.get("options_cy", []),
        hide_results=data.get("hide_results", False),
    )


@bp.get("/sessions/<int:session_id>/polls")
def session_polls(session_id: int):
    live = live_sessions.get(session_id)
    return _ok([_poll_json(p) for p in polls.listing(live, _user())])


@bp.post("/sessions/<int:session_id>/polls")
@limited(polls.MANAGE)
def prepare_poll(session_id: int):
    return _ok(_poll_json(polls.prepare(current_user, session_id, _form(_body()))), 201)


@bp.get("/polls/<int:poll_id>")
def poll(poll_id: int):
    return _ok(_poll_json(polls.visible(_user(), polls.get(poll_id))))


@bp.put("/polls/<int:poll_id>")
@limited(polls.MANAGE)
def edit_poll(poll_id: int):
    return _ok(_poll_json(polls.edit(current_user, poll_id, _form(_body()))))


@bp.delete("/polls/<int:poll_id>")
@limited(polls.MANAGE)
def delete_poll(poll_id: int):
    polls.delete(current_user, poll_id)
    return _ok({"id": poll_id, "deleted": True})


@bp.post("/polls/<int:poll_id>/open")
@limited(polls.MANAGE)
def open_poll(poll_id: int):
    return _ok(_poll_json(polls.open_poll(current_user, poll_id)))


@bp.post("/polls/<int:poll_id>/close")
@limited(polls.MANAGE)
def close_poll(poll_id: int):
    return _ok(_poll_json(polls.close_poll(current_user, poll_id)))


@bp.post("/polls/<int:poll_id>/answer")
@limited(polls.ANSWER)
def answer_poll(poll_id: int):
    data = _body()
    row = polls.answer(
        current_user, poll_id, choices=data.get("choices"), value=data.get("value"), text=data.get("text")
    )
    return _ok(
        {
            "poll_id": poll_id,
            "state": row.state,
            "choices": row.choices,
            "value": row.value,
            "text": row.body,
            "change": row.change,
        }
    )
