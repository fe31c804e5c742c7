"""The one place where user text becomes HTML.

Every page, socket event, notification and export that shows user-written text
(threads, replies, questions, answers, chat) goes through `render_markdown`, and
nothing else may build HTML from user text. Keeping it in one function matters
for two reasons:

* The rules are in one place and tested in one place, including against a
  corpus of known injection payloads in a real browser
  (tests/browser/test_sanitiser_corpus.py).
* bleach is deprecated upstream (maintenance only since 2023). Only this module
  imports it, so swapping in `nh3` (or anything else) is a change here alone;
  the tests pin the behaviour the replacement must keep.

How it works, in layers, each of which would stop most attacks by itself:

1. markdown-it-py with `html=False`: raw HTML in the input is escaped as text,
   never passed through. Links are validated by `_safe_url` before markdown-it
   will even make them links; images are rendered as links (or plain alt text),
   so no remote image is ever fetched (third-party requests track readers);
   headings are shifted down two levels so users cannot make an h1 or h2;
   links past a budget of URL characters become text, so reference links
   ("[r]" used 30,000 times) cannot blow the output up.
2. bleach with a strict allow-list (`ALLOWED_TAGS`, `ALLOWED_ATTRIBUTES`,
   `ALLOWED_PROTOCOLS`): strips anything else markdown-it might ever emit,
   notably every `id`, `name`, `class` and `style` (DOM clobbering, overlays).
3. `_LinkFilter`, run inside bleach after its own sanitising: re-checks every
   href, because bleach keeps `href="javascript:123"` (it reads the digits as a
   port). A link whose scheme is not http, https or mailto loses its `<a>` and
   keeps its text. Every surviving link gets `rel="nofollow ugc noopener"` and
   no `target`.

The output is `markupsafe.Markup`, so Jinja will not escape it again; anything
else from users must stay a plain `str` and be autoescaped.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from debate.services.text import shorten

if TYPE_CHECKING:  # bleach re-exports its vendored html5lib's Filter (not generic at run time); its stubs leave it out
    from html5lib.filters.base import Filter

    _TokenFilter = Filter[dict[str, Any]]
else:
    from bleach.html5lib_shim import Filter as _TokenFilter

# Anything longer is refused, never truncated: truncating would publish
# something the author did not write. Callers validate length with a friendly
# message first; this is the backstop that keeps rendering time bounded.
MAX_INPUT_CHARS = 100_000

# markdown-it stops nesting (blockquotes, lists, emphasis, brackets) at this
# depth and drops what is deeper: that bounds both the parse and the depth of
# the HTML tree bleach/html5lib must walk.
MAX_NESTING = 20

# A reference link ("[r]" with "[r]: <long URL>" defined once) copies its URL
# into the output at every use: 3 characters of input can become 50,000 of
# output. Links (and images) beyond this many characters of URL and title in
# one text lose their <a> and stay as text. Typed-out links alone cannot reach
# it (their URLs are part of the input), so real posts never notice.
MAX_LINK_ATTR_CHARS = 2 * MAX_INPUT_CHARS

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "s",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
    }
)
# `start` keeps "3. third" numbered from 3; `title` is the Markdown link title.
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Headings: user h1/h2 would compete with the page's own; shift everything two
# levels down, capped at h6.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def _compact(url: str) -> str:
    """The URL as a browser might read it, but stricter: decoded, squeezed, lowercased.

    Entities are decoded repeatedly (a browser decodes once, so this can only
    refuse more), and every whitespace, control, format and separator character
    is removed wherever it is (browsers drop tabs and newlines inside schemes,
    and leading C0 controls and spaces).
    """
    for _ in range(5):
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    return "".join(ch for ch in url if not (ch.isspace() or unicodedata.category(ch)[0] in "CZ")).lower()


def _safe_url(url: str) -> bool:
    """True for http, https and mailto URLs and for relative URLs with no scheme at all."""
    compact = _compact(url)
    match = _SCHEME.match(compact)
    if match:
        return match.group(1) in ALLOWED_PROTOCOLS
    # No scheme by the URL grammar, but a colon before the first / ? or # means
    # someone is trying something ("\\javascript:", "%6Aavascript:"): refuse.
    first_segment = re.split(r"[/?#]", compact, maxsplit=1)[0]
    return ":" not in first_segment


class _LinkFilter(_TokenFilter):
    """html5lib filter run after bleach's sanitiser: the second check on every link.

    Unsafe links are unwrapped (the text stays, the `<a>` goes). `<a>` cannot
    nest in a parsed tree, but a stack keeps start and end tags paired anyway.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        kept: list[bool] = []
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token["data"])
                href = attrs.get((None, "href"))
                if href is None or not _safe_url(href):
                    kept.append(False)
                    continue
                attrs.pop((None, "target"), None)
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
                kept.append(True)
            elif kind == "EndTag" and token["name"] == "a":
                if kept and not kept.pop():
                    continue
            yield token


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable("strikethrough")
    # Make a link only from a URL that will survive: "[x](javascript:...)" stays visible text.
    md.validateLink = _safe_url  # type: ignore[method-assign]  # markdown-it-py's documented way to set it
    md.add_render_rule("image", _render_image)
    return md


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """An image becomes a link to it, or its alt text inside a link (see `_prepare`).

    No <img> at all: a remote image is a request to a third party as soon as
    the page loads (tracking), and the site does not proxy images.
    """
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = token.attrGet("src") or ""
    if token.meta.get("in_link") or not src:
        return str(escape(alt))
    return f'<a href="{escape(src)}">{escape(alt or src)}</a>'


