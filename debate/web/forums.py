"""Forum pages: topics, threads, replies, search. Each view parses, identifies, calls one service, renders.

Every form works without JavaScript; the thread page's script only adds live
replies. A form that fails is shown again with what was typed and the reason.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.local import LocalProxy

from debate.errors import ServiceError
from debate.models.topics import SCOPES
from debate.ratelimit import limited
from debate.services import bilingual, publishing
from debate.services.forums import access as forum_access
from debate.services.forums import content as forum_content  # noqa: F401
from debate.services.forums import data as forum_data  # noqa: F401

# Imported for what importing does: register threads and replies with moderation, and the privacy section.
from debate.services.forums import (
    follows,
    search,
    topics,
    votes,
)
from debate.services.forums import pages as forum_pages
from debate.services.forums import posts as forums
from debate.services.forums.post_language import POST_LANGUAGES
from debate.services.forums.post_language import direction as lang_direction
from debate.services.forums.viewer import STANCE_LABELS, Viewer, moderator_note, placeholder
from debate.services.markdown import excerpt, render_markdown
from debate.web.helpers import attempt, flash_error, safe_next

bp = Blueprint("forums", __name__)


def _user():
    return current_user if current_user.is_authenticated else None


def _int_arg(name: str, default: int = 1) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        abort(404)
    return int(value)


def _form_key() -> str:
    """A fresh key per rendered form: sending the same form twice posts once."""
    return secrets.token_urlsafe(16)


@bp.app_template_filter("markdown")
def markdown_filter(text: str):

    return render_markdown(text or "")


@bp.app_template_filter("excerpt")
def excerpt_filter(text: str, n: int = 200) -> str:

    return excerpt(text or "", n)


@bp.app_context_processor
def forum_helpers() -> dict:
    return {
        "stance_labels": STANCE_LABELS,
        "placeholder": placeholder,
        "moderator_note": moderator_note,
        "sorts": forum_pages.SORTS,
        "scopes": SCOPES,
        "post_languages": POST_LANGUAGES,
        "lang_direction": lang_direction,
        "pick": bilingual.pick,
        # Lazy: the policy is read (one query) only by pages that show a post form.
        "policy_limits": LocalProxy(lambda: publishing.policy().limits),
    }


# --- topics -----------------------------------------------------------------------------------


@bp.get("/topics/<slug>")
def topic(slug: str):
    data = forum_pages.topic_page(_user(), slug, _int_arg("page"))
    return render_template("forums/topic.html", data=data, view=Viewer(_user()))


@bp.route("/topics/new", methods=["GET", "POST"])
@login_required
@limited(topics.MANAGE)
def new_topic():
    topics.check_manage(current_user)  # refused before the form is shown, as its submission would be
    if request.method == "GET":
        return render_template("forums/topic_form.html", error=None, form={}, topic=None)
    f = request.form
    created, error = attempt(
        lambda: topics.create_topic(
            current_user,
            f.get("title"),
            f.get("description"),
            f.get("scope"),
            f.get("title_cy"),
            f.get("description_cy"),
        )
    )
    if error:
        return render_template("forums/topic_form.html", error=error, form=f, topic=None), error.http_status
    flash(_("Topic “%(title)s” created.", title=created.title), "success")
    return redirect(url_for("forums.topic", slug=created.slug))


@bp.route("/topics/<slug>/edit", methods=["GET", "POST"])
@login_required
@limited(topics.MANAGE)
def edit_topic(slug: str):
    topics.check_manage(current_user)
    existing = forum_access.get_topic(slug)
    if request.method == "GET":
        form = {
            "title": existing.title,
            "description": existing.description,
            "scope": existing.scope,
            "title_cy": existing.title_cy,
            "description_cy": existing.description_cy,
        }
        return render_template("forums/topic_form.html", error=None, form=form, topic=existing)
    f = request.form
    _done, error = attempt(
        lambda: topics.edit_topic(
            current_user,
            slug,
            f.get("title"),
            f.get("description"),
            f.get("scope"),
            f.get("title_cy"),
            f.get("description_cy"),
        )
    )
    if error:
        return render_template("forums/topic_form.html", error=error, form=f, topic=existing), error.http_status
    flash(_("Topic saved."), "success")
    return redirect(url_for("forums.topic", slug=slug))


# --- threads ----------------------------------------------------------------------------------


@bp.route("/topics/<slug>/new", methods=["GET", "POST"])
@login_required
@limited(forums.START_THREAD)
def new_thread(slug: str):
    topic = forums.check_start_thread(current_user, slug)
    if request.method == "GET":
        return render_template("forums/new_thread.html", topic=topic, error=None, form={}, key=_form_key())
    f = request.form
    posted, error = attempt(
        lambda: forums.start_thread(
            current_user, slug, f.get("title"), f.get("body"), f.get("submission_key"), f.get("lang")
        )
    )
    if error:
        return render_template(
            "forums/new_thread.html", topic=topic, error=error, form=f, key=f.get("submission_key") or _form_key()
        ), error.http_status
    _flash_posted(posted, "thread")
    return redirect(url_for("forums.thread", thread_id=posted.item.id))


def _flash_posted(posted: forums.Posted, noun: str) -> None:
    thread = noun == "thread"
    if not posted.created:
        message = (
            _("You had already sent this thread, so it was posted once.")
            if thread
            else _("You had already sent this reply, so it was posted once.")
        )
    elif posted.held:
        message = (
            _("Your thread is awaiting review before others can see it. %(reason)s", reason=posted.reason)
            if thread
            else _("Your reply is awaiting review before others can see it. %(reason)s", reason=posted.reason)
        )
    else:
        message = _("Your thread is posted.") if thread else _("Your reply is posted.")
    flash(message, "success")


def _flash_saved(posted: forums.Posted) -> None:
    if posted.held:
        flash(_("Your changes are saved. They are awaiting review. %(reason)s", reason=posted.reason), "success")
    else:
        flash(_("Your changes are saved."), "success")


def _thread_page(thread_id: int, error: ServiceError | None = None, form=None, status: int = 200):
    form = form or {}
    data = forum_pages.thread_page(
        _user(),
        thread_id,
        request.args.get("sort"),
        _int_arg("page"),
        _int_arg("per_page", forum_pages.PER_PAGE),
        form.get("quote_of") or request.args.get("quote"),
    )
    view = Viewer(_user(), data.my_votes, data.official.id if data.official else None, official_cy=data.official_cy)
    key = form.get("submission_key") or _form_key()
    return render_template(
        "forums/thread.html", data=data, view=view, thread=data.thread, error=error, form=form, key=key
    ), status


@bp.get("/threads/<int:thread_id>")
def thread(thread_id: int):
    return _thread_page(thread_id)


@bp.post("/threads/<int:thread_id>/replies")
@login_required
@limited(forums.REPLY)
def reply(thread_id: int):
    f = request.form
    posted, error = attempt(
        lambda: forums.post_reply(
            current_user,
            thread_id,
            f.get("body"),
            f.get("stance"),
            f.get("quote_of"),
            f.get("submission_key"),
            f.get("lang"),
        )
    )
    if error:
        return _thread_page(thread_id, error, f, error.http_status)
    _flash_posted(posted, "reply")
    if posted.held:
        return redirect(url_for("forums.thread", thread_id=thread_id, _anchor="awaiting-review"))
    return redirect(url_for("forums.permalink", reply_id=posted.item.id))


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
@limited(forums.EDIT)
def edit_thread(thread_id: int):
    item = forum_access.get_thread(current_user, thread_id)
    refused = _edit_refused("thread", item)
    if refused:
        return refused
    if request.method == "GET":
        return _edit_form("thread", item, None, {"title": item.title, "body": item.body, "lang": item.lang or ""})
    f = request.form
    posted, error = attempt(
        lambda: forums.edit_thread(current_user, thread_id, f.get("title"), f.get("body"), f.get("lang"))
    )
    if error:
        return _edit_form("thread", item, error, f)
    _flash_saved(posted)
    return redirect(url_for("forums.thread", thread_id=thread_id))


@bp.route("/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
@limited(forums.EDIT)
def edit_reply(reply_id: int):
    item = forum_access.get_reply(current_user, reply_id)
    refused = _edit_refused("reply", item)
    if refused:
        return refused
    if request.method == "GET":
        form = {"body": item.body, "stance": item.stance or "", "lang": item.lang or ""}
        return _edit_form("reply", item, None, form)
    f = request.form
    posted, error = attempt(
        lambda: forums.edit_reply(current_user, reply_id, f.get("body"), f.get("stance"), f.get("lang"))
    )
    if error:
        return _edit_form("reply", forum_access.get_reply(current_user, reply_id), error, f)
    _flash_saved(posted)
    return redirect(url_for("forums.permalink", reply_id=reply_id))


def _edit_refused(kind: str, item):
    """The edit page with the reason instead of the form, when the edit itself would be refused (GET or POST)."""
    _done, refusal = attempt(lambda: forum_access.check_edit(current_user, item))
    if refusal is None:
        return None
    page = render_template("forums/edit_post.html", kind=kind, item=item, error=None, form={}, refusal=refusal.message)
    return page, refusal.http_status


def _edit_form(kind: str, item, error, form):
    status = error.http_status if error else 200
    return render_template("forums/edit_post.html", kind=kind, item=item, error=error, form=form, refusal=None), status


@bp.route("/threads/<int:thread_id>/delete", methods=["GET", "POST"])
@login_required
@limited(forums.DELETE)
def delete_thread(thread_id: int):
    item = forum_access.get_thread(current_user, thread_id)
    forum_access.check_delete(current_user, item)  # refused before "Delete your thread?" is asked, as deleting would be
    if request.method == "GET":
        return render_template("forums/confirm_delete.html", kind="thread", item=item)
    _done, error = attempt(lambda: forums.delete_thread(current_user, thread_id))
    if error:
        flash_error(error)
    else:
        flash(_("Your thread is deleted. Replies others wrote stay."), "success")
    return redirect(url_for("forums.thread", thread_id=thread_id))


@bp.route("/replies/<int:reply_id>/delete", methods=["GET", "POST"])
@login_required
@limited(forums.DELETE)
def delete_reply(reply_id: int):
    item = forum_access.get_reply(current_user, reply_id)
    forum_access.check_delete(current_user, item)
    if request.method == "GET":
        return render_template("forums/confirm_delete.html", kind="reply", item=item)
    _done, error = attempt(lambda: forums.delete_reply(current_user, reply_id))
    if error:
        flash_error(error)
    else:
        flash(_("Your reply is deleted."), "success")
    return redirect(url_for("forums.permalink", reply_id=reply_id))


@bp.post("/threads/<int:thread_id>/lock")
@login_required
@limited(forums.LOCK)
def lock(thread_id: int):
    locking = request.form.get("action") == "lock"
    _done, error = attempt(lambda: forums.set_locked(current_user, thread_id, locking))
    if error:
        flash_error(error)
    else:
        flash(_("Thread locked.") if locking else _("Thread unlocked."), "success")
    return redirect(url_for("forums.thread", thread_id=thread_id))


@bp.post("/threads/<int:thread_id>/follow")
@login_required
@limited(follows.FOLLOW)
def follow(thread_id: int):
    following = request.form.get("action") == "follow"
    _done, error = attempt(lambda: follows.set_following(current_user, thread_id, following))
    if error:
        flash_error(error)
    else:
        flash(_("You follow this thread.") if following else _("You no longer follow this thread."), "success")
    return redirect(url_for("forums.thread", thread_id=thread_id))


@bp.get("/threads/<int:thread_id>/history")
def thread_history(thread_id: int):
    item, revisions = forums.history(_user(), "thread", thread_id)
    return render_template("forums/history.html", kind="thread", item=item, revisions=revisions)


# --- replies ----------------------------------------------------------------------------------


@bp.get("/replies/<int:reply_id>")
def permalink(reply_id: int):
    """A reply's lasting address: redirects to the page of the thread that shows it."""
    thread_id, page = forum_pages.reply_location(_user(), reply_id)
    args: dict = {"page": page} if page > 1 else {}
    if request.args.get("quote"):  # "Quote": the reply form, with this reply quoted
        return redirect(url_for("forums.thread", thread_id=thread_id, quote=reply_id, _anchor="reply-form", **args))
    return redirect(url_for("forums.thread", thread_id=thread_id, _anchor=f"reply-{reply_id}", **args))


