"""Moderation in a real browser, with three browser contexts, as issue 3 describes it:

a resident posts a reply; three residents flag it and it is hidden with a placeholder; the moderator,
whose review queue is open, sees it arrive live and hides it with a reason; the author sees the reason
and appeals; a second moderator overturns; the reply is back; the audit log shows all of it. Every
moderation page is checked with axe (no serious or critical findings) at desktop and phone width.

Contexts: the author's browser; a shared "members" browser where the flaggers (and later a reader)
sign in one after another; the staff browser where the moderator, and then the admin as the second
moderator, work. The module runs its own server with the demo content: every account on it is new, so
each flag weighs 0.5 (the engine's rule for new accounts); the admin first sets the threshold to 1.5
on the settings page, as a small pilot council would, so three flags hide the reply.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser

REPLY = "The planning officer is clueless and should be sacked for this depot scheme."
THREAD = "Should the old bus depot become council homes?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = live_server_support.start_with_demo(tmp_path_factory.mktemp("moderation"))
    try:
        yield srv
    finally:
        srv.stop()


def sign_in(page, server, email: str, password: str | None = None) -> None:
    helpers.sign_in(page, email, password or server.passwords[email])


def check_page(page, name: str) -> None:
    helpers.check_page(page, f"moderation-{name}")


def open_thread(page) -> None:
    page.goto("/topics/housing")
    page.get_by_role("link", name=THREAD).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(THREAD)


def register(page, server, prefix: str) -> helpers.Member:
    """Register and confirm through the UI; checks the account page's badge rather than the flash."""
    member = helpers.new_member(prefix)
    helpers.register(page, member)
    page.goto(helpers.email_link(server, member.email, "/verify/"))
    expect(page.locator("main .badge").get_by_text("confirmed", exact=True)).to_be_visible()
    return member


def flag_reply(page) -> None:
    reply = page.locator(".reply", has_text="planning officer is clueless")
    reply.get_by_role("link", name="Flag this reply by Jo Resident for moderators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flag this for moderators")
    page.get_by_role("group", name="What is wrong?").get_by_label("Abuse or harassment").check()
    page.get_by_label("Anything moderators should know?").fill("Personal attack on a named officer.")
    page.get_by_role("button", name="Send the flag").click()
    expect(helpers.flash(page)).to_contain_text("Thank you. Moderators will review it")


