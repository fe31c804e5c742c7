"""The forums' JSON API under /api/v1 (documented in docs/api.md): the same services as the pages.

Reading needs no account. Writing acts as the signed-in member (the session
cookie) and, like every form, needs the CSRF token: send it in an X-CSRFToken
header. Errors are {"ok": false, "error": {"code", "message", "field"?}}.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from debate.errors import ValidationError
from debate.ratelimit import limited
from debate.services.accounts import roles
from debate.services.forums import access as forum_access
from debate.services.forums import follows, search, votes
from debate.services.forums import pages as forum_pages
from debate.services.forums import posts as forums
from debate.services.forums.post_language import UNCHANGED
from debate.services.forums.viewer import Viewer, moderator_note, placeholder
from debate.web.helpers import json_body as _body
from debate.web.helpers import json_ok as _ok

bp = Blueprint("forums_api", __name__, url_prefix="/api/v1")


def _user():
    return current_user if current_user.is_authenticated else None


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        raise ValidationError(_("'%(name)s' must be a whole number.", name=name), name)
    return int(value)


def _key(data: dict):
    return data.get("submission_key") or request.headers.get("Idempotency-Key")


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def _author(user) -> dict:
    rep = user.representative if user.is_verified_representative else None
    office = None if rep is None else {"title": rep.title, "role": roles.role_title(rep), "area": rep.area}
    return {"name": user.public_name, "verified_representative": office}


def _post_fields(item, view: Viewer) -> dict:
    shown = view.shows_text(item)
    return {
        "id": item.id,
        "author": _author(item.author),
        "state": item.state,
        "placeholder": None if item.is_public else placeholder(item),
        "moderator_note": moderator_note(item),
        "body": item.body if shown else None,
        "lang": item.lang,
        "created_at": _iso(item.created_at),
        "edited_at": _iso(item.edited_at),
    }


def reply_json(reply, view: Viewer) -> dict:
    return {
        **_post_fields(reply, view),
        "thread_id": reply.thread_id,
        "stance": reply.stance,
        "quote_of": reply.quote_of_id,
        "helpful_count": reply.helpful_count,
        "you_found_helpful": reply.id in view.my_votes,
        "official": reply.id == view.official_id,
        "url": f"/replies/{reply.id}",
    }


def thread_json(thread, view: Viewer) -> dict:
    return {
        **_post_fields(thread, view),
        "title": thread.title if view.shows_text(thread) else placeholder(thread),
        "topic": thread.topic.slug,
        "locked": thread.locked,
        "reply_count": thread.reply_count,
        "stances": thread.stance_counts(),
        "last_activity_at": _iso(thread.last_activity_at),
        "url": f"/threads/{thread.id}",
    }


def _posted(posted: forums.Posted, as_json):
    data = {**as_json(posted.item, Viewer(_user())), "created": posted.created, "held_reason": posted.reason or None}
    return _ok(data, 201 if posted.created else 200)


# --- reading ----------------------------------------------------------------------------------


@bp.get("/topics")
def topics():
    return _ok(
        [
            {
                "slug": a.topic.slug,
                "title": a.topic.title,
                "description": a.topic.description,
                "scope": a.topic.scope,
                "threads": a.threads,
                "replies": a.replies,
                "last_activity_at": _iso(a.last_activity_at),
            }
            for a in forum_pages.topic_overview()
        ]
    )


@bp.get("/topics/<slug>/threads")
def topic_threads(slug: str):
    data = forum_pages.topic_page(_user(), slug, _int_arg("page", 1))
    view = Viewer(_user())
    return _ok(
        {
            "topic": {"slug": data.topic.slug, "title": data.topic.title, "description": data.topic.description},
            "page": data.page,
            "pages": data.pages,
            "threads": [thread_json(t, view) for t in data.threads],
        }
    )


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    data = forum_pages.thread_page(
        _user(), thread_id, request.args.get("sort"), _int_arg("page", 1), _int_arg("per_page", forum_pages.PER_PAGE)
    )
    view = Viewer(_user(), data.my_votes, data.official.id if data.official else None)
    return _ok(
        {
            "thread": thread_json(data.thread, view),
            "official_response": {**reply_json(data.official, view), "body_cy": data.official_cy or None}
            if data.official
            else None,
            "sort": data.sort,
            "page": data.page,
            "pages": data.pages,
            "per_page": data.per_page,
            "replies": [reply_json(r, view) for r in data.replies],
            "your_replies_awaiting_review": [reply_json(r, view) for r in data.my_held],
            "following": data.following,
        }
    )


@bp.get("/replies/<int:reply_id>")
def reply(reply_id: int):
    item = forum_access.get_reply(_user(), reply_id)
    official = forum_access.official_for(item.thread_id)
    return _ok(
        reply_json(item, Viewer(_user(), votes.voted(_user(), [item.id]), official.reply_id if official else None))
    )


@bp.get("/search")
def search_api():
    results = search.search(_user(), request.args.get("q"), _int_arg("page", 1))
    return _ok(
        {
            "query": results.query,
            "page": results.page,
            "has_next": results.has_next,
            "matches": results.matches,  # all of them, or (more_matches) the most recent ones, ranked
            "more_matches": results.more,
            "results": [
                {
                    "kind": h.kind,
                    "thread_id": h.thread.id,
                    "reply_id": h.reply.id if h.reply else None,
                    "title_html": str(h.title),
                    "snippet_html": str(h.snippet),
                    "url": f"/replies/{h.reply.id}" if h.reply else f"/threads/{h.thread.id}",
                }
                for h in results.hits
            ],
        }
    )


# --- writing ----------------------------------------------------------------------------------


@bp.post("/topics/<slug>/threads")
@limited(forums.START_THREAD)
def start_thread(slug: str):
    data = _body()
    posted = forums.start_thread(_user(), slug, data.get("title"), data.get("body"), _key(data), data.get("lang"))
    return _posted(posted, thread_json)


@bp.patch("/threads/<int:thread_id>")
@limited(forums.EDIT)
def edit_thread(thread_id: int):
    data = _body()
    edited = forums.edit_thread(_user(), thread_id, data.get("title"), data.get("body"), data.get("lang", UNCHANGED))
    return _posted(edited, thread_json)


@bp.delete("/threads/<int:thread_id>")
@limited(forums.DELETE)
def delete_thread(thread_id: int):
    return _ok(thread_json(forums.delete_thread(_user(), thread_id), Viewer(_user())))


@bp.post("/threads/<int:thread_id>/replies")
@limited(forums.REPLY)
def post_reply(thread_id: int):
    data = _body()
    posted = forums.post_reply(
        _user(), thread_id, data.get("body"), data.get("stance"), data.get("quote_of"), _key(data), data.get("lang")
    )
    return _posted(posted, reply_json)


@bp.patch("/replies/<int:reply_id>")
@limited(forums.EDIT)
def edit_reply(reply_id: int):
    data = _body()
    edited = forums.edit_reply(_user(), reply_id, data.get("body"), data.get("stance"), data.get("lang", UNCHANGED))
    return _posted(edited, reply_json)


@bp.delete("/replies/<int:reply_id>")
@limited(forums.DELETE)
def delete_reply(reply_id: int):
    return _ok(reply_json(forums.delete_reply(_user(), reply_id), Viewer(_user())))


@bp.route("/replies/<int:reply_id>/helpful", methods=["PUT", "DELETE"])
@limited(votes.HELPFUL)
def helpful(reply_id: int):
    item = votes.set_helpful(_user(), reply_id, request.method == "PUT")
    return _ok({"reply_id": item.id, "helpful_count": item.helpful_count, "you_found_helpful": request.method == "PUT"})


@bp.route("/replies/<int:reply_id>/official", methods=["PUT", "DELETE"])
@limited(votes.OFFICIAL)
def official(reply_id: int):
    sent = request.get_json(silent=True) if request.method == "PUT" else None
    welsh = sent.get("body_cy") if isinstance(sent, dict) else None
    item = votes.set_official(_user(), reply_id, request.method == "PUT", welsh)
    return _ok({"reply_id": item.id, "thread_id": item.thread_id, "official": request.method == "PUT"})


@bp.route("/threads/<int:thread_id>/follow", methods=["PUT", "DELETE"])
@limited(follows.FOLLOW)
def follow(thread_id: int):
    item = follows.set_following(_user(), thread_id, request.method == "PUT")
    return _ok({"thread_id": item.id, "following": request.method == "PUT"})


@bp.post("/threads/<int:thread_id>/lock")
@limited(forums.LOCK)
def lock(thread_id: int):
    locked = _body().get("locked")
    if not isinstance(locked, bool):
        raise ValidationError(_("'locked' must be true or false."), "locked")
    item = forums.set_locked(_user(), thread_id, locked)
    return _ok({"thread_id": item.id, "locked": item.locked})
