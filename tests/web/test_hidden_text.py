"""Text hidden for screen readers does not run into the visible words beside it.

`.visually-hidden` is positioned absolutely, which makes it a block, and a block inside a
button or link gets a space before and after it in the accessible name (Chromium, and
Playwright's role locators, both do this). So `Helpful<span class="visually-hidden">: the
reply</span>` is named "Helpful: the reply" until the stylesheet loads and "Helpful : the
reply" after it: the forum journey found one or the other depending on how fast site.css
arrived. Hidden text that continues a label starts (or ends) with a space, so the name is
the same with or without the stylesheet.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = r'<span class="visually-hidden">'
# Visible text (or a Jinja expression's output) right before the span, and hidden text starting with a non-space.
# A quote before the span starts a message (`_('<span ...')`), a quote after it ends one, and a Jinja tag
# (`{% trans %}`) beside it is no text at all: none of them is a visible word.
GLUED_BEFORE = re.compile(r"([^\s>'\"])(?<!%\})" + HIDDEN + r"([^\s<])")
# Hidden text ending with a non-space, and visible text right after the span.
GLUED_AFTER = re.compile(HIDDEN + r"([^<]*[^\s<])</span>(?!\{%)([^\s<'\"])")
# Scripts that build hidden text: make("span", "visually-hidden", "…") and submitButton(label, class, "…").
SCRIPT_HIDDEN = re.compile(r'(?:"visually-hidden"|submitButton\([^()]*,[^()]*),\s*"(\S)')


def glued_in(text: str) -> list[str]:
    found = [m.group(0) for m in GLUED_BEFORE.finditer(text)]
    found += [m.group(0) for m in GLUED_AFTER.finditer(text)]
    return found + [m.group(0) for m in SCRIPT_HIDDEN.finditer(text)]


def test_the_check_finds_glued_hidden_text():
    assert glued_in('Helpful<span class="visually-hidden">: the reply</span>')
    assert glued_in('{{ label }}<span class="visually-hidden">: question 3</span>')
    assert glued_in('<span class="visually-hidden">Page</span>{{ p }}')
    assert glued_in('summary.appendChild(make("span", "visually-hidden", "question " + id));')
    assert glued_in('submitButton("Withdraw", "button", "this question")')
    assert not glued_in('Quote<span class="visually-hidden"> the reply by {{ name }}</span></a>')
    assert not glued_in('<span class="visually-hidden">Reply by </span>{{ author }}')
    assert not glued_in('make("span", "visually-hidden", " question " + q.id)')
    assert not glued_in("{{ _('Verify<span class=\"visually-hidden\"> %(name)s</span>', name=n) }}")
    assert glued_in('Gwirio<span class="visually-hidden">%(name)s</span>')
    assert not glued_in('{% trans %}Flag<span class="visually-hidden"> this thread</span>{% endtrans %}')
    assert glued_in('{% trans %}<span class="visually-hidden">Page</span>{{ p }}{% endtrans %}')


def test_no_template_or_script_glues_hidden_text_to_visible_words():
    files = sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "static" / "js").rglob("*.js"))
    glued = {str(f.relative_to(ROOT)): glued_in(f.read_text(encoding="utf-8")) for f in files}
    assert {name: found for name, found in glued.items() if found} == {}


def test_no_translation_glues_hidden_text_to_visible_words():
    """Messages carry hidden spans (`Verify<span class="visually-hidden"> %(name)s</span>`): every language's
    version must keep the space, or the button's name changes with the stylesheet there too."""
    from babel.messages.pofile import read_po

    glued = {}
    for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            found = [g for text in strings if text for g in glued_in(text)]
            if found:
                glued[f"{po.parent.parent.name}: {message.id!r}"] = found
    assert glued == {}
