"""Every payload of the XSS corpus, rendered by render_markdown, is inert in a real browser.

Each payload is rendered and loaded in a fresh Chromium page, twice: once with
the site's Content-Security-Policy and once with none at all, so the sanitiser
is proven on its own and not only with the CSP behind it. Pages are fulfilled
by a Playwright route on a made-up origin (nothing listens on 127.0.0.1:9), so
no server is needed. Per /work/shared/corpora/README.md:

* alert/confirm/prompt/print are replaced by an init script (in every frame)
  that reports each call, and real dialogs are caught by the dialog event;
* every link is activated with `click()` (which, unlike a synthetic event,
  follows `javascript:` links), on a freshly loaded page each time;
* the DOM is checked for on* attributes, id/name attributes, elements outside
  the allow-list or on the forbidden list, and every URL attribute (a.href,
  src, action, formaction, xlink:href, srcset, ...) as the browser resolves it;
* no request may leave the page while it loads (not even to the test origin:
  sanitised text fetches nothing), and clicking a link may only navigate to
  that link's own http(s) URL; every request to another host is aborted;
* an uncaught script error or a CSP violation fails the payload (a payload
  that ran would throw or be blocked).

One browser and one context serve all payloads, a new page each. The pages
are driven concurrently (Playwright's async API in a worker thread; the
harness's `chromium` fixture is the sync API, which can only drive one page at
a time), once per module; each payload is still its own test item.
Checks that must fail on unsanitised HTML prove the checks are not vacuous.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from debate.security import CSP
from debate.services.markdown import render_markdown
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _skip_or_fail
from tests.support.corpora import CORPORA

pytestmark = pytest.mark.browser

CORPUS = CORPORA / "xss_public.jsonl"
CASES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
MODES = {"with-csp": True, "without-csp": False}
ORIGIN = "http://127.0.0.1:9"  # the discard port: nothing answers, the route fulfils everything
PAYLOAD_PATH = "/payload/"
CONCURRENCY = 4  # pages at once
TIMEOUT_MS = 10_000  # any one navigation or evaluation (as the harness)
PAYLOAD_TIMEOUT_S = 30  # one payload, all its clicks included
SETTLE_MS = 60  # after load: timers, autofocus, failed loads
CLICK_SETTLE_MS = 120  # after click(): javascript: URLs run as a queued task

# Runs first in every frame: reports would-be dialogs and CSP violations to Python.
INSTRUMENT = """
(() => {
  const report = (kind, detail) => { try { window.__cgReport(kind, String(detail)); } catch (e) {} };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function (...args) { report('dialog', name + '(' + args.map(String).join(', ') + ')'); };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    report('csp', e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' sample=' + e.sample);
  });
})();
"""

# Checks the loaded DOM; returns problems and every link's href as the browser resolves it.
AUDIT = """
() => {
  const ALLOWED = new Set(['p', 'br', 'em', 'strong', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre',
                           'h3', 'h4', 'h5', 'h6', 'hr']);
  const FORBIDDEN = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input',
                             'button', 'textarea', 'select', 'img', 'image', 'svg', 'math', 'style', 'link', 'meta',
                             'base', 'video', 'audio', 'source', 'track', 'picture', 'template', 'noscript',
                             'isindex', 'marquee', 'details', 'dialog', 'canvas', 'bgsound', 'keygen', 'portal',
                             'area', 'map', 'param']);
  const SCHEMES = new Set(['http:', 'https:', 'mailto:']);
  const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'background',
                                  'poster', 'data', 'codebase', 'cite', 'longdesc', 'dynsrc', 'lowsrc', 'ping',
                                  'manifest', 'icon', 'archive', 'profile', 'usemap', 'classid', 'imagesrcset']);
  const problems = [];
  const scheme = (value) => {
    try { return new URL(value, document.baseURI).protocol; } catch (e) { return 'unparseable'; }
  };
  const root = document.querySelector('main');
  if (!root) return {problems: ['the page lost its <main>'], links: []};
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    const content = root.contains(el) && el !== root;
    if (FORBIDDEN.has(tag)) problems.push('forbidden element <' + tag + '>');
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push('foreign element <' + tag + '>');
    if (content && !ALLOWED.has(tag)) problems.push('element outside the allow-list <' + tag + '>');
    if (/^h[12]$/.test(tag) && content) problems.push('user heading <' + tag + '>');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push('event handler ' + name + ' on <' + tag + '>');
      if (name === 'id' || name === 'name') problems.push('clobbering attribute ' + name + ' on <' + tag + '>');
      if (content && ['style', 'class', 'target', 'srcdoc', 'form'].includes(name))
        problems.push('attribute ' + name + ' on <' + tag + '>');
      if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) {
        const values = /srcset$/.test(name)
          ? attr.value.split(',').map((part) => part.trim().split(/\\s+/)[0]).filter(Boolean)
          : [attr.value];
        for (const value of values) {
          const found = scheme(value);
          if (!SCHEMES.has(found)) problems.push(name + ' with scheme ' + found + ' on <' + tag + '>: ' + value);
        }
      }
    }
  }
  const links = [];
  for (const a of document.querySelectorAll('a')) {
    const href = typeof a.href === 'string' ? a.href : String(a.href && a.href.baseVal);
    const found = scheme(href);
    if (!SCHEMES.has(found)) problems.push('link resolves to scheme ' + found + ': ' + href);
    if (a.rel !== 'nofollow ugc noopener') problems.push('link with rel=' + JSON.stringify(a.rel) + ': ' + href);
    if (a.target) problems.push('link with target=' + a.target);
    links.push(href);
  }
  if (window.frames.length) problems.push(window.frames.length + ' frame(s) in the page');
  if (typeof document.cookie !== 'string' || typeof document.createElement !== 'function')
    problems.push('document properties clobbered');
  return {problems, links};
}
"""


def page_html(rendered: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><title>corpus payload</title></head>'
        f"<body><main>{rendered}</main></body></html>"
    )


LANDING = "<!doctype html><html lang='en'><head><title>landed</title></head><body><p>landed</p></body></html>"


@dataclass
class Recorder:
    """What one payload's page did."""

    phase: str = "load"
    reports: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, str, bool]] = field(default_factory=list)  # phase, url, type, navigation