@bp.get("/replies/<int:reply_id>/history")
def reply_history(reply_id: int):
    item, revisions = forums.history(_user(), "reply", reply_id)
    return render_template("forums/history.html", kind="reply", item=item, revisions=revisions)


@bp.post("/replies/<int:reply_id>/helpful")
@login_required
@limited(votes.HELPFUL)
def helpful(reply_id: int):
    adding = request.form.get("action") != "remove"
    _done, error = attempt(lambda: votes.set_helpful(current_user, reply_id, adding))
    if error:
        flash_error(error)
    return redirect(safe_next(url_for("forums.permalink", reply_id=reply_id)))


@bp.post("/replies/<int:reply_id>/official")
@login_required
@limited(votes.OFFICIAL)
def official(reply_id: int):
    marking = request.form.get("action") != "remove"
    body_cy = request.form.get("body_cy")
    _done, error = attempt(lambda: votes.set_official(current_user, reply_id, marking, body_cy))
    if error:
        flash_error(error)
    else:
        flash(_("Marked as the official response.") if marking else _("No longer the official response."), "success")
    return redirect(url_for("forums.permalink", reply_id=reply_id))


# --- search -----------------------------------------------------------------------------------


@bp.get("/search")
def search_page():
    results, error = attempt(lambda: search.search(_user(), request.args.get("q"), _int_arg("page")))
    status = error.http_status if error else 200
    return render_template("forums/search.html", results=results, error=error, q=request.args.get("q", "")), status