def _prepare(tokens: list[Token]) -> None:
    """Adjust the parsed tokens before rendering, in one linear pass.

    * Headings move two levels down (h1 -> h3, ..., capped at h6).
    * Images inside a link are marked to render as text (no link in a link).
    * Links and images past MAX_LINK_ATTR_CHARS of URL and title lose their
      link and stay as text (see there): output stays proportionate to input.
    """
    budget = MAX_LINK_ATTR_CHARS
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_SHIFT.get(token.tag, "h6")
        if token.type != "inline" or not token.children:
            continue
        kept: list[Token] = []
        links: list[bool] = []  # open links, True where kept as a link
        for child in token.children:
            if child.type in ("link_open", "image"):
                cost = sum(len(str(value)) for value in child.attrs.values())
                over = cost > budget
                budget = budget if over else budget - cost
                if child.type == "link_open":
                    links.append(not over)
                    if over:
                        continue
                elif over:
                    child = Token("text", "", 0, content=child.content)
                else:
                    child.meta["in_link"] = bool(links)
            elif child.type == "link_close" and links and not links.pop():
                continue
            kept.append(child)
        token.children = kept


_md = _build_markdown()
# bleach's Cleaner holds parser state and is not thread-safe: one per thread
# (per greenlet under gevent's monkey-patching).
_local = threading.local()


def _cleaner() -> Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkFilter],
        )
        _local.cleaner = cleaner
    return cleaner


def _sanitise(html_text: str) -> str:
    """bleach with the allow-list and the link filter (layers 2 and 3 alone, for tests)."""
    return _cleaner().clean(html_text)


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if len(text) > MAX_INPUT_CHARS:
        raise ValueError(f"text too long to render: {len(text)} characters (at most {MAX_INPUT_CHARS})")
    return text


def render_markdown(text: str) -> Markup:
    """Turn user Markdown into safe HTML: the only way user text becomes HTML on this site.

    Allowed: paragraphs, line breaks, emphasis, strong, strikethrough, links
    (http, https, mailto, relative), lists, blockquotes, inline and fenced code,
    headings (rendered as h3-h6) and horizontal rules. Raw HTML is shown as
    text. Raises ValueError above MAX_INPUT_CHARS (callers check lengths first
    and tell the user; this is the backstop).
    """
    text = _check(text)
    return _render_short(text) if len(text) <= CACHE_MAX_CHARS else _render(text)


# Rendering is a pure function of the text, and a live room re-renders the same 1,000 questions for
# every page and every joining client: remembering recent results turns ~0.5 ms each into a lookup.
# Only short texts (questions, chat: 500 characters) are kept, so the cache stays a few MB at most.
CACHE_MAX_CHARS = 1000


@functools.lru_cache(maxsize=2048)
def _render_short(text: str) -> Markup:
    return _render(text)


def _render(text: str) -> Markup:
    if not text.strip():
        return Markup("")
    tokens = _md.parse(text)
    _prepare(tokens)
    rendered = _md.renderer.render(tokens, _md.options, {})
    return Markup(_sanitise(rendered).strip())  # noqa: S704 - this is the sanitiser's output


def render_plain(text: str) -> Markup:
    """Escape a one-line field (a title, a display name) for HTML: no formatting at all.

    The same as Jinja's autoescape; useful where HTML is assembled in Python.
    """
    return escape(text)


# Bidi embeddings, overrides and isolates. Inside rendered blocks their effect
# ends with the user's own paragraph, but an excerpt is shown inline next to
# other text ("... by Rita"), where an unclosed override would reverse it.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))

_BLOCK_ENDS = {
    "paragraph_close",
    "heading_close",
    "code_block",
    "fence",
    "list_item_close",
    "blockquote_close",
    "hr",
}


def excerpt(text: str, n: int = 200) -> str:
    """A plain-text excerpt of at most `n` characters, Markdown removed, for lists and notifications.

    Returns `str`, not Markup: the Markdown syntax is gone, but "<script>" typed
    as text is still text and must be escaped by whoever shows it (Jinja does).
    Cut at a word boundary where there is one, and marked with an ellipsis.
    Bidi override/isolate characters and control characters are removed.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    return clip(plain_text(text), n)


def plain_text(text: str) -> str:
    """What a Markdown text says, as one line of plain text: its words, without the syntax (emphasis marks,
    link targets, list bullets, heading hashes), for excerpts and search snippets.

    Returns `str`, not Markup (see `excerpt`). Bidi override/isolate characters and control characters are
    removed, and runs of white space become one space.
    """
    text = _check(text)
    parts: list[str] = []
    for token in _md.parse(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "image":
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
        if token.type in _BLOCK_ENDS:
            parts.append(" ")
    plain = "".join(parts).translate(_BIDI_CONTROLS)
    plain = "".join(ch for ch in plain if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(plain.split())


def clip(plain: str, n: int) -> str:
    """`plain` if it is at most `n` characters, else its start cut at a word boundary where there is one (never
    inside an emoji sequence), with an ellipsis."""
    if len(plain) <= n:
        return plain
    cut = shorten(plain, n)[:-1]  # between characters, never inside an emoji sequence
    space = cut.rfind(" ")
    if space > n // 2:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"