@dataclass(frozen=True)
class Job:
    key: str
    body: str
    with_csp: bool


async def _inspect(context, job: Job) -> list[str]:
    """Load `job.body` (inside <main>) in a fresh page, click every link, and list everything that was not inert."""
    recorder = Recorder()
    url = f"{ORIGIN}{PAYLOAD_PATH}{job.key}"
    document = page_html(job.body)

    async def route(r):
        request = r.request
        recorder.requests.append((recorder.phase, request.url, request.resource_type, request.is_navigation_request()))
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            await r.abort("blockedbyclient")
            return
        headers = {"Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff"}
        if job.with_csp:
            headers["Content-Security-Policy"] = CSP
        await r.fulfill(status=200, headers=headers, body=document if request.url == url else LANDING)

    async def dialog(d):
        recorder.dialogs.append(f"{d.type}: {d.message}")
        await d.dismiss()

    async def visit():
        await page.goto(url, wait_until="load")
        await page.wait_for_timeout(SETTLE_MS)

    page = await context.new_page()
    try:
        await page.expose_binding(
            "__cgReport", lambda source, kind, detail: recorder.reports.append(f"{kind}: {detail}")
        )
        await page.route("**/*", route)
        page.on("dialog", dialog)
        page.on("pageerror", lambda exc: recorder.page_errors.append(str(exc)))
        await visit()
        audit = await page.evaluate(AUDIT)
        if page.url != url:
            audit["problems"].append(f"the page navigated by itself to {page.url}")
        recorder.phase = "click"
        for i in range(len(audit["links"])):
            if i:
                await visit()
            try:
                await page.evaluate("(i) => { const a = document.querySelectorAll('a')[i]; if (a) a.click(); }", i)
            except Exception as exc:
                if "destroyed" not in str(exc) and "navigat" not in str(exc):
                    raise
            await page.wait_for_timeout(CLICK_SETTLE_MS)
    finally:
        await page.close()

    problems = list(audit["problems"])
    problems += [f"would-be {item}" for item in recorder.reports]
    problems += [f"dialog opened: {item}" for item in recorder.dialogs]
    problems += [f"script error: {item}" for item in recorder.page_errors]
    clicked = set(audit["links"])
    for phase, request_url, kind, navigation in recorder.requests:
        if phase == "load":
            if not (request_url == url or urlsplit(request_url).path == "/favicon.ico"):
                problems.append(f"request while loading: {kind} {request_url}")
        elif not (navigation and kind == "document" and request_url in clicked):
            problems.append(f"request after clicking: {kind} {request_url}")
    return problems


