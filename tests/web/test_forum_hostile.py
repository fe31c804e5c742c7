"""Hostile text cannot break a forum page: every XSS corpus payload, as a title, a reply and a quote,
on every page that shows it (thread, topic, search, history, live fragment, JSON)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from debate.errors import ServiceError
from debate.extensions import db
from debate.models import Reply
from debate.services.forums import live as forum_live
from debate.services.forums import posts as forums
from tests.support.corpora import CORPORA

pytestmark = pytest.mark.usefixtures("forum_policy")

CORPUS = CORPORA / "xss_public.jsonl"
PAYLOADS = [json.loads(line)["input"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
FORBIDDEN_TAGS = {
    "iframe",
    "object",
    "embed",
    "img",
    "svg",
    "math",
    "style",
    "base",
    "frame",
    "frameset",
    "video",
    "audio",
    "source",
    "applet",
    "marquee",
    "xmp",
    "noscript",
    "template",
    "portal",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcset"}


class Scanner(HTMLParser):
    """Collects what must never come from user text: scripts, event handlers, unsafe tags and URL schemes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith(("/static/", "/i18n/")):
            self.problems.append(f"script: {attrs}")
        if tag in FORBIDDEN_TAGS and not (tag == "svg" and attributes.get("class") == "balance-bar"):  # our own
            self.problems.append(f"<{tag}> {attrs}"[:200])
        ours = attributes.get("rel") in ("stylesheet", "icon") or (
            attributes.get("rel") == "alternate"
            and (attributes.get("href") or "").startswith("/")  # the page in a language
        )
        if tag == "link" and not ours:
            self.problems.append(f"<link> {attrs}")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = "".join(ch for ch in value if not ch.isspace() and ord(ch) > 0x20).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{name}={value[:80]!r} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")


def scan(html: str) -> list[str]:
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def test_every_payload_is_inert_on_every_forum_page(client, make_user, topic):
    author, quoter = make_user(name="Hostile Author"), make_user(name="Quoter")
    host = forums.start_thread(author, "housing", "Hostile replies", "Payloads follow").item
    accepted = refused = 0
    for n, payload in enumerate(PAYLOADS):
        try:
            reply = forums.post_reply(author, host.id, f"{payload}\n\nmarker{n}", "for").item
        except ServiceError:
            db.session.rollback()
            refused += 1  # e.g. control characters: refused with a reason, never stored
            continue
        accepted += 1
        if n % 5 == 0:
            forums.post_reply(quoter, host.id, f"quoting marker{n}", quote_of_id=reply.id)
        try:
            forums.start_thread(author, "housing", payload[:150], f"{payload}\n\ntitlemarker{n}")
        except ServiceError:
            db.session.rollback()
    assert accepted > len(PAYLOADS) * 0.9, (accepted, refused)
    pages = [f"/threads/{host.id}?per_page=100&page={p}" for p in (1, 2, 3)]
    pages += [f"/topics/housing?page={p}" for p in range(1, 10)]
    pages += ["/search?q=marker", "/search?q=alert", "/search?q=javascript", "/search?q=script"]
    problems = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        found = scan(response.get_data(as_text=True))
        if found:
            problems[url] = found[:5]
    for reply in db.session.query(Reply).filter(Reply.thread_id == host.id).limit(200):
        found = scan(forum_live.reply_html(reply))
        if found:
            problems[f"live fragment {reply.id}"] = found[:5]
    assert not problems, json.dumps(problems, indent=1)[:5000]


def test_edit_history_and_api_are_inert(client, login, make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Edited many times", "Start").item
    reply = forums.post_reply(author, thread.id, "version 0").item
    for n, payload in enumerate(PAYLOADS[:60]):
        try:
            forums.edit_reply(author, reply.id, f"{payload} v{n}")
        except ServiceError:
            db.session.rollback()
    history = client.get(f"/replies/{reply.id}/history").get_data(as_text=True)
    assert not scan(history)
    data = client.get(f"/api/v1/threads/{thread.id}")
    assert data.headers["Content-Type"].startswith("application/json")
    assert data.get_json()["data"]["replies"][0]["body"]  # raw Markdown, as documented: clients must sanitise


def test_scanner_is_not_vacuous():
    assert scan('<img src=x onerror="alert(1)">')
    assert scan('<a href=" javascript:alert(1)">x</a>')
    assert scan("<script>alert(1)</script>")
    assert not scan('<script src="/static/js/forums.js"></script><a href="https://example.org">ok</a>')
    assert not scan('<script src="/i18n/cy.js"></script><link rel="alternate" hreflang="cy" href="/cy/threads/1">')
    assert scan('<link rel="alternate" href="https://evil.example/">')
