"""The stylesheet says start and end, never left and right, so an Arabic page (<html dir="rtl">) mirrors by itself.

A physical property (margin-left, padding-right, border-left, left:, right:), a physical keyword in a value
(text-align: left, float: right, background-position: right), a physical corner (border-top-left-radius), a
four-value shorthand whose right and left differ (padding: 0 1rem 0 0), or a horizontal move or flip
(translateX, scaleX(-1)) outside a [dir="rtl"]/[dir="ltr"] rule fails here. Use margin-inline-start,
padding-inline-end, border-inline-start, inset-inline-start, text-align: start, float: inline-end,
border-start-end-radius, padding-inline: 0 1rem.

A declaration that must stay physical goes in ALLOWED with its reason, and the rule in site.css carries a comment
starting "physical:" that says why (both, so the exception is visible where it is written and here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_CSS = ROOT / "static" / "css" / "site.css"

# (selector, property): why it must stay physical. Keep it short; each needs a "/* physical: ... */" in the rule.
ALLOWED: dict[tuple[str, str], str] = {}

PHYSICAL_PROPERTY = re.compile(
    r"^(?:(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)(?:-[a-z]+)?"
    r"|left|right|border-(?:top|bottom)-(?:left|right)-radius)$"
)
PHYSICAL_KEYWORD = re.compile(r"(?<![-\w])(?:left|right)(?![-\w])")
FOUR_SIDED = frozenset(
    {"margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin", "scroll-padding"}
)
HORIZONTAL_TRANSFORM = re.compile(r"translatex\(|translate\(\s*-?[1-9.]|scalex\(\s*-|scale\(\s*-|rotatey\(", re.I)
DIRECTION_SCOPED = re.compile(r"""\[dir=["']?(?:rtl|ltr)["']?\]|:dir\((?:rtl|ltr)\)""")
STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")


@dataclass(frozen=True)
class Finding:
    line: int
    selector: str
    declaration: str
    why: str

    def __str__(self) -> str:
        return f"site.css:{self.line}: {self.selector} {{ {self.declaration} }}: {self.why}"


def _blank(match: re.Match) -> str:
    """A comment or string blanked out, keeping its length and line breaks (positions stay those of the file)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _values(value: str) -> list[str]:
    return value.replace("!important", "").split()


def _why(selector: str, prop: str, value: str) -> str | None:
    if PHYSICAL_PROPERTY.match(prop):
        return "a physical property: use its inline-start/inline-end (or start-start...) form"
    if PHYSICAL_KEYWORD.search(value):
        return "left/right in a value: use start/end (text-align), inline-start/inline-end (float, clear)"
    if prop == "border-radius" and len(set(_values(value.split("/")[0]))) > 1:
        return "corners that differ: use border-start-start-radius and its siblings"
    parts = _values(value)
    if prop in FOUR_SIDED and len(parts) == 4 and parts[1] != parts[3]:
        return "right and left differ in a four-value shorthand: use the -block and -inline forms"
    if prop in {"transform", "translate", "scale", "rotate"} and not DIRECTION_SCOPED.search(selector):
        if HORIZONTAL_TRANSFORM.search(value) or (prop in {"translate", "scale"} and parts and parts[0] != "0"):
            return "a horizontal move or flip outside a [dir=...] rule"
    return None


def findings(css: str, allowed: dict[tuple[str, str], str] = ALLOWED) -> list[Finding]:
    """Every physical left/right declaration in `css` not allowed (with a "physical:" comment in its rule)."""
    plain = COMMENT.sub(_blank, css)
    out = []
    for block in BLOCK.finditer(plain):
        selector = " ".join(block.group(1).split())
        if selector.startswith("@") or selector in {"from", "to"} or selector.endswith("%"):
            continue
        start = block.start(2)
        for declaration in STRING.sub(_blank, block.group(2)).split(";"):
            offset, start = start, start + len(declaration) + 1
            prop, colon, value = declaration.partition(":")
            prop, value = prop.strip().lower(), " ".join(value.split())
            why = _why(selector, prop, value.lower()) if colon else None
            if why is None:
                continue
            line = css.count("\n", 0, offset + len(declaration) - len(declaration.lstrip())) + 1
            if (selector, prop) in allowed and "/* physical:" in css[block.start() : block.end()]:
                continue
            if (selector, prop) in allowed:
                why = 'allowed here but the rule has no "/* physical: <reason> */" comment'
            out.append(Finding(line, selector, f"{prop}: {value}", why))
    return out


def test_site_css_uses_logical_properties_only():
    found = findings(SITE_CSS.read_text(encoding="utf-8"))
    assert not found, "physical left/right in the stylesheet:\n" + "\n".join(map(str, found))


def test_every_allowed_exception_is_still_in_the_stylesheet():
    css = COMMENT.sub(_blank, SITE_CSS.read_text(encoding="utf-8"))
    present = {
        (" ".join(b.group(1).split()), d.partition(":")[0].strip())
        for b in BLOCK.finditer(css)
        for d in b.group(2).split(";")
    }
    assert set(ALLOWED) <= present, f"stale ALLOWED entries: {set(ALLOWED) - present}"


def test_the_check_sees_each_physical_form():
    sample = """
    .a { margin-left: 1rem; padding-right: 0; border-left: 6px solid red; border-right-color: red; }
    .b { position: absolute; left: 0; right: 1rem; }
    @media (max-width: 40rem) {
      .c { text-align: left; float: right; clear: left; background: url(x.svg) no-repeat right 0.5rem center; }
    }
    .d { padding: 0.5rem 0.5rem 0.5rem 0; border-radius: 4px 0 0 4px; border-top-left-radius: 2px; }
    .e { transform: translateX(1rem); justify-content: right; scroll-margin-left: 1rem; }
    """
    found = findings(sample)
    assert [f.declaration.partition(":")[0] for f in found] == [
        "margin-left", "padding-right", "border-left", "border-right-color",
        "left", "right",
        "text-align", "float", "clear", "background",
        "padding", "border-radius", "border-top-left-radius",
        "transform", "justify-content", "scroll-margin-left",
    ]  # fmt: skip
    assert found[0].line == 2 and found[-1].line == 8


def test_logical_forms_and_direction_scoped_flips_pass():
    sample = """
    /* margin-left in a comment is not a declaration */
    .a { margin-inline-start: 1rem; padding-inline: 0 0.5rem; border-inline-start: 6px solid red; }
    .b { inset-inline-start: 0.5rem; text-align: start; float: inline-end; content: "left, right"; }
    .c { padding: 0.25rem 1rem 0.5rem; margin: 0 auto; border-radius: 0.7em; border-start-end-radius: 2px; }
    .d { padding: 1rem 2rem 1rem 2rem; clip: rect(0 0 0 0); }
    [dir="rtl"] .e { transform: scaleX(-1); }
    """
    assert findings(sample) == []


def test_an_exception_needs_the_allow_list_and_a_reason_in_the_rule():
    allowed = {(".qr", "left"): "the QR code's quiet zone is drawn for a left-to-right scanner"}
    bare = ".qr { left: 0; }"
    explained = ".qr { left: 0; /* physical: the image is the same in every language */ }"
    assert [f.why for f in findings(bare, allowed)] == [
        'allowed here but the rule has no "/* physical: <reason> */" comment'
    ]
    assert findings(explained, allowed) == []
    assert len(findings(explained)) == 1  # the comment alone is not enough
