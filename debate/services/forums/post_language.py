"""The language an author may mark their post as written in (threads.lang, replies.lang).

Optional: a post not marked has no `lang` of its own (it inherits the page's). The list is the site's
languages and a few community languages spoken in the area; each is labelled in its own name.
"""

from __future__ import annotations

from flask_babel import gettext as _

from debate.errors import ValidationError

# BCP 47 tag -> the language's own name (not translated: speakers find their language by its name).
POST_LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "ar": "العربية",
    "ur": "اردو",
    "pl": "Polski",
    "bn": "বাংলা",
    "so": "Soomaali",
    "pa": "ਪੰਜਾਬੀ",
    "gu": "ગુજરાતી",
}
# Scripts written right to left among them (the option's own dir).
RTL = frozenset({"ar", "ur"})


class _Unchanged:
    """An edit that does not mention the language keeps the one the post has."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def clean_lang(value: object) -> str | None:
    """A tag from the list, or None for "not marked"; anything else is refused, naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value in POST_LANGUAGES:
        return value
    raise ValidationError(
        _("Choose the language of your post from the list, or leave it not marked."),
        "lang",
    )


def direction(tag: str | None) -> str:
    return "rtl" if tag in RTL else "ltr"
