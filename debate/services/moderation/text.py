"""Sentences moderation says to members about decisions and sanctions, in one place to reword and translate.

Labels are lazy strings: they are translated where they are shown, in the reader's language.
Sentences for notices are lazy too (`notices.tell` renders them in the RECIPIENT's language, not the
moderator's), so anything they contain that depends on the language (a category, a time) stays lazy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

import moderation
from debate.models.moderation import Sanction
from debate.services import council_time
from debate.services.content import ContentType

# Past tense of a decision in the audit of an item ("hide" is shown as it was recorded).
ACTION_PAST = {
    "approve": _l("approved"),
    "hide": _l("hid"),
    "remove": _l("removed"),
    "edit": _l("edited"),
}
# A decision's action as a moderator's page names it: the stored word, in the reader's language.
ACTION_LABELS = {
    "approve": _l("approve"),
    "hide": _l("hide"),
    "remove": _l("remove"),
    "edit": _l("edit"),
}
APPEAL_OUTCOMES = {"upheld": _l("upheld"), "overturned": _l("overturned")}
FLAG_OUTCOMES = {"upheld": _l("upheld"), "rejected": _l("rejected")}
ROLE_LABELS = {
    "resident": _l("resident"),
    "representative": _l("representative"),
    "moderator": _l("moderator"),
    "admin": _l("admin"),
}
STATE_LABELS = {
    "published": _l("Public"),
    "held": _l("Held: not shown yet"),
    "flag_hidden": _l("Hidden by flags, pending review"),
    "approved": _l("Public (approved)"),
    "edited": _l("Public (edited by a moderator)"),
    "hidden": _l("Hidden by a moderator"),
    "removed": _l("Removed by a moderator"),
    "withdrawn": _l("Deleted by its author"),
}
# What a sanctioned member reads where they would write (the form is not shown), one sentence per kind.
RESTRICTION_HEADLINES = {
    "mute": _l("Your account is muted: you can read, vote and flag, but you can't post, reply, ask questions or chat."),
    "suspension": _l(
        "Your account is suspended: you can read, but you can't post, reply, ask questions, chat, vote or flag."
    ),
    "ban": _l("Your account is banned: you can't post, reply, ask questions, chat, vote or flag."),
}
SANCTION_LABELS = {
    "warning": _l("Warning"),
    "mute": _l("Mute (can't post)"),
    "suspension": _l("Suspension (can't post, flag or vote)"),
    "ban": _l("Ban"),
}
# A sanction named in a sentence ("the mute on your account").
SANCTION_NOUNS = {"warning": _l("warning"), "mute": _l("mute"), "suspension": _l("suspension"), "ban": _l("ban")}
# What the author calls the content ("your reply").
NOUNS = {
    moderation.ContentKind.THREAD: _l("post"),
    moderation.ContentKind.REPLY: _l("reply"),
    moderation.ContentKind.QUESTION: _l("question"),
    moderation.ContentKind.CHAT_MESSAGE: _l("message"),
    moderation.ContentKind.DISPLAY_NAME: _l("display name"),
}
CATEGORY_VALUES = frozenset(c.value for c in moderation.Category)
# The categories to choose from on a form: (value, label in the reader's language).
CATEGORY_CHOICES = [(c.value, _l(moderation.CATEGORY_LABELS[c])) for c in moderation.Category]


def thing(content_type: ContentType) -> Any:
    """'reply', 'post', 'question': what the author calls it (lazy)."""
    return NOUNS[content_type.kind]


def category_label(value: str | None) -> str:
    """A category's label in the current language ('' for none; an unknown value as stored)."""
    if not value:
        return ""
    try:
        return gettext(moderation.label(moderation.Category(value)))
    except ValueError:
        return value


def lazy_category(value: str | None) -> Any:
    """The category's label, translated when the sentence holding it is rendered (a notice's recipient)."""
    return LazyString(category_label, value)


def when(moment: datetime | None) -> str:
    return council_time.shown(moment)


def joined(*parts: Any) -> Any:
    """Sentences put together only when shown, so each is in the language it is rendered in."""
    return LazyString(lambda: " ".join(str(p) for p in parts if p))


def appeal_offer(days: int) -> Any:
    return lazy_ngettext(
        "If you think this is wrong, you can appeal once, within %(num)d day.",
        "If you think this is wrong, you can appeal once, within %(num)d days.",
        days,
    )


def moderator_note(note: str | None) -> Any:
    return _l("Note from the moderator: %(note)s", note=note) if note else ""


def sanction_sentence(sanction: Sanction) -> Any:
    """'Your account is muted until 3 March 2025 at 14:05 UTC. Reason: Spam (note).' (lazy)"""
    category = lazy_category(sanction.category)
    reason = _l("%(category)s (%(note)s)", category=category, note=sanction.note) if sanction.note else category
    if sanction.kind == "warning":
        return _l("You have been given a warning. Reason: %(reason)s.", reason=reason)
    if sanction.kind == "ban":
        return _l("Your account is banned. Reason: %(reason)s.", reason=reason)
    until = LazyString(when, sanction.ends_at)
    if sanction.kind == "mute":
        return _l("Your account is muted until %(when)s. Reason: %(reason)s.", when=until, reason=reason)
    return _l("Your account is suspended until %(when)s. Reason: %(reason)s.", when=until, reason=reason)


def reason_message(reason: dict[str, Any]) -> str:
    """A stored engine reason as a moderator reads it in the queue.

    The engine writes its reasons in English, addressed to the author, and the queue stores them: in English
    that sentence is shown as written; in another language the reason's label is shown, with the watched
    words it found ("Watched word: “…” (Spam)").
    """
    from flask_babel import get_locale

    from debate.services.moderation.transparency import reason_label

    locale = get_locale()
    if locale is None or locale.language == "en":
        return str(reason.get("message", ""))
    code = str(reason.get("code", ""))
    params = reason.get("params") or {}
    label = reason_label(code) if code else ""
    if params.get("text") and params.get("category"):
        return gettext(
            "%(label)s: “%(text)s” (%(category)s)",
            label=label,
            text=params["text"],
            category=category_label(params["category"]),
        )
    return label or str(reason.get("message", ""))
