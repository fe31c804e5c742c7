"""render_markdown: the one function that turns user text into HTML.

The allow-list and the URL rules are written out here again, on purpose: these
tests pin the behaviour, so a replacement sanitiser (nh3 for bleach) must keep it.
Every output is re-parsed with the standard library's html.parser and audited.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from debate.services import markdown
from debate.services.markdown import MAX_INPUT_CHARS, excerpt, render_markdown, render_plain
from tests.support.corpora import CORPORA

XSS = CORPORA / "xss_public.jsonl"
UNICODE = CORPORA / "unicode.jsonl"

TAGS = {
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
ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}
REL = "nofollow ugc noopener"


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


XSS_CASES = _load(XSS)
UNICODE_CASES = _load(UNICODE)


def url_scheme_problem(url: str) -> str | None:
    """Why a (once-decoded) href is unsafe, or None: http, https, mailto or plainly relative only."""
    for _ in range(5):  # entities inside entities ("&#x26;#74;") decoded until stable
        decoded = html.unescape(url)
        if decoded == url:
            break
        url = decoded
    squeezed = "".join(ch for ch in url if not (ch.isspace() or unicodedata.category(ch)[0] in "CZ")).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    if match:
        return None if match.group(1) in SCHEMES else f"scheme {match.group(1)!r} in {url!r}"
    if ":" in re.split(r"[/?#]", squeezed, maxsplit=1)[0]:
        return f"colon before the path in relative {url!r}"
    return None


class Audit(HTMLParser):
    """Everything in rendered HTML that breaks the rules, plus its depth and links."""

    VOID = {"br", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.depth = 0
        self.max_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"element <{tag}>")
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"duplicate attribute on <{tag}>: {names}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            elif name not in ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
        if tag == "a":
            link = dict(attrs)
            self.links.append(link)
            if link.get("href") is None:
                self.problems.append("<a> without href")
            else:
                problem = url_scheme_problem(link["href"])
                if problem:
                    self.problems.append(problem)
            if link.get("rel") != REL:
                self.problems.append(f"<a> with rel={link.get('rel')!r}")
        if tag not in self.VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth -= 1

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data!r}")


def audit(rendered: str) -> Audit:
    parser = Audit()
    parser.feed(rendered)
    parser.close()
    return parser


def assert_safe(rendered: str) -> Audit:
    result = audit(rendered)
    assert not result.problems, f"{result.problems}\n--- output ---\n{rendered}"
    return result


# --- what users may write ----------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*em* and _em_", "<p><em>em</em> and <em>em</em></p>"),
        ("**strong**", "<p><strong>strong</strong></p>"),
        ("~~gone~~", "<p><s>gone</s></p>"),
        ("line one  \nline two", "<p>line one<br>\nline two</p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("use `x < y`", "<p>use <code>x &lt; y</code></p>"),
        ("```python\nif a < b:\n    pass\n```", "<pre><code>if a &lt; b:\n    pass\n</code></pre>"),
        ("    indented code", "<pre><code>indented code\n</code></pre>"),
        ("above\n\n---\n\nbelow", "<p>above</p>\n<hr>\n<p>below</p>"),
        ("### Three", "<h5>Three</h5>"),
        (
            '[the council](https://example.org/council "Minutes")',
            f'<p><a href="https://example.org/council" title="Minutes" rel="{REL}">the council</a></p>',
        ),
        ("<https://example.org/a?b=1&c=2>", f'<p><a href="https://example.org/a?b=1&amp;c=2" rel="{REL}">'),
        ("<clerk@example.org>", f'<p><a href="mailto:clerk@example.org" rel="{REL}">clerk@example.org</a></p>'),
        ("[minutes](/threads/12#reply-3)", f'<p><a href="/threads/12#reply-3" rel="{REL}">minutes</a></p>'),
        ("Zażółć gęślą jaźń, مرحبا, নমস্কার", "<p>Zażółć gęślą jaźń, مرحبا, নমস্কার</p>"),
        ("Fish & chips < 5", "<p>Fish &amp; chips &lt; 5</p>"),
    ],
)
def test_allowed_formatting_survives(source, expected):
    rendered = render_markdown(source)
    assert isinstance(rendered, Markup)
    assert str(rendered).startswith(expected)
    assert_safe(rendered)


@pytest.mark.parametrize(
    ("source", "level"), [("# One", "h3"), ("## Two", "h4"), ("Setext\n===", "h3"), ("#### Four", "h6")]
)
def test_headings_are_shifted_below_the_pages_own(source, level):
    rendered = str(render_markdown(source))
    assert rendered.startswith(f"<{level}>")
    assert not re.search(r"<h[12]\b", rendered)


def test_raw_html_is_escaped_not_passed():
    rendered = str(render_markdown('Hi <b onclick="x()">there</b>\n\n<div>\nblock\n</div>'))
    assert "&lt;b onclick=&quot;x()&quot;&gt;there&lt;/b&gt;" in rendered
    assert "&lt;div&gt;" in rendered
    assert "<b" not in rendered and "<div" not in rendered


def test_images_become_links_and_never_load():
    rendered = str(render_markdown("![the bridge](https://example.org/bridge.jpg)"))
    assert rendered == f'<p><a href="https://example.org/bridge.jpg" rel="{REL}">the bridge</a></p>'
    inside = str(render_markdown("[![the bridge](https://example.org/b.jpg)](https://example.org/page)"))
    assert inside == f'<p><a href="https://example.org/page" rel="{REL}">the bridge</a></p>'
    assert "<img" not in str(render_markdown("![](data:image/gif;base64,R0lGODlhAQABAAAAACw=)"))


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](javascript:123)",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,hi)",
        "[x](file:///etc/passwd)",
        "[x](ftp://example.org/)",
        "[x](\\javascript:alert(1))",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_links_with_other_schemes_stay_text(source):
    rendered = str(render_markdown(source))
    assert "<a" not in rendered, rendered
    assert_safe(rendered)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # bleach alone keeps this one (it reads "123" as a port): the link filter must not.
        ('<a href="javascript:123">x</a>', "x"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "x"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "x"),
        ('<a href="java&#x26;#115;cript:alert(1)">x</a>', "x"),
        ('<a href="\u2028javascript:alert(1)">x</a>', "x"),
        ('<a href=" data:text/html,hi">x</a>', "x"),
        ('<a href="vbscript:x">x</a>', "x"),
        ("<a>no href</a>", "no href"),
        (
            '<a href="https://example.org" target="_blank" id="i" name="n" class="c" style="s" onclick="f()">ok</a>',
            f'<a href="https://example.org" rel="{REL}">ok</a>',
        ),
        ('<a href="https://example.org" rel="opener">ok</a>', f'<a href="https://example.org" rel="{REL}">ok</a>'),
        ('<img src="https://example.org/x.png" onerror="f()">', ""),
        ("<h1 id=top>Big</h1>", "Big"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<p style='position:fixed'>over</p>", "<p>over</p>"),
        ("<!-- hidden --><em>e</em>", "<em>e</em>"),
    ],
)
def test_sanitiser_layer_alone(raw, expected):
    """bleach + the link filter, without markdown-it in front: the second line of defence holds by itself."""
    cleaned = markdown._sanitise(raw)
    assert cleaned == expected
    assert_safe(cleaned)


def test_every_link_gets_rel_and_no_target():
    source = "[a](https://example.org) <http://example.org> <x@example.org> ![i](https://example.org/i.png) [r](/p)"
    result = assert_safe(render_markdown(source))
    assert len(result.links) == 5
    assert all(link["rel"] == REL and "target" not in link for link in result.links)


# --- the corpora ---------------------------------------------------------------


@pytest.mark.parametrize("case", XSS_CASES, ids=[c["id"] for c in XSS_CASES])
def test_xss_corpus_item_is_inert(case):
    rendered = render_markdown(case["input"])
    assert_safe(rendered)
    assert not re.search(r"<h[12]\b", rendered)


def test_xss_corpus_is_all_there():
    assert len(XSS_CASES) >= 166, f"expected the full corpus in {XSS}"


def _unicode_input(case: dict) -> str:
    return case["input"] if "input" in case else case["repeat"] * case["times"]


@pytest.mark.parametrize("case", UNICODE_CASES, ids=[c["id"] for c in UNICODE_CASES])
def test_unicode_corpus_renders_or_is_refused(case):
    text = _unicode_input(case)
    if len(text) > MAX_INPUT_CHARS:
        with pytest.raises(ValueError, match="too long"):
            render_markdown(text)
        return
    started = time.perf_counter()
    rendered = render_markdown(text)
    print(f"{case['id']}: {len(text)} chars -> {len(rendered)} in {time.perf_counter() - started:.3f}s")
    result = assert_safe(rendered)
    assert len(rendered) <= 10 * len(text) + 100
    assert result.max_depth <= 2 * markdown.MAX_NESTING


def test_real_text_in_every_script_survives():
    for case in UNICODE_CASES:
        if case.get("id") in {"uni-032", "uni-033", "uni-034", "uni-035", "uni-036"}:
            assert case["input"] in str(render_markdown(case["input"]))


# --- size and pathological inputs --------------------------------------------

N = MAX_INPUT_CHARS
PATHOLOGICAL = {
    "quotes-one-line": "> " * 10_000 + "x",
    "quotes-many-lines": "\n".join(">" * i + " x" for i in range(1, 400)),
    "lists-one-line": "- " * 10_000 + "x",
    "lists-indented": "\n".join("  " * i + "- x" for i in range(2_000))[:N],
    "backticks": "`" * N,
    "backtick-pairs": "`a" * (N // 2),
    "open-brackets": "[" * N,
    "empty-links": "[](" * (N // 3),
    "open-images": "![" * (N // 2),
    "emphasis": "*a" * (N // 2),
    "mixed-emphasis": "**_" * (N // 3),
    "stars": "*" * N,
    "less-than": "<" * N,
    "ampersands": "&" * N,
    "entities": "&#x6A;" * (N // 6),
    "reference-uses": "[a]: https://example.org\n\n" + "[a]" * ((N - 30) // 3),
    "autolinks": "<https://a.example>" * (N // 19),
    "hard-breaks": "a  \n" * (N // 4),
    "headings": "# a\n" * (N // 4),
    "unclosed-fence": "```\n" + "x\n" * (N // 2 - 4),
    "link-title-escapes": '[a](b "' + '\\"' * ((N - 10) // 2) + '")',
    "nul-and-controls": "\x00\x01\x1b\x7f" * (N // 4),
    "images": "![a](b)" * (N // 7),
    "images-in-links": "[![a](b)](c)" * (N // 12),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_input_is_bounded(name):
    """Completes, stays proportionate in size and depth. Times are printed, not asserted (see bench/)."""
    text = PATHOLOGICAL[name]
    assert len(text) <= MAX_INPUT_CHARS
    started = time.perf_counter()
    rendered = render_markdown(text)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    short = excerpt(text, 200)
    excerpt_elapsed = time.perf_counter() - started
    print(f"{name}: {len(text)} chars -> {len(rendered)} in {elapsed:.3f}s; excerpt in {excerpt_elapsed:.3f}s")
    result = assert_safe(rendered)
    # "[a]" (3 characters) becomes a whole link: about 18 times longer; nothing should do worse.
    assert len(rendered) <= 20 * len(text) + 100
    assert result.max_depth <= 2 * markdown.MAX_NESTING
    assert len(short) <= 200


@pytest.mark.parametrize("use", ["[r]", "![x][r]", "[x][t]"])
def test_reference_links_cannot_amplify_the_output(use):
    """One long URL (or title) defined once and used thousands of times: without a budget, ~800 MB of HTML."""
    definitions = "[r]: https://example.org/" + "a" * 50_000 + '\n[t]: /p "' + "t" * 40_000 + '"\n\n'
    text = definitions + use * ((MAX_INPUT_CHARS - len(definitions)) // len(use))
    started = time.perf_counter()
    rendered = render_markdown(text)
    print(f"{use}: {len(text)} chars -> {len(rendered)} in {time.perf_counter() - started:.3f}s")
    result = assert_safe(rendered)
    assert len(rendered) <= 3 * len(text)
    assert 1 <= len(result.links) <= 5  # the first few stay links, the rest plain text


def test_over_long_input_is_refused_not_truncated():
    assert str(render_markdown("a" * MAX_INPUT_CHARS)) == "<p>" + "a" * MAX_INPUT_CHARS + "</p>"
    with pytest.raises(ValueError, match="too long"):
        render_markdown("a" * (MAX_INPUT_CHARS + 1))
    with pytest.raises(ValueError, match="too long"):
        excerpt("a" * (MAX_INPUT_CHARS + 1), 50)


@pytest.mark.parametrize("value", [None, b"bytes", 42])
def test_non_text_is_a_type_error(value):
    with pytest.raises(TypeError):
        render_markdown(value)


@pytest.mark.parametrize("blank", ["", "   ", "\n\n\t"])
def test_blank_renders_as_nothing(blank):
    assert render_markdown(blank) == Markup("")


def test_renders_the_same_from_many_threads():
    """bleach's Cleaner is not thread-safe: each thread must get its own."""
    source = "\n\n".join(case["input"] for case in XSS_CASES[:40]) or "**x** [a](https://example.org)"
    expected = str(render_markdown(source))
    results: list[str] = []

    def work():
        for _ in range(5):
            results.append(str(render_markdown(source)))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 40


