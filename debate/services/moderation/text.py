"""Sentences moderation says to members about decisions and sanctions, in one place to reword and translate.

Labels are lazy strings: they are translated where they are shown, in the reader's language.
Sentences for notices are lazy too (`notices.tell` renders them in the RECIPIENT's language, not the
moderator's), so anything they contain that depends on the language (a category, a time) stays lazy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import format_number, get_locale, gettext, lazy_ngettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

import moderation
from debate.errors import Text
from debate.extensions import db
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


# --------------------------------------------------------------------------- the engine's reasons, for authors

_PLACES = {"forum": _l("discussion"), "live_session": _l("session"), "profile": _l("page")}


def _noun(kind: moderation.ContentKind, field: str) -> Any:
    return _l("title") if field == "title" else NOUNS[kind]


def _span(seconds: float, *, round_up: bool = True) -> str:
    """'45 seconds', '3 minutes', '2 hours', '5 days' in the current language: the largest unit that fits."""
    seconds = max(1.0, seconds)

    def count(size: int) -> int:
        return math.ceil(seconds / size) if round_up else math.floor(seconds / size)

    if seconds >= 86400:
        return ngettext("%(num)d day", "%(num)d days", count(86400))
    if seconds >= 3600:
        return ngettext("%(num)d hour", "%(num)d hours", count(3600))
    if seconds >= 60:
        return ngettext("%(num)d minute", "%(num)d minutes", count(60))
    return ngettext("%(num)d second", "%(num)d seconds", count(1))


def author_message(reason: moderation.Reason, kind: moderation.ContentKind, context: moderation.Context) -> str:
    """The engine's reason as a sentence to its author in the current language, rebuilt from its code and params.

    The engine writes English (`reason.message`); this is the same sentence through the catalogue. A reason
    this does not know is shown as the engine wrote it.
    """
    code, params = reason.code, reason.params
    thing = _noun(kind, reason.field)
    will_check = gettext("A moderator will check it before it is shown.")
    category = category_label(params.get("category")).lower() if params.get("category") else ""
    C = moderation.ReasonCode  # noqa: N806 - short, read like an enum
    if code is C.EMPTY:
        return gettext("Your %(thing)s is empty. Please write something.", thing=thing)
    if code is C.TOO_LONG:
        return gettext(
            "Your %(thing)s is too long: %(size)s characters, and the limit is %(limit)s. Please shorten it.",
            thing=thing,
            size=format_number(params["length"]),
            limit=format_number(params["limit"]),
        )
    if code is C.CONTROL_CHARACTERS:
        return gettext(
            "Your %(thing)s contains invisible control or invalid characters. Please remove them and try again.",
            thing=thing,
        )
    if code is C.DIRECTION_CONTROLS:
        return gettext(
            "Your %(thing)s contains characters that change the direction text is shown in, "
            "which can disguise what it says. %(will_check)s",
            thing=thing,
            will_check=will_check,
        )
    if code is C.COMBINING_FLOOD:
        return gettext(
            "Your %(thing)s stacks more than %(limit)s accent marks on one letter, "
            "which can spill over other text. %(will_check)s",
            thing=thing,
            limit=params["limit"],
            will_check=will_check,
        )
    if code is C.RATE_LIMITED:
        return " ".join(
            (
                ngettext(
                    "You're posting too quickly: at most %(num)d post per %(period)s.",
                    "You're posting too quickly: at most %(num)d posts per %(period)s.",
                    params["max_posts"],
                    period=_span(params["per_seconds"]).removeprefix("1 "),
                ),
                gettext("Please wait %(wait)s and try again.", wait=_span(params["retry_after_seconds"])),
            )
        )
    if code is C.DUPLICATE:
        return gettext(
            "You posted the same text %(ago)s ago. Please don't post the same thing twice.",
            ago=_span(params["ago_seconds"], round_up=False),
        )
    if code is C.NEW_ACCOUNT:
        return ngettext(
            "Welcome! The first post from a new account is checked by a moderator before it is shown.",
            "Welcome! The first %(num)d posts from a new account are checked by a moderator before they are shown.",
            params["hold_first_posts"],
        )
    if code is C.TOO_MANY_LINKS and kind is moderation.ContentKind.DISPLAY_NAME:
        return gettext("Display names can't contain links.")
    if code is C.TOO_MANY_LINKS:
        follow = will_check if reason.action is moderation.Action.HOLD else gettext("Please remove some and try again.")
        if params["limit"] == 0:
            return gettext("New accounts can include no links in a %(thing)s. %(follow)s", thing=thing, follow=follow)
        return ngettext(
            "New accounts can include at most %(num)d link in a %(thing)s. %(follow)s",
            "New accounts can include at most %(num)d links in a %(thing)s. %(follow)s",
            params["limit"],
            thing=thing,
            follow=follow,
        )
    if code is C.PREMODERATED:
        return gettext(
            "This %(place)s reviews every %(thing)s before it is shown.",
            place=_PLACES.get(context.kind.value, context.kind.value),
            thing=thing,
        )
    if code is C.WATCHED_BLOCKED:
        return gettext(
            "Your %(thing)s can't be published because it contains “%(text)s”, "
            "which isn't allowed here (%(category)s). Please rephrase it.",
            thing=thing,
            text=params["text"],
            category=category,
        )
    if code is C.WATCHED_HELD and params.get("certain", True) is False and reason.action is moderation.Action.HOLD:
        if "looks like" in reason.message:
            return gettext(
                "Your %(thing)s contains “%(text)s”, which looks like wording that isn't allowed here "
                "(%(category)s). %(will_check)s",
                thing=thing,
                text=params["text"],
                category=category,
                will_check=will_check,
            )
    if code in (C.MUTED, C.SUSPENDED, C.BANNED):
        return _sanctioned(params, category)
    if code is C.WATCHED_HELD:
        return gettext(
            "Your %(thing)s contains “%(text)s”. %(will_check)s",
            thing=thing,
            text=params["text"],
            will_check=will_check,
        )
    return reason.message


def _sanctioned(params: dict[str, Any], category: str) -> str:
    """'Your account is muted until …, so you can't post until then. Reason: spam (note).'"""
    sanction_id = str(params.get("sanction_id", "")).removeprefix("sanction:")
    row = db.session.get(Sanction, int(sanction_id)) if sanction_id.isdigit() else None
    note = row.note if row is not None else ""
    reason = (
        gettext("Reason: %(category)s (%(note)s).", category=category, note=note)
        if note
        else gettext("Reason: %(category)s.", category=category)
    )
    if params.get("kind") == "ban":
        return " ".join((gettext("Your account is banned, so you can't post."), reason))
    ends = council_time.parse_iso(params.get("until")) if params.get("until") else None
    until = when(ends) if ends is not None else ""
    if params.get("kind") == "mute":
        sentence = (
            gettext("Your account is muted until %(when)s, so you can't post until then.", when=until)
            if until
            else gettext("Your account is muted, so you can't post until then.")
        )
    else:
        sentence = (
            gettext("Your account is suspended until %(when)s, so you can't post until then.", when=until)
            if until
            else gettext("Your account is suspended, so you can't post until then.")
        )
    return " ".join((sentence, reason))


