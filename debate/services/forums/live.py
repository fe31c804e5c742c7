"""Live forum events: what a thread's readers receive, after the change is committed.

Each thread has a Socket.IO room. A new or changed reply is sent as the same
HTML fragment the page renders (the sanitiser's output inside our template),
made for a reader who is not signed in, so the page's script only inserts
server-made HTML. Held content is never sent: readers get it once approved.

Every reply event also carries the thread's reply count and stance balance
as the page renders them (`counts`), and a changed reply carries how others
quote it (`quote_html`) and, when it is the official response, that copy
too (`official_html`), so hidden or removed text leaves every place an open
page shows it. A thread taken down sends its placeholder (`html`).
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from debate import broadcast, ratelimit
from debate.i18n import DEFAULT, LANGUAGES
from debate.models.forums import Reply, Thread
from debate.services import rendering
from debate.services.forums.access import official_for
from debate.services.forums.viewer import Viewer

# One limit per action, shared by its form, JSON endpoint and socket event (debate/ratelimit.py).
JOIN = ratelimit.limit(
    "thread.join",
    "30/minute",
    _l("You can open live threads at most 30 times a minute. Please wait a moment and try again."),
)
LEAVE = ratelimit.limit(
    "thread.leave",
    "30/minute",
    _l("You can leave live threads at most 30 times a minute. Please wait a moment and try again."),
)


def thread_room(thread_id: int) -> str:
    return f"thread:{thread_id}"


def reply_html(reply: Reply, official_id: int | None = None, official_cy: str = "") -> str:
    """The reply as everyone sees it, or "" when it is not listed at all (held)."""
    if reply.state == "held":
        return ""
    with rendering.outside_request():
        return render_template("forums/_reply.html", reply=reply, view=Viewer.everyone(official_id, official_cy))


def counts_html(thread: Thread) -> dict[str, str]:
    """The replies heading ("3 replies") and the stance balance, rendered as the page renders them."""
    with rendering.outside_request():
        return {
            "heading": render_template("forums/_replies_heading.html", thread=thread),
            "balance": render_template("forums/_stance_balance.html", thread=thread),
        }


def quote_html(reply: Reply) -> str:
    """How other replies quote this one now: its excerpt, or the placeholder once it is not public."""
    with rendering.outside_request():
        return render_template("forums/_quote.html", quoted=reply)


def reply_payload(reply: Reply, changed: bool = False) -> dict[str, Any]:
    """A reply event: its fragments in the default language, and (`translations`) in each other language."""
    official = official_for(reply.thread_id)
    official_id = official.reply_id if official else None
    official_cy = official.body_cy if official else ""
    payload: dict[str, Any] = {"thread_id": reply.thread_id, "reply_id": reply.id, "public": reply.is_public}
    with force_locale(DEFAULT):
        payload.update(_fragments(reply, changed, official_id, official_cy))
    translations = {}
    for code in LANGUAGES:
        if code != DEFAULT:
            with force_locale(code):
                translations[code] = _fragments(reply, changed, official_id, official_cy)
    payload["translations"] = translations
    return payload


def _fragments(reply: Reply, changed: bool, official_id: int | None, official_cy: str) -> dict[str, Any]:
    """The HTML a reply event carries, in the language in force."""
    out: dict[str, Any] = {"html": reply_html(reply, official_id, official_cy), "counts": counts_html(reply.thread)}
    if changed:
        out["quote_html"] = quote_html(reply)
        if official_id == reply.id:  # the copy under "Official response" changes (or goes) too
            out["official_html"] = _official_html(reply, official_cy) if reply.is_public else ""
    return out


def _official_html(reply: Reply, official_cy: str = "") -> str:
    with rendering.outside_request():
        view = Viewer.everyone(reply.id, official_cy)
        return render_template("forums/_reply.html", reply=reply, view=view, id_prefix="official-")


# A thread's room holds readers of every language: an event's fragments come in the default language (never in the
# language of whoever's request caused it) with the same fragments in each other language under "translations",
# which the page's script uses for its own language. A page's catch-up (`pages.catch_up`) is rendered in its
# reader's language.


def reply_posted(reply: Reply) -> None:
    broadcast.publish("forum:reply_new", reply_payload(reply), thread_room(reply.thread_id))


def reply_changed(reply: Reply) -> None:
    """Edited, deleted or moderated: readers who have it on screen see the new version (or it goes)."""
    broadcast.publish("forum:reply_changed", reply_payload(reply, changed=True), thread_room(reply.thread_id))


def helpful_changed(reply: Reply) -> None:
    payload = {"thread_id": reply.thread_id, "reply_id": reply.id, "count": reply.helpful_count}
    broadcast.publish("forum:helpful", payload, thread_room(reply.thread_id))


def official_changed(thread_id: int) -> None:
    broadcast.publish("forum:official_changed", {"thread_id": thread_id}, thread_room(thread_id))


def thread_changed(thread: Thread) -> None:
    """Edited, locked, deleted or moderated: readers are told, and reload the opening post if they wish.

    An opening post that is no longer public leaves open pages at once: its placeholder comes with the event.
    """
    payload: dict[str, Any] = {"thread_id": thread.id, "locked": thread.locked, "public": thread.is_public}
    if not thread.is_public:
        with force_locale(DEFAULT):
            payload["html"] = _taken_down_html(thread)
        translations = {}
        for code in LANGUAGES:
            if code != DEFAULT:
                with force_locale(code):
                    translations[code] = {"html": _taken_down_html(thread)}
        payload["translations"] = translations
    broadcast.publish("forum:thread_changed", payload, thread_room(thread.id))


def _taken_down_html(thread: Thread) -> str:
    with rendering.outside_request():
        return render_template("forums/_thread_post.html", thread=thread, view=Viewer.everyone(), show_body=False)