def test_flag_hide_appeal_overturn(browser_context, server):
    staff, author, members = browser_context(), browser_context(), browser_context()

    # The admin sets the flag threshold for a pilot where every account is new (flags weigh 0.5).
    sign_in(staff, server, "admin@demo.example.org")
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    staff.get_by_role("link", name="Moderation settings").click()
    staff.get_by_label("Flag weight that hides content").fill("one and a half")
    staff.get_by_role("button", name="Save the settings").click()
    expect(staff.locator("#error-summary")).to_contain_text("Enter a number such as 3 or 2.5.")
    expect(staff.get_by_label("Flag weight that hides content")).to_have_attribute("aria-invalid", "true")
    check_page(staff, "settings-error")
    staff.get_by_label("Flag weight that hides content").fill("1.5")
    staff.get_by_role("button", name="Save the settings").click()
    expect(helpers.flash(staff)).to_contain_text("Moderation settings saved.")
    expect(staff.get_by_label("Word or phrase 2")).to_have_value("traitor")
    check_page(staff, "settings")
    helpers.sign_out(staff)

    # The moderator opens the review queue: the demo's held and flagged replies wait there, live,
    # with the question held in the demo's live Q&A session.
    sign_in(staff, server, "moderator@demo.example.org")
    staff.goto("/notifications")
    expect(staff.locator(".notification").first).to_contain_text("3 items wait in the review queue.")
    staff.get_by_role("button", name="Mark all as read").click()
    expect(staff.locator("#notifications-count")).to_have_count(0)
    staff.goto("/moderation/")
    expect(staff.locator("body")).to_have_attribute("data-queue-live", "on")
    expect(staff.locator(".queue-item")).to_have_count(3)
    check_page(staff, "queue")

    # Jo posts a reply.
    sign_in(author, server, "resident@demo.example.org")
    open_thread(author)
    author.get_by_label("Your reply").fill(REPLY)
    author.get_by_role("group", name="Your stance").get_by_label("Against").check()
    author.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(author)).to_contain_text("Your reply is posted.")
    thread_url = author.url.split("#")[0]

    # Three residents flag it, one after another in the members' browser.
    sign_in(members, server, "resident2@demo.example.org")
    open_thread(members)
    flag_reply(members)
    # The moderator's open queue shows it without a reload.
    arrived = staff.locator(".queue-item", has_text="planning officer is clueless")
    expect(arrived).to_be_visible()
    expect(staff.locator("#queue-announcer")).to_have_text("A new item arrived in the review queue.")
    # The moderator's unread badge counts the alert, live, on every page they have open.
    expect(staff.locator("#notifications-count")).to_have_text(re.compile(r"^1\b"))
    helpers.sign_out(members)
    for n in (1, 2):
        register(members, server, f"Flagger {n}")
        members.goto(thread_url)
        if n == 1:
            members.locator(".reply", has_text="planning officer is clueless").get_by_role(
                "link", name="Flag this reply by Jo Resident for moderators"
            ).click()
            expect(members.get_by_role("heading", level=1)).to_have_text("Flag this for moderators")
            check_page(members, "flag-form")
            members.go_back()
            expect(members.get_by_role("heading", level=1)).to_have_text(THREAD)
        flag_reply(members)
        helpers.sign_out(members)

    # Hidden while moderators review: readers see a placeholder, never a silent gap.
    members.goto(thread_url)
    expect(members.get_by_text("Hidden while moderators review reports")).to_be_visible()
    expect(members.locator("main")).not_to_contain_text("planning officer is clueless")
    expect(arrived).to_contain_text("Flag weight 1.5")

    # The moderator reviews it, claims it and hides it with a reason.
    arrived.get_by_role("link", name=re.compile("^Review")).click()
    expect(staff.locator("#content-text")).to_contain_text("planning officer is clueless")
    expect(staff.locator("main")).to_contain_text("Personal attack on a named officer.")
    staff.get_by_role("button", name="Claim this item").click()
    expect(helpers.flash(staff)).to_contain_text("You have claimed this item.")
    check_page(staff, "item")
    staff.get_by_label("Hide: readers see a placeholder with the reason").check()
    staff.get_by_label("Reason", exact=True).select_option(label="Abuse or harassment")
    staff.get_by_label("Note to the author").fill("Criticise decisions, not named officials.")
    staff.get_by_role("button", name="Record the decision").click()
    expect(helpers.flash(staff)).to_contain_text("Decision recorded: hide. The author has been told.")
    expect(staff.locator(".queue-item", has_text="planning officer is clueless")).to_have_count(0)

    members.goto(thread_url)
    expect(members.get_by_text("Hidden by moderators: Abuse or harassment")).to_be_visible()
    helpers.screenshot(members, "moderation-placeholder-desktop")

    # Jo was told live (the nav counts the notification), follows it to the notice, reads the reason and appeals.
    expect(author.locator("#notifications-count")).to_be_visible()
    author.get_by_role("link", name=re.compile("^Notifications")).click()
    author.locator(".notification", has_text="hid your reply").get_by_role("link").click()
    notice = author.locator(".mod-notice", has_text="hid your reply")
    expect(notice).to_contain_text("Reason: Abuse or harassment.")
    expect(notice).to_contain_text("Criticise decisions, not named officials.")
    notice.get_by_text("Appeal this decision").click()
    check_page(author, "notices")
    notice.get_by_label("Why should the decision change?").fill(
        "It was about a planning decision. I will reword it, but it was not abuse."
    )
    notice.get_by_role("button", name="Send my appeal").click()
    expect(helpers.flash(author)).to_contain_text("Your appeal has been sent.")
    appealed_notice = author.locator(".mod-notice", has_text="hid your reply")
    expect(appealed_notice.get_by_text("Appeal this decision")).to_have_count(0)

    # The appeal is back in the queue, but the moderator who decided may not decide it.
    staff.goto("/moderation/")
    appealed = staff.locator(".queue-item", has_text="planning officer is clueless")
    expect(appealed).to_contain_text("Appealed")
    appealed.get_by_role("link", name=re.compile("^Review")).click()
    expect(staff.locator("main")).to_contain_text("a different moderator must decide the appeal")
    helpers.sign_out(staff)

    # A second moderator (the admin) overturns it.
    sign_in(staff, server, "admin@demo.example.org")
    staff.goto("/moderation/")
    staff.locator(".queue-item", has_text="planning officer is clueless").get_by_role(
        "link", name=re.compile("^Review")
    ).click()
    expect(staff.locator("main")).to_contain_text("It was about a planning decision.")
    check_page(staff, "appeal")
    staff.get_by_label("Overturn: restore the content").check()
    staff.get_by_label("Note to the member").first.fill("Robust criticism of a decision is allowed.")
    staff.get_by_role("button", name="Decide the appeal").click()
    expect(helpers.flash(staff)).to_contain_text("Appeal overturned. The member has been told.")

    # The reply is back, and Jo is told.
    author.goto(thread_url)
    expect(author.locator(".reply", has_text="planning officer is clueless")).to_be_visible()
    members.goto(thread_url)
    expect(members.locator(".reply", has_text="planning officer is clueless")).to_be_visible()
    author.goto("/notices")
    expect(author.locator(".mod-notice").first).to_contain_text("overturned the decision about your reply")

    # The audit log shows all of it.
    staff.goto("/moderation/audit")
    log = staff.locator(".audit-table tbody")
    for action in ("policy changed", "auto hide", "hide", "appeal filed", "appeal decided", "restore"):
        expect(log.locator("td", has_text=re.compile(f"^{action}$")).first).to_be_visible()
    expect(log).to_contain_text("Morgan (moderator)")
    expect(log).to_contain_text("System")
    check_page(staff, "audit")
    staff.get_by_label("Action").select_option(label="restore")
    staff.get_by_role("button", name="Filter").click()
    expect(log.locator("tr")).to_have_count(1)

    # The public report counts it, with no names.
    members.goto("/")
    members.get_by_role("link", name="Moderation transparency report").click()
    expect(members.locator("main")).to_contain_text("Items hidden")
    expect(members.locator("main")).not_to_contain_text("Jo Resident")
    check_page(members, "transparency")