HELD_LABELS = {
    "muted": _l("Author muted"),
    "suspended": _l("Author suspended"),
    "banned": _l("Author banned"),
    "empty": _l("Empty"),
    "too_long": _l("Too long"),
    "control_characters": _l("Control characters"),
    "direction_controls": _l("Text direction controls"),
    "combining_flood": _l("Stacked accents"),
    "rate_limited": _l("Posting too fast"),
    "duplicate": _l("Repeated post"),
    "new_account": _l("New account's first posts"),
    "too_many_links": _l("Too many links for a new account"),
    "premoderated": _l("Place reviews every post"),
    "watched_blocked": _l("Watched word"),
    "watched_held": _l("Watched word"),
    "watched_flagged": _l("Watched word"),
}


# Reason codes other features record in the audit log (a live question taken out of order: "follow_up"),
# with their labels, registered by those features (`add_reason_labels`): moderation does not import them.
_OTHER_LABELS: dict[str, Text] = {}


def add_reason_labels(labels: Mapping[str, Text]) -> None:
    _OTHER_LABELS.update(labels)


def reason_label(code: str) -> str:
    """A category or hold reason code as the public reads it."""
    if code in CATEGORY_VALUES:
        return category_label(code)
    label = HELD_LABELS.get(code) or _OTHER_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()
