"""Languages: which ones the site speaks, how a request picks one, and how a page names its counterparts.

Every language has its own stable address: `/cy/...` is always Welsh, `/ar/...` always Arabic and `/en/...`
always English, so a link can be shared in a language. An address without a prefix speaks the reader's
choice: the one stored on their account, else the functional `lang` cookie, else the first of their
browser's Accept-Language that we speak, else English. Opening a prefixed page records that choice.
The prefix is moved into SCRIPT_NAME (`prefix.LanguagePrefix`), so every `url_for` on a Welsh page
stays Welsh without a view knowing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Language:
    """One language the interface is offered in. `complete` is False for a language that covers the
    residents' journeys and falls back to English elsewhere (the picker says so)."""

    code: str  # the catalogue's and the URL prefix's code
    name: str  # its own name, as its speakers write it
    html_lang: str  # BCP 47 tag for <html lang>
    direction: str  # "ltr" or "rtl"
    complete: bool = True


ENGLISH = Language("en", "English", "en-GB", "ltr")
LANGUAGES: dict[str, Language] = {
    "en": ENGLISH,
    "cy": Language("cy", "Cymraeg", "cy", "ltr"),
    "ar": Language("ar", "العربية", "ar", "rtl", complete=False),
}
DEFAULT = "en"
COOKIE = "lang"

# What the picker adds after a language that is not complete, in that language (shown beside its name).
PARTIAL_NOTE = {"ar": _l("some pages in English")}


def language(code: str | None) -> Language:
    """The language for a code; an unknown or missing code is English."""
    return LANGUAGES.get(code or "", ENGLISH)


def known(code: str | None) -> str | None:
    """The code if we speak it, else None (for values from cookies, forms, accounts and sockets)."""
    return code if code in LANGUAGES else None
