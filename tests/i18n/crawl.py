"""A crawl of every page in each language and role: what the pages say, gathered once and shared by the checks.

`Site` builds one app on its own SQLite with the demo content (migrated as production is), signs in as each
role, and fetches every GET route of the app in English (`/en/...`), Welsh (`/cy/...`) and, for the residents'
journeys, Arabic (`/ar/...`). `Page` reads what a person reads on one of them: its text nodes and readable
attributes, minus residents' own text (elements with dir="auto", <bdi>, anything marked with another `lang`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from debate import create_app
from debate.extensions import db
from debate.models import LiveSession, Outcome, Poll, Reply, ReviewItem, Survey, Thread, Topic, User
from debate.models import ModerationAppeal as Appeal
from debate.models.agreement import AgreementRound

PASSWORD = "crawl pass phrase 42"
ROLES = {
    "visitor": None,
    "resident": "resident@demo.example.org",
    "representative": "councillor@demo.example.org",
    "moderator": "moderator@demo.example.org",
    "admin": "admin@demo.example.org",
}
# Endpoints that are not pages (files, scripts, JSON): fetched for their status only.
NOT_PAGES = {
    "static",
    "main.favicon",
    "languages.script_catalogue",
    "live.calendar",
    "live.export_csv",
    "live.export_json",
    "live.join_qr",
    "account.download_data",
    "surveys.results_csv",
    "surveys.results_json",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "template", "noscript"}
READABLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")


@dataclass
class Page:
    """One fetched page: status, where it redirects, and for HTML what a person reads."""

    path: str
    status: int
    location: str = ""
    html: str = ""
    lang: str = ""
    dir: str = ""
    texts: list[str] = field(default_factory=list)  # interface text (not residents', not marked another language)
    residents: list[str] = field(default_factory=list)  # residents' text and text marked with another language
    fragment: bool = False  # a piece of a page (inserted by a script), not a whole page
    forms: set[tuple] = field(default_factory=set)  # (method, action without language prefix, field names)
    links: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    """Collects interface text, forms and links; skips residents' text and text marked with another language."""

    def __init__(self, page_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang.split("-")[0]
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.residents: list[str] = []
        self.forms: set[tuple] = set()
        self.links: set[str] = set()
        self.form: list | None = None
        self.html_attrs: dict[str, str] = {}

    @property
    def exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _is_exempt(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if self.exempt or tag in SKIPPED or tag == "bdi":
            return True
        if attrs.get("dir") == "auto" or attrs.get("translate") == "no":
            return True
        lang = (attrs.get("lang") or "").split("-")[0]
        return bool(lang) and lang != self.page_lang

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        if tag == "html":
            self.html_attrs = {k: v or "" for k, v in attrs.items()}
        exempt = self._is_exempt(tag, attrs)
        if not exempt:
            for name in READABLE_ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append(_clean(attrs[name] or ""))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(_clean(attrs["value"] or ""))
        if tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"] or "")
        if tag == "form":
            self.form = [(attrs.get("method") or "get").lower(), _unprefixed(attrs.get("action") or ""), set()]
        if self.form is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self.form[2].add(attrs["name"])
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self.forms.add((self.form[0], self.form[1], tuple(sorted(self.form[2]))))
            self.form = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        text = _clean(data)
        if text:
            (self.residents if self.exempt else self.texts).append(text)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _unprefixed(url: str) -> str:
    return re.sub(r"^/(?:en|cy|ar)(?=/|$)", "", url) or "/"


def read(path: str, response) -> Page:
    page = Page(path, response.status_code, response.headers.get("Location", ""))
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return page  # a file, or werkzeug's "Redirecting..." body
    page.html = response.get_data(as_text=True)
    page.fragment = "<html" not in page.html[:500]
    match = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", page.html)
    reader = _Reader(match.group(1) if match else "")
    reader.feed(page.html)
    page.lang = reader.html_attrs.get("lang", "")
    page.dir = reader.html_attrs.get("dir", "")
    page.texts = [t for t in reader.texts if t]
    page.residents = reader.residents
    page.forms = reader.forms
    page.links = reader.links
    return page


class Site:
    """The demo site, a client per role, and every GET page's path."""

    def __init__(self, tmp_dir: str) -> None:
        os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
        self.app: Flask = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_dir}/crawl.db",
                "SQLALCHEMY_ENGINE_OPTIONS": {},
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SOCKETIO_ASYNC_MODE": "threading",
                "SERVER_URL": "http://localhost",
                "REDIS_URL": None,
                "LIVE_FLUSH_MS": 0,
            }
        )
        self.app.instance_path = tmp_dir
        with self.app.app_context():
            from flask_migrate import upgrade

            from debate.demo import seeding

            upgrade(revision="heads")
            seeding.load_demo(lambda: PASSWORD)
            self.values = self._values()
            db.session.remove()
        self.paths = self._paths()

    def _values(self) -> dict[str, str]:
        """A real value for each kind of address part, from the demo content."""
        resident = db.session.scalar(select(User).where(User.email == ROLES["resident"]))
        councillor = db.session.scalar(select(User).where(User.email == ROLES["representative"]))
        assert resident and councillor

        def first(model, *where):
            return db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))

        reply = first(Reply, Reply.author_id == resident.id) or first(Reply)
        return {
            "thread_id": str(first(Thread, Thread.author_id == resident.id) or first(Thread)),
            "reply_id": str(reply),
            "content_type": "reply",
            "content_id": str(reply),
            "session_id": str(first(LiveSession)),
            "poll_id": str(first(Poll) or 1),
            "outcome_id": str(first(Outcome)),
            "survey_id": str(first(Survey)),
            "round_id": str(first(AgreementRound)),
            "topic_id": str(first(Topic)),
            "item_id": str(first(ReviewItem)),
            "appeal_id": str(first(Appeal) or 1),
            "user_id": str(councillor.id),
            "slug": db.session.scalar(select(Topic.slug).order_by(Topic.id).limit(1)) or "housing",
            "token": "not-a-real-token",
        }

    def _paths(self) -> dict[str, str]:
        """endpoint -> a path to GET, for every GET route."""
        paths = {}
        for rule in self.app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in ("static", "languages.script_catalogue"):
                continue
            path = rule.rule
            for name in rule.arguments:
                assert name in self.values, f"the crawl has no value for <{name}> in {rule.rule}: add one"
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", self.values[name], path)
            paths[rule.endpoint] = path
        return paths

    def client(self, role: str, code: str = "en") -> FlaskClient:
        """A client signed in as `role` from the sign-in page in language `code` (its welcome is in that language)."""
        client = self.app.test_client()
        email = ROLES[role]
        if email:
            response = client.post(f"/{code}/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, f"{role} could not sign in"
        return client

    def crawl(self, role: str, code: str, endpoints: list[str] | None = None) -> dict[str, Page]:
        """endpoint -> Page, each fetched at `/<code><path>` by a fresh client signed in as `role`."""
        client = self.client(role, code)
        pages = {}
        for endpoint, path in sorted(self.paths.items()):
            if endpoint.startswith("api.") or endpoint.startswith("forums_api."):
                continue
            if endpoints is not None and endpoint not in endpoints:
                continue
            url = f"/{code}{path}"
            pages[endpoint] = read(url, client.get(url))
        return pages