async def _run_all(jobs: list[Job]) -> dict[str, list[str]]:
    from playwright.async_api import async_playwright

    results: dict[str, list[str]] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            await context.add_init_script(INSTRUMENT)
            gate = asyncio.Semaphore(CONCURRENCY)

            async def one(job: Job) -> None:
                async with gate:
                    try:
                        results[job.key] = await asyncio.wait_for(_inspect(context, job), PAYLOAD_TIMEOUT_S)
                    except Exception as exc:  # noqa: BLE001 - reported against this payload only
                        results[job.key] = [f"could not be checked: {type(exc).__name__}: {exc}"]

            await asyncio.gather(*(one(job) for job in jobs))
            # A payload that timed out on a loaded machine is checked again, alone: a verdict, not a shrug.
            for job in jobs:
                if any(problem.startswith("could not be checked") for problem in results[job.key]):
                    await one(job)
        finally:
            await browser.close()
    return results


def run_in_chromium(jobs: list[Job]) -> dict[str, list[str]]:
    """Run the jobs in a worker thread, away from any event loop the sync harness holds."""
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _skip_or_fail(f"Debian's chromium is not installed at {CHROMIUM}")
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["results"] = asyncio.run(_run_all(jobs))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="sanitiser-corpus")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["results"]


# --- the checks must be able to fail: raw, unsanitised payloads are caught -----

UNSANITISED = {
    "onerror": ("<img src=x onerror=alert(1)>", ["would-be dialog: alert(1)", "event handler onerror"]),
    "javascript-link": ('<a href="javascript:alert(2)">x</a>', ["would-be dialog: alert(2)", "scheme javascript:"]),
    # The instrumentation reaches frames the payload makes itself.
    "new-frame": (
        "<script>const f = document.createElement('iframe'); document.body.append(f);"
        " f.contentWindow.confirm('framed');</script>",
        ["would-be dialog: confirm(framed)", "forbidden element <iframe>"],
    ),
    "remote-image": ('<img src="https://example.org/pixel.gif">', ["request while loading", "forbidden element <img>"]),
    "clobbering": ('<form name="cookie" action="https://example.org/"></form>', ["clobbering attribute name"]),
    "script-error": ("<script>undefinedFunction()</script>", ["script error", "forbidden element <script>"]),
    "no-rel": ('<a href="https://example.org/">x</a>', ["link with rel="]),
}
CSP_CANARY = "<img src=x onerror=alert(3)>"


def _jobs() -> list[Job]:
    jobs = [
        Job(f"{case['id']}-{mode}", str(render_markdown(case["input"])), with_csp)
        for case in CASES
        for mode, with_csp in MODES.items()
    ]
    jobs += [Job(f"canary-{name}", body, False) for name, (body, _) in UNSANITISED.items()]
    jobs.append(Job("canary-csp", CSP_CANARY, True))
    return jobs


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list[str]]:
    """Problems found for every payload in both modes (and the canaries), all checked in one batch."""
    started = time.perf_counter()
    jobs = _jobs()
    results = run_in_chromium(jobs)
    print(f"\n{len(jobs)} pages checked in Chromium in {time.perf_counter() - started:.1f}s")
    return results


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_payload_is_inert_in_chromium(verdicts, case, mode):
    problems = verdicts[f"{case['id']}-{mode}"]
    assert not problems, (
        f"{case['id']} ({mode}) is not inert:\n  "
        + "\n  ".join(problems)
        + f"\ninput: {case['input']!r}\nrendered: {render_markdown(case['input'])}"
    )


def test_the_whole_corpus_was_checked(verdicts):
    assert len(CASES) >= 166
    assert all(f"{case['id']}-{mode}" in verdicts for case in CASES for mode in MODES)


@pytest.mark.parametrize("name", list(UNSANITISED))
def test_the_checks_catch_unsanitised_html(verdicts, name):
    text = "\n".join(verdicts[f"canary-{name}"])
    for needle in UNSANITISED[name][1]:
        assert needle in text, f"{name}: {needle!r} not among the problems found:\n{text}"


def test_the_csp_pass_blocks_what_the_sanitiser_would_miss(verdicts):
    """With the CSP, an unsanitised inline handler does not run, and the violation is reported."""
    problems = verdicts["canary-csp"]
    assert not any(p.startswith("would-be dialog") for p in problems), problems
    assert any(p.startswith("would-be csp:") for p in problems), problems
