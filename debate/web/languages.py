"""The language layer of every page: Flask-Babel, the recorded choice, the picker's links, the script catalogue."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, Response, current_app, g, request
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_login import current_user

from debate.i18n import COOKIE, LANGUAGES, PARTIAL_NOTE, Language, language
from debate.i18n.prefix import LanguagePrefix
from debate.i18n.selection import from_address, select, stored_choice
from debate.services.accounts import language as account_language

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
COOKIE_SECONDS = 365 * 24 * 3600
ASSETS = frozenset({"static", "languages.script_catalogue"})
babel = Babel()
bp = Blueprint("languages", __name__)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select)
    _quicker_template_gettext(app)
    # {% trans %} blocks are one line to translators however the template wraps them (babel.cfg says the same).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.wsgi_app = LanguagePrefix(app.wsgi_app, [code for code in LANGUAGES])  # type: ignore[method-assign]
    app.register_blueprint(bp)
    app.after_request(_remember_choice)
    app.context_processor(_template_globals)
    _unprefixed_assets(app)


def _quicker_template_gettext(app: Flask) -> None:
    """Templates' _(), ngettext() and friends with each language's catalogue remembered per app.

    Flask-Babel's own callables look the catalogue up on every call (the request context three times, the
    locale written out as a string, the domain), ~15 µs, and a page of 50 questions with their forms makes
    over a thousand calls. The catalogue depends only on the locale (this app has one domain and one set of
    translation directories), so it is kept per Locale; `get_locale` still decides which, so force_locale
    and the socket's language work as before."""
    catalogues: dict[Locale, NullTranslations] = {}

    def catalogue() -> NullTranslations:
        try:  # where Flask-Babel keeps the locale it chose (or force_locale set): one context look-up, not five
            locale = g._get_current_object()._flask_babel.babel_locale
        except (AttributeError, RuntimeError):  # not chosen yet in this context, or no context
            locale = get_locale()
        if locale is None:  # outside a request: Flask-Babel's answer (no translation)
            return get_translations()
        found = catalogues.get(locale)
        if found is None:
            found = catalogues[locale] = get_translations()
        return found

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
    )


def _unprefixed_assets(app: Flask) -> None:
    """Static files and script catalogues have one address in every language (one cache entry, and nginx
    serves /static/ itself): their links leave the page's language prefix out."""
    build = app.url_for

    def url_for(endpoint: str, **values: Any) -> str:
        url = build(endpoint, **values)
        named = from_address() if endpoint in ASSETS else None
        return url.removeprefix(f"/{named}") if named and url.startswith(f"/{named}/") else url

    app.url_for = url_for  # type: ignore[method-assign]
    app.jinja_env.globals["url_for"] = url_for


def current() -> Language:
    """The language this request speaks."""
    locale = get_locale()
    return language(locale.language if locale else None)


def counterpart(code: str) -> str:
    """This page's address in language `code` (the same path and query behind that language's prefix)."""
    query = request.query_string.decode("utf-8", "replace")
    return f"/{code}{request.path}" + (f"?{query}" if query else "")


def _template_globals() -> dict:
    here = current()
    others = [
        {"language": other, "href": counterpart(other.code), "note": _in(other.code, PARTIAL_NOTE.get(other.code))}
        for other in LANGUAGES.values()
        if other.code != here.code
    ]
    return {"language": here, "other_languages": others}


def _in(code: str, text: object) -> str | None:
    """A lazy string written in language `code` (the picker speaks each language in that language)."""
    if text is None:
        return None
    with force_locale(code):
        return str(text)


def _remember_choice(response: Response) -> Response:
    """Opening a page at a language's own address records that language as the reader's choice."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    named = from_address()
    if not named or request.method != "GET" or named == stored_choice():
        return response
    response.set_cookie(
        COOKIE,
        named,
        max_age=COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    if current_user.is_authenticated:
        account_language.record(current_user._get_current_object(), named)
    return response


@bp.get("/i18n/<code>.js")
def script_catalogue(code: str) -> Response:
    """The live layer's strings in one language, as a script from our own origin (no third-party request)."""
    if code not in LANGUAGES:
        return Response("/* unknown language */", status=404, mimetype="text/javascript")
    response = Response(_catalogue_script(code), mimetype="text/javascript")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@lru_cache(maxsize=len(LANGUAGES))
def _catalogue_script(code: str) -> str:
    """`window.I18N`: the `js` domain's messages (plural forms as lists) and the language's plural rule."""
    translations = Translations.load(str(TRANSLATIONS), [code], domain="js")
    messages: dict[str, object] = {}
    plurals: dict[str, dict[int, str]] = {}
    for key, text in getattr(translations, "_catalog", {}).items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = text
        elif key:
            messages[key] = text
    messages.update({msgid: [forms[i] for i in sorted(forms)] for msgid, forms in plurals.items()})
    plural = getattr(translations, "plural_expression", None) or _plural_expression(translations)
    body = json.dumps({"lang": code, "messages": messages}, ensure_ascii=False)
    return f"window.I18N = {body};\nwindow.I18N.plural = function (n) {{ return Number({plural}); }};\n"


def _plural_expression(translations: object) -> str:
    """The catalogue's Plural-Forms expression (C syntax, which is also JavaScript); English's when none."""
    header = getattr(translations, "_info", {}).get("plural-forms", "")
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip() == "plural" and value.strip():
            return value.strip()
    return "(n != 1)"