# --- plain text ------------------------------------------------------------------


def test_render_plain_escapes_everything():
    rendered = render_plain('<b>"Tom" & **Jerry**</b>')
    assert isinstance(rendered, Markup)
    assert str(rendered) == "&lt;b&gt;&#34;Tom&#34; &amp; **Jerry**&lt;/b&gt;"


def test_excerpt_removes_markdown_and_keeps_text():
    source = "# Parking\n\nThe **new** [scheme](https://example.org) starts in `May`.\n\n- one\n- two\n\n![map](x.png)"
    assert excerpt(source, 200) == "Parking The new scheme starts in May. one two map"


def test_excerpt_is_plain_text_for_autoescape():
    short = excerpt("<script>alert(1)</script> & more", 200)
    assert not isinstance(short, Markup)
    assert short == "<script>alert(1)</script> & more"


def test_excerpt_cuts_at_a_word_with_an_ellipsis():
    short = excerpt("word " * 100, 42)
    assert len(short) <= 42
    assert short.endswith("word\u2026")
    assert excerpt("short", 42) == "short"
    assert excerpt("x" * 100, 10) == "x" * 9 + "\u2026"


def test_excerpt_drops_direction_overrides_and_controls():
    assert excerpt("harmless\u202egnp.exe a\x07b", 100) == "harmlessgnp.exe ab"


def test_excerpt_rejects_a_silly_length():
    with pytest.raises(ValueError):
        excerpt("text", 0)