def test_moderator_pages_refuse_residents(browser_context, server):
    page = browser_context()
    sign_in(page, server, "resident2@demo.example.org")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue")).to_have_count(0)
    for path in ("/moderation/", "/moderation/audit", "/moderation/settings"):
        response = page.goto(path)
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that")


def test_queue_works_without_javascript(browser_context, server):
    page = browser_context(java_script_enabled=False)
    sign_in(page, server, "moderator@demo.example.org")
    page.goto("/moderation/")
    held = page.locator(".queue-item", has_text="traitor")
    expect(held).to_contain_text("Held before publishing")
    held.get_by_role("button", name=re.compile("^Claim")).click()
    expect(helpers.flash(page)).to_contain_text("You have claimed this item.")
    expect(page.locator("main")).to_contain_text("contains “traitor”")
    page.get_by_label("Approve: show it").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(helpers.flash(page)).to_contain_text("Decision recorded: approve.")


def test_a_muted_member_sees_the_sanction_where_they_would_write(browser_context, server):
    member, staff = browser_context(), browser_context()
    register(member, server, "Nia Newcomer")
    open_thread(member)
    member.get_by_label("Your reply").fill("My first reply here: the depot should keep its bus bays.")
    member.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(member)).to_contain_text("awaiting review")

    # A moderator mutes them for a day from the review item, with a reason and a note.
    sign_in(staff, server, "moderator@demo.example.org")
    staff.goto("/moderation/")
    staff.locator(".queue-item", has_text="keep its bus bays").get_by_role("link", name=re.compile("^Review")).click()
    staff.get_by_label("Sanction", exact=True).select_option(label="Mute (can't post)")
    staff.get_by_label("For (mutes and suspensions)").select_option(label="1 day")
    staff.get_by_label("Reason for the sanction").select_option(label="Spam")
    staff.get_by_label("Note to the member about the sanction").fill("One reply per point, please.")
    staff.get_by_role("button", name="Apply the sanction").click()
    expect(helpers.flash(staff)).to_contain_text("Sanction recorded.")

    # Before writing anything, the member sees why they can't, where the reply form was.
    open_thread(member)
    notice = member.locator("#reply-restriction")
    expect(notice).to_contain_text("Your account is muted: you can read, vote and flag")
    expect(notice).to_contain_text("Reason: Spam.")
    expect(notice).to_contain_text("One reply per point, please.")
    expect(notice.locator("time")).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d (GMT|BST)$"))
    expect(member.get_by_label("Your reply")).to_have_count(0)
    expect(member.get_by_role("button", name="Post reply")).to_have_count(0)
    check_page(member, "muted-thread")
    held = member.locator("#awaiting-review .reply").first
    expect(held.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)  # editing is writing too
    reply_id = held.get_attribute("data-reply-id")
    member.goto(f"/replies/{reply_id}/edit")
    expect(member.locator("#edit-restriction")).to_contain_text("Your account is muted")
    expect(member.get_by_label("Your reply")).to_have_count(0)
    check_page(member, "muted-edit")
    open_thread(member)
    notice.get_by_role("link", name="Your moderation notices").click()
    expect(member.locator(".mod-notice").first).to_contain_text("muted until")

    # Starting a thread, and the live room's question and chat boxes, say the same.
    member.goto("/topics/housing/new")
    expect(member.locator("#thread-restriction")).to_contain_text("Your account is muted")
    expect(member.get_by_label("Title", exact=True)).to_have_count(0)
    check_page(member, "muted-new-thread")
    member.goto("/sessions")
    member.get_by_role("link", name="Housing and rents: ask your councillors").first.click()
    for box in ("#ask-restriction", "#chat-restriction"):
        expect(member.locator(box)).to_contain_text("Reason: Spam.")
    expect(member.get_by_label("Your question", exact=True)).to_have_count(0)
    expect(member.locator("#chat-form")).to_have_count(0)
    expect(member.locator("#live-questions .vote-button").first).to_be_visible()  # a mute leaves votes
    check_page(member, "muted-live-room")
