"""The harness itself: the watch really catches foreign requests, CSP violations and script errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser import helpers
from tests.browser.conftest import watch_context

pytestmark = pytest.mark.browser


def test_watch_blocks_foreign_hosts_and_reports_csp_violations(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    watch = watch_context(context)
    try:
        elsewhere = context.new_page()
        with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
            elsewhere.goto("http://example.org/")  # blocked by the route: it never leaves the machine
        page = context.new_page()
        page.goto("/")
        page.evaluate(
            """() => {
                const s = document.createElement('script');
                s.textContent = 'window.injected = 1';
                document.body.append(s);
                setTimeout(() => { throw new Error('boom from the page'); }, 0);
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("window.injected") is None, "the site's CSP blocks inline scripts"
    finally:
        context.close()
    assert watch.foreign_requests == ["http://example.org/"]
    assert any("script-src" in v for v in watch.csp_violations), watch.csp_violations
    assert any("boom from the page" in e for e in watch.page_errors), watch.page_errors


def test_axe_helper_fails_on_a_serious_violation(page):
    page.goto("/")
    page.evaluate("() => document.getElementById('main').append(document.createElement('input'))")
    with pytest.raises(AssertionError, match=r"(?s)serious/critical.*\blabel\b.*at input\n"):
        helpers.check_axe(page, "harness-unlabelled-input")
