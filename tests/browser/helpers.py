"""What the browser tests do often: read emailed links, register, sign in, check with axe, screenshot."""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.support.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PHONE = {"width": 375, "height": 812}

_numbers = itertools.count(1)
_axe = Axe()


@dataclass(frozen=True)
class Member:
    name: str
    email: str
    password: str


def new_member(prefix: str = "Member") -> Member:
    """A fresh, unique member (not yet registered)."""
    n = next(_numbers)
    return Member(f"{prefix} {n}", f"{prefix.lower().replace(' ', '.')}.{n}@example.org", f"lantern orchard {n} quay")


# --- email -----------------------------------------------------------------


def email_link(server: LiveServer, to: str, path_prefix: str, timeout: float = 5.0) -> str:
    """The newest link the server 'emailed' to an address (the log holds the messages)."""
    marker = "Email (no MAIL_SERVER set, so logged, not sent)"
    pattern = re.compile(re.escape(server.url) + re.escape(path_prefix) + r"[A-Za-z0-9_\-\.]+")
    deadline = time.monotonic() + timeout
    while True:
        for chunk in reversed(server.log().split(marker)[1:]):
            if chunk.lstrip().startswith(f"To: {to}\n"):
                found = pattern.findall(chunk)
                if found:
                    return found[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no {path_prefix} link emailed to {to}; server log ends:\n{server.log()[-3000:]}")
        time.sleep(0.1)


# --- accounts through the UI -----------------------------------------------


def flash(page: Page):
    return page.locator(".flashes")


def submit_registration(page: Page, member: Member) -> None:
    """Fill and send the registration form; the site says to check the email (whether or not the address
    already had an account, so it does not sign anyone in)."""
    page.goto("/register")
    page.get_by_label("Display name").fill(member.name)
    page.get_by_label("Email address").fill(member.email)
    page.get_by_label("Password", exact=True).fill(member.password)
    page.get_by_label("Confirm password").fill(member.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")


def register(page: Page, member: Member) -> None:
    """Register a new member, sign them in and show their account page (the address not confirmed yet)."""
    submit_registration(page, member)
    sign_in(page, member.email, member.password)
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/account/$"))


def confirm_email(page: Page, server: LiveServer, member: Member) -> None:
    page.goto(email_link(server, member.email, "/verify/"))
    expect(flash(page)).to_contain_text("your email address is confirmed")


def sign_in(page: Page, email: str, password: str, *, expect_ok: bool = True) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if expect_ok:
        expect(flash(page)).to_contain_text("Signed in as")


def sign_out(page: Page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(flash(page)).to_contain_text("You have signed out.")


# --- moderation through the UI ------------------------------------------------


def send_flag(page: Page, reason: str = "Abuse or harassment") -> None:
    """On a flag form (/flag/...): choose the reason and send it."""
    page.get_by_role("group", name="What is wrong?").get_by_label(reason).check()
    page.get_by_role("button", name="Send the flag").click()
    expect(flash(page)).to_contain_text("Thank you")


def hide_from_queue(page: Page, words: str, reason: str = "Abuse or harassment") -> None:
    """A moderator opens the queued item with these words and hides it, with a reason."""
    page.goto("/moderation/")
    page.locator(".queue-item", has_text=words).get_by_role("link", name=re.compile("^Review")).click()
    page.get_by_label("Hide: readers see a placeholder with the reason").check()
    page.get_by_label("Reason", exact=True).select_option(label=reason)
    page.get_by_role("button", name="Record the decision").click()
    expect(flash(page)).to_contain_text("Decision recorded: hide.")


# --- accessibility -----------------------------------------------------------

BLOCKING = ("serious", "critical")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}\n  {v['helpUrl']}")
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def check_axe(page: Page, label: str) -> list[dict]:
    """Run axe-core on the page; fail on any serious or critical violation, print the rest.

    The full result is written to test-artifacts/axe/<label>.json.
    """
    results = _axe.run(page)
    violations = results.response["violations"]
    out = ARTIFACTS / "axe"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{label}.json").write_text(json.dumps(violations, indent=2))
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    minor = [v for v in violations if v.get("impact") not in BLOCKING]
    if minor:
        print(f"axe ({label}, {page.url}): minor or moderate findings:\n{format_violations(minor)}")
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical violation(s) on {label} ({page.url}):\n"
        f"{format_violations(blocking)}"
    )
    return violations


# --- screenshots -------------------------------------------------------------


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_overflow(page: Page, label: str) -> None:
    """Nothing wider than the viewport (WCAG 1.4.10 reflow at 320-375 CSS px)."""
    wide = page.evaluate(
        """() => {
            const root = document.documentElement, limit = root.clientWidth, out = [];
            if (root.scrollWidth > limit) out.push('document ' + root.scrollWidth);
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.width && r.right > limit + 1 && getComputedStyle(el).position !== 'absolute')
                    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' right=' + r.right);
            }
            return out.slice(0, 10);
        }"""
    )
    assert not wide, f"{label}: content wider than the {page.viewport_size['width']}px viewport: {wide}"


def check_page(page: Page, name: str) -> None:
    """axe at desktop and phone width, no sideways scrolling, screenshots of both."""
    check_axe(page, f"{name}-desktop")
    screenshot(page, f"{name}-desktop")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    check_axe(page, f"{name}-phone")
    assert_no_horizontal_overflow(page, name)
    screenshot(page, f"{name}-phone")
    if size:
        page.set_viewport_size(size)
