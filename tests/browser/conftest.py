"""Browser test harness: one live server and one Debian chromium per session, a fresh context per test.

Every page is watched: a request to any host but 127.0.0.1 is blocked and fails
the test, as do a Content-Security-Policy violation, an uncaught script error,
any other console error, and a failed (4xx/5xx) sub-resource. A page a test
visits on purpose (a 404 page, a form with errors) may answer 4xx.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import helpers
from tests.support import live_server as live_server_support

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ALLOWED_HOST = "127.0.0.1"
ADMIN = helpers.Member("Ada Admin", "ada@example.org", "admin pass phrase 42")
HERE = Path(__file__).parent
FAILURES = helpers.ARTIFACTS / "failures"

# Reported by Chromium for every 4xx/5xx; failed responses are checked on their own instead.
FAILED_LOAD = "Failed to load resource: the server responded with a status of"
# The browser's background favicon fetch races the page for the session cookie; answered
# locally so journeys stay deterministic (test_flash_survives_the_favicon_request checks the
# server side of it with plain HTTP).
FAVICON = "/favicon.ico"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _skip_or_fail(reason: str) -> None:
    """Skip when the browser is missing, unless CI demands it (CG_REQUIRE_SERVICES=1)."""
    if os.environ.get("CG_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required for the browser tests: {reason}")
    pytest.skip(reason)


# --- server ------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The site on a free port with its own SQLite, demo content loaded, and an admin."""
    server = live_server_support.start(tmp_path_factory.mktemp("live"))
    try:
        server.flask("demo")
        server.flask("create-admin", "--name", ADMIN.name, "--email", ADMIN.email, "--password", ADMIN.password)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def admin(live_server) -> helpers.Member:
    return ADMIN


# --- browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _skip_or_fail(
            f"Debian's chromium is not installed at {CHROMIUM} (Playwright cannot download its own "
            "browser here): run scripts/ensure-chromium or 'apt-get install chromium'"
        )
    from playwright import sync_api

    # A shared 2-core machine can be slow: give assertions room (they still fail, just later).
    sync_api.expect.set_options(timeout=15_000)
    shutil.rmtree(FAILURES, ignore_errors=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a browser context did that a test should not have to look for itself."""

    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = []
        for name in ("foreign_requests", "csp_violations", "page_errors", "console_errors", "failed_responses"):
            out += [f"{name.replace('_', ' ')}: {item}" for item in getattr(self, name)]
        return out


# Reports CSP violations even where Chromium's own console message is terse.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
                ' in ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def watch_context(context) -> Watch:
    watch = Watch()

    def foreign(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.hostname != ALLOWED_HOST

    def route(r):
        if foreign(r.request.url):
            watch.foreign_requests.append(r.request.url)
            r.abort("blockedbyclient")
        elif urlsplit(r.request.url).path == FAVICON:
            r.fulfill(status=204)
        else:
            r.continue_()

    def console(msg):
        text = msg.text
        if "Content Security Policy" in text or text.startswith("CSP violation"):
            watch.csp_violations.append(text)
        elif msg.type == "error" and not text.startswith(FAILED_LOAD):
            watch.console_errors.append(f"{text} ({msg.location.get('url')})")

    def response(resp):
        if resp.status < 400:
            return
        request = resp.request
        expected_page = request.resource_type == "document" and request.frame.parent_frame is None
        if not expected_page:
            watch.failed_responses.append(f"{resp.status} {request.method} {resp.url}")

    def websocket(ws):
        if foreign(ws.url):
            watch.foreign_requests.append(ws.url)

    def new_page(page):
        page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
        page.on("websocket", websocket)

    context.route("**/*", route)
    context.add_init_script(CSP_LISTENER)
    context.on("console", console)
    context.on("response", response)
    context.on("page", new_page)
    context.set_default_timeout(20_000)
    return watch


def watched_contexts(chromium, base_url: str, request):
    """Yield a maker of watched browser contexts on `base_url`; at teardown every one is checked and closed.

    Problems (foreign requests, CSP violations, script errors) fail the test; a failed test leaves
    screenshots of its pages in test-artifacts.
    """
    opened = []

    def make(**options):
        context = chromium.new_context(base_url=base_url, **options)
        opened.append((context, watch_context(context)))
        return context

    yield make
    problems = []
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for i, (context, watch) in enumerate(opened):
        if failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(FAILURES / f"{request.node.name}-{i}-{j}.png"))
                except Exception:  # noqa: BLE001, S110 - best effort, the test already failed
                    pass
        problems += watch.problems()
        context.close()
    if problems and not failed:
        pytest.fail("the browser saw problems:\n  " + "\n  ".join(problems))


@pytest.fixture
def new_context(chromium, live_server, request):
    """Open extra watched contexts (another person, another browser); all are checked at teardown."""
    yield from watched_contexts(chromium, live_server.url, request)


@pytest.fixture
def browser_context(chromium, server, request):
    """A page in a fresh watched context (one person) on the module's own `server` fixture."""
    contexts = watched_contexts(chromium, server.url, request)
    make = next(contexts)
    yield lambda **options: make(**options).new_page()
    next(contexts, None)  # the teardown: check and close every context


@pytest.fixture
def page(new_context):
    """A page in a fresh context (default 1280x720 viewport) on the live server."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def make_member(chromium, live_server):
    """Register members through the UI (and confirm their email by the emailed link)."""

    def make(prefix: str = "Member", confirmed: bool = True) -> helpers.Member:
        member = helpers.new_member(prefix)
        context = chromium.new_context(base_url=live_server.url)
        watch = watch_context(context)
        try:
            p = context.new_page()
            helpers.register(p, member)
            if confirmed:
                helpers.confirm_email(p, live_server, member)
        finally:
            context.close()
        assert not watch.problems(), watch.problems()
        return member

    return make


@pytest.fixture(scope="session")
def resident(make_member) -> helpers.Member:
    """A confirmed resident shared by tests that only read pages (never delete or sign out everywhere)."""
    return make_member("Rita Resident")
