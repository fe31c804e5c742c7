"""The forums in a real browser: start a thread, another resident replies with a stance, the first sees it
arrive live through the "show new replies" control; search finds it; pages are axe-clean at desktop and
phone width; without JavaScript everything still works.

This module runs its own server with the demo content, because it signs in as the demo residents (their
passwords are printed once by `flask demo`): they already have approved posts, so what they post is
published at once, as for any established member. A brand-new member's first post waits for review,
and that is checked too.
"""

from __future__ import annotations

import json
import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.support import http as http_support
from tests.support import live_server as live_server_support
from tests.support.corpora import CORPORA

pytestmark = pytest.mark.browser
JO = "resident@demo.example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = live_server_support.start_with_demo(tmp_path_factory.mktemp("forums"))
    try:
        server.relax_posting_pace()
        yield server
    finally:
        server.stop()


@pytest.fixture
def forum_server(server):
    return server


@pytest.fixture
def open_page(browser_context):
    """Pages in fresh, watched browser contexts on this module's server; problems fail the test."""
    return browser_context


def sign_in_demo(page, server, email: str) -> None:
    helpers.sign_in(page, email, server.passwords[email])


def test_start_reply_live_update_and_search(open_page, forum_server):
    word = "zeppelin" + secrets.token_hex(3)  # a word only this test's posts contain
    jo = open_page()
    sign_in_demo(jo, forum_server, "resident@demo.example.org")

    # Jo starts a thread from the topic page.
    jo.goto("/")
    jo.get_by_role("link", name="Housing", exact=True).click()
    expect(jo.get_by_role("heading", level=1)).to_have_text("Housing")
    helpers.check_page(jo, "forum-topic")
    jo.get_by_role("link", name="Start a thread").click()
    helpers.check_page(jo, "forum-new-thread")
    jo.get_by_label("Title", exact=True).fill(f"Should the {word} mast go up on the library?")
    jo.get_by_label("What do you want to discuss?").fill(f"The {word} mast plan is **out for comment**.")
    jo.get_by_role("button", name="Start the thread").click()
    expect(helpers.flash(jo)).to_contain_text("Your thread is posted.")
    expect(jo.get_by_role("heading", level=1)).to_contain_text(word)
    expect(jo.locator(".thread-post strong")).to_have_text("out for comment")
    thread_url = jo.url
    # The page has joined the thread's live room.
    expect(jo.locator("[data-thread-id]")).to_have_attribute("data-live", "on")

    # Alex replies with a stance, from another browser.
    alex = open_page()
    sign_in_demo(alex, forum_server, "resident2@demo.example.org")
    alex.goto(thread_url)
    alex.get_by_label("Your reply").fill(f"I am against the {word} mast: it blocks the *view*.")
    alex.get_by_role("group", name="Your stance").get_by_label("Against").check()
    alex.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(alex)).to_contain_text("Your reply is posted.")
    expect(alex.locator(".reply").last).to_contain_text("Against")

    # Jo's page did not jump: a control offers the new reply and a polite live region says so.
    control = jo.get_by_role("button", name="Show 1 new reply")
    expect(control).to_be_visible()
    announcer = jo.locator("#new-replies-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_contain_text("1 new reply")
    expect(jo.locator("#replies .reply")).to_have_count(0)
    helpers.screenshot(jo, "forum-new-replies-control-desktop")
    control.click()
    new_reply = jo.locator("#replies .reply").first
    expect(new_reply).to_contain_text("it blocks the view")
    expect(new_reply.locator(".stance")).to_have_text(re.compile("Against"))
    expect(new_reply.locator("em")).to_have_text("view")
    expect(new_reply).to_be_focused()
    expect(control).to_be_hidden()
    expect(announcer).to_contain_text("shown")
    helpers.check_page(jo, "forum-thread-live")

    # Search finds the thread and the reply, with the words highlighted.
    jo.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    jo.get_by_label("Words to find in threads and replies").fill(f"{word} mast")
    jo.get_by_role("button", name="Search").click()
    results = jo.locator(".search-hit")
    expect(results).to_have_count(2)
    expect(results.first.locator("mark").first).to_have_text(re.compile(word, re.I))
    expect(jo.get_by_role("link", name=re.compile(f"Reply in .*{word}"))).to_be_visible()
    helpers.check_page(jo, "forum-search")
    jo.get_by_role("link", name=re.compile(f"Reply in .*{word}")).click()
    expect(jo).to_have_url(re.compile(r"/threads/\d+#reply-\d+$"))


def test_demo_thread_reads_well_and_reply_controls_work(open_page, forum_server):
    page = open_page()
    sign_in_demo(page, forum_server, "resident2@demo.example.org")
    page.goto("/topics/housing")
    page.get_by_role("link", name="Should the old bus depot become council homes?").click()
    expect(page.get_by_role("heading", name="Official response")).to_be_visible()
    expect(page.locator(".official .badge-verified")).to_contain_text("Verified Councillor")
    expect(page.get_by_role("heading", name="Where people stand")).to_be_visible()
    expect(page.locator(".balance-list")).to_contain_text("For: 2")
    helpers.check_page(page, "forum-thread")

    # Sort by most helpful: the official answer (4 votes) comes first.
    page.get_by_role("navigation", name="Sort replies").get_by_role("link", name="Most helpful").click()
    expect(page.locator("#replies .reply").first).to_contain_text("40% of the homes")

    # Quote a reply: the form shows what is quoted, and the reply carries the quote.
    page.get_by_role("navigation", name="Sort replies").get_by_role("link", name="Oldest first").click()
    page.get_by_role("link", name="Quote the reply by Dev Patel").click()
    expect(page.locator(".quoting")).to_contain_text("You are quoting Dev Patel")
    expect(page.get_by_label("Your reply")).to_be_in_viewport()
    page.get_by_label("Your reply").fill("The flood report is due in the spring, so we will know then.")
    page.get_by_role("group", name="Your stance").get_by_label("Neutral").check()
    page.get_by_role("button", name="Post reply").click()
    mine = page.locator("#replies .reply").last
    expect(mine.locator(".quote")).to_contain_text("Quoting Dev Patel")
    # Helpful: one vote. The toggle keeps its name; it says it is pressed, and shows a tick.
    helpful = page.get_by_role("button", name="Helpful (the reply by Maria Nowak)", exact=True)
    expect(helpful).to_have_attribute("aria-pressed", "false")
    helpful.click()
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful).to_have_text(re.compile(r"^Helpful ✓"))
    expect(page.locator(".reply", has=helpful).locator("[data-helpful-count]")).to_have_text("1")

    # An empty reply is refused with a linked, focusable error and nothing is posted.
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#error-summary")).to_contain_text("Write your reply before sending it.")
    expect(page.get_by_label("Your reply")).to_have_attribute("aria-invalid", "true")
    helpers.check_page(page, "forum-reply-error")

    # Edit within the window: the page then shows "edited", with the history a click away.
    mine = page.locator("#replies .reply", has_text="flood report is due")
    mine.get_by_role("link", name="Edit your reply").click()
    helpers.check_page(page, "forum-edit-reply")
    page.get_by_label("Your reply").fill("The flood report is due in April, so we will know then.")
    page.get_by_role("button", name="Save changes").click()
    mine = page.locator("#replies .reply", has_text="due in April")
    mine.get_by_role("link", name=re.compile("^edited")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Earlier versions of this reply")
    expect(page.locator("main")).to_contain_text("due in the spring")


def names_before_and_after_the_stylesheet(page, path: str, region: str) -> tuple[str, str]:
    """The region's accessibility snapshot while site.css is held back, then once it applies."""
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/static/css/site.css", hold)
    page.goto(path, wait_until="commit")
    expect(page.locator("footer.site-footer")).to_be_attached()  # parsed: scripts wait for the stylesheet
    assert held, "the stylesheet was not held"
    hidden = page.locator(".visually-hidden").first
    assert hidden.evaluate("el => getComputedStyle(el).position") == "static"  # no stylesheet yet
    unstyled = page.locator(region).aria_snapshot()
    for route in held:
        route.continue_()
    page.unroute("**/static/css/site.css")
    expect(hidden).to_have_css("position", "absolute")
    return unstyled, page.locator(region).aria_snapshot()


def test_controls_are_named_the_same_before_and_after_the_stylesheet_loads(open_page, forum_server):
    """Names a screen reader hears do not depend on CSS (see tests/web/test_hidden_text.py for why they did).

    Playwright fetches every file afresh once requests are routed (the watched contexts are), so a test
    that reads a name just after a page arrives may see it before site.css applies: the helpful toggle
    was found only then, and the forum journey failed whenever the stylesheet won the race.
    """
    pages = [
        ("resident2@demo.example.org", "/threads/1", "#replies", "Helpful (the reply by Dev Patel)"),
        ("councillor@demo.example.org", "/answers", "main", "Answer in writing question"),
    ]
    for email, path, region, name in pages:
        page = open_page()
        sign_in_demo(page, forum_server, email)
        unstyled, styled = names_before_and_after_the_stylesheet(page, path, region)
        assert styled == unstyled, path
        assert name in styled


def test_without_javascript_reading_and_replying_work(open_page, forum_server):
    page = open_page(java_script_enabled=False)
    sign_in_demo(page, forum_server, "resident@demo.example.org")
    page.goto("/topics/jobs")
    page.get_by_role("link", name=re.compile("The high street is losing shops")).click()
    expect(page.locator("#replies .reply")).to_have_count(4)
    page.get_by_label("Your reply").fill("A Saturday market would bring people back.")
    page.get_by_role("group", name="Your stance").get_by_label("For").check()
    page.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(page)).to_contain_text("Your reply is posted.")
    expect(page.locator("#replies .reply").last).to_contain_text("Saturday market")
    expect(page.locator("#new-replies")).to_be_hidden()


def test_a_new_members_first_thread_waits_for_review(open_page, forum_server):
    member = helpers.new_member("Nia Newcomer")
    page = open_page()
    helpers.register(page, member)
    helpers.confirm_email(page, forum_server, member)
    page.goto("/topics/immigration/new")
    page.get_by_label("Title", exact=True).fill("A first question from a newcomer")
    page.get_by_label("What do you want to discuss?").fill("Where can I volunteer to help new arrivals?")
    page.get_by_role("button", name="Start the thread").click()
    expect(helpers.flash(page)).to_contain_text("awaiting review")
    expect(page.locator(".thread-post .notice-held")).to_contain_text("Only you can see this thread")
    helpers.check_page(page, "forum-thread-held")
    # Someone else does not see it at all.
    other = open_page()
    other.goto("/topics/immigration")
    expect(other.locator("main")).not_to_contain_text("A first question from a newcomer")


CORPUS = CORPORA / "xss_public.jsonl"
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__dialogs.push(name + ':' + String(args[0])); };
}
"""
# Everything under the replies list that user text could have smuggled in.
INSPECT = """(root) => {
  const out = [];
  for (const el of document.querySelectorAll(root + ' *')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) out.push(el.tagName + ' ' + attr.name);
      if (attr.name === 'style') out.push(el.tagName + ' style');
    }
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'img', 'svg', 'math', 'style', 'base', 'form'].includes(tag)
        && !el.closest('.post-actions')) out.push('element ' + tag);
    if (tag === 'a' && el.getAttribute('href') !== null && !['http:', 'https:', 'mailto:'].includes(el.protocol))
      out.push('link ' + el.getAttribute('href'));
    if (el.hasAttribute('src') || el.hasAttribute('srcset') || el.hasAttribute('formaction'))
      out.push('url attribute on ' + tag);
  }
  return out.concat(window.__dialogs);
}"""


def test_hostile_replies_are_inert_live_and_on_reload(open_page, forum_server):
    payloads = [json.loads(line)["input"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    # The admin (staff skip the posting pace) posts every payload through the JSON API.
    api = http_support.sign_in(
        forum_server.url, "admin@demo.example.org", forum_server.passwords["admin@demo.example.org"]
    )
    token = re.search(r'name="csrf-token" content="([^"]+)"', api.get(forum_server.url + "/", timeout=5).text).group(1)
    headers = {"X-CSRFToken": token}
    created = api.post(
        forum_server.url + "/api/v1/topics/jobs/threads",
        headers=headers,
        timeout=5,
        json={"title": "Hostile text test", "body": "Payloads arrive below."},
    )
    assert created.status_code == 201, created.text
    thread_id = created.json()["data"]["id"]

    reader = open_page()
    reader.context.add_init_script(RECORD_DIALOGS)
    dialogs = []
    reader.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    reader.goto(f"/threads/{thread_id}")
    expect(reader.locator("[data-thread-id]")).to_have_attribute("data-live", "on")
    posted = 0
    for n, payload in enumerate(payloads):
        response = api.post(
            forum_server.url + f"/api/v1/threads/{thread_id}/replies",
            headers=headers,
            timeout=5,
            json={"body": f"{payload}\n\nn{n}"},
        )
        assert response.status_code in (201, 400), response.text
        posted += response.status_code == 201
    assert posted > len(payloads) * 0.9

    # Live: every reply arrives through the "show new replies" control and is inert.
    expect(reader.get_by_role("button", name=f"Show {posted} new replies")).to_be_visible(timeout=20_000)
    reader.get_by_role("button", name=f"Show {posted} new replies").click()
    expect(reader.locator("#replies .reply")).to_have_count(posted)
    assert reader.evaluate(INSPECT, "#replies") == []
    # Server-rendered, after a reload: the same.
    for page_number in (1, 2):
        reader.goto(f"/threads/{thread_id}?per_page=100&page={page_number}")
        assert reader.evaluate(INSPECT, "#replies") == []
    assert dialogs == []


def hide_as_moderator(mod, thread_url: str, words: str) -> None:
    """The demo moderator flags a reply from the thread page, then hides it from the review queue."""
    mod.goto(thread_url)
    written = mod.locator("#replies .reply").filter(has=mod.locator(".post-body", has_text=words))
    written.get_by_role("link", name=re.compile("^Flag this reply")).click()
    helpers.send_flag(mod)
    helpers.hide_from_queue(mod, words)


def start_housing_thread(page, server, email: str, title: str, body: str) -> str:
    """A demo member (published at once) starts a thread in Housing; its address."""
    sign_in_demo(page, server, email)
    page.goto("/topics/housing/new")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("What do you want to discuss?").fill(body)
    page.get_by_role("button", name="Start the thread").click()
    expect(helpers.flash(page)).to_contain_text("Your thread is posted.")
    return page.url.split("#")[0]


def test_counts_balance_and_hidden_replies_follow_an_open_page(open_page, forum_server):
    word = "quayside" + secrets.token_hex(3)
    jo = open_page()
    title = f"Should the {word} car park become a market?"
    thread_url = start_housing_thread(jo, forum_server, JO, title, "Saturdays only, to start with.")
    expect(jo.locator("[data-thread-id]")).to_have_attribute("data-live", "on")
    heading, balance = jo.locator("#replies-heading"), jo.get_by_role("region", name="Where people stand")
    expect(heading).to_have_text("0 replies")
    expect(balance).to_contain_text("No one has taken a stance yet")

    def reply(page, email: str, text: str, stance: str, quote: str | None = None) -> None:
        sign_in_demo(page, forum_server, email)
        page.goto(thread_url)
        if quote:
            page.locator("#replies .reply", has_text=quote).get_by_role("link", name=re.compile("^Quote")).click()
        page.get_by_label("Your reply").fill(text)
        page.get_by_role("group", name="Your stance").get_by_label(stance).check()
        page.get_by_role("button", name="Post reply").click()
        expect(helpers.flash(page)).to_contain_text("Your reply is posted.")

    # A second member replies: after "Show 1 new reply" the count and the balance say so.
    alex = open_page()
    reply(alex, "resident2@demo.example.org", f"Against: the {word} spaces are needed for the clinic.", "Against")
    jo.get_by_role("button", name="Show 1 new reply").click()
    expect(heading).to_have_text("1 reply")
    expect(balance).to_contain_text("Against: 1")
    # Another quotes it, for: both are counted once shown.
    cllr = open_page()
    reply(cllr, "councillor@demo.example.org", "The clinic has its own car park.", "For", quote="needed for the clinic")
    jo.get_by_role("button", name="Show 1 new reply").click()
    expect(heading).to_have_text("2 replies")
    expect(balance).to_contain_text("For: 1")
    expect(balance).to_contain_text("Against: 1")
    expect(jo.locator("#replies blockquote.quote")).to_contain_text("needed for the clinic")
    helpers.screenshot(jo, "forum-live-counts-desktop")

    # A moderator hides the first reply: it leaves Jo's page without a reload, quote included, and the totals follow.
    jo.evaluate("() => { window.stillTheSamePage = true; }")
    mod = open_page()
    sign_in_demo(mod, forum_server, "moderator@demo.example.org")
    hide_as_moderator(mod, thread_url, "needed for the clinic")
    replies = jo.locator("#replies")
    expect(replies.get_by_text("Hidden by moderators: Abuse or harassment")).to_have_count(2)  # the reply and the quote
    expect(replies).not_to_contain_text("needed for the clinic")
    expect(heading).to_have_text("1 reply")
    expect(balance).to_contain_text("Against: 0")
    expect(balance).to_contain_text("For: 1")
    assert jo.evaluate("() => window.stillTheSamePage") is True
    helpers.check_page(jo, "forum-live-hidden")

    # A reply hidden while it waits behind "Show new replies" is never shown: the offer is withdrawn.
    alex.goto(thread_url)
    alex.get_by_label("Your reply").fill(f"Against again: {word} parking matters more than stalls.")
    alex.get_by_role("group", name="Your stance").get_by_label("Against").check()
    alex.get_by_role("button", name="Post reply").click()
    show = jo.get_by_role("button", name="Show 1 new reply")
    expect(show).to_be_visible()
    hide_as_moderator(mod, thread_url, "parking matters more")
    expect(show).to_be_hidden()
    expect(jo.locator("#new-replies")).to_be_hidden()
    expect(replies.locator(".reply")).to_have_count(2)
    expect(replies).not_to_contain_text("parking matters more")
    expect(heading).to_have_text("1 reply")


def test_a_reply_changed_live_keeps_each_readers_own_controls(open_page, forum_server):
    """A changed reply arrives as a fragment made for everyone; what is the reader's own stays as it was.

    The thread and the reply are by the councillor and the MP: the residents have posted their five a minute.
    """
    word = "lamplighter" + secrets.token_hex(3)
    cllr = open_page()
    title = f"Should the {word} lamps stay on all night?"
    thread_url = start_housing_thread(cllr, forum_server, "councillor@demo.example.org", title, "They light the path.")
    sam = open_page()
    sign_in_demo(sam, forum_server, "mp@demo.example.org")
    sam.goto(thread_url)
    sam.get_by_label("Your reply").fill("Only until midnight, to save money.")
    sam.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(sam)).to_contain_text("Your reply is posted.")

    # Jo finds Sam's reply helpful; Sam has the thread open in a second tab too.
    jo = open_page()
    sign_in_demo(jo, forum_server, JO)
    jo.goto(thread_url)
    helpful = jo.get_by_role("button", name="Helpful (the reply by Sam Okafor MP)", exact=True)
    helpful.click()
    expect(helpful).to_have_attribute("aria-pressed", "true")
    expect(jo.locator("[data-thread-id]")).to_have_attribute("data-live", "on")
    tab = sam.context.new_page()
    tab.goto(thread_url)
    expect(tab.locator("[data-thread-id]")).to_have_attribute("data-live", "on")

    # Sam edits the reply: both open pages show the new text at once, each with its reader's own controls.
    sam.goto(thread_url)
    sam.locator("#replies .reply").get_by_role("link", name="Edit your reply").click()
    sam.get_by_label("Your reply").fill("Only until midnight, to save money and the bats.")
    sam.get_by_role("button", name="Save changes").click()
    expect(helpers.flash(sam)).to_contain_text("Your changes are saved.")
    reply = jo.locator("#replies .reply")
    expect(reply).to_contain_text("and the bats")
    expect(reply.locator(".edited")).to_be_visible()
    expect(helpful).to_have_attribute("aria-pressed", "true")  # still Jo's vote
    expect(reply.locator("input[name=action]")).to_have_value("remove")  # pressing it again takes it back
    own = tab.locator("#replies .reply")
    expect(own).to_contain_text("and the bats")
    expect(own.get_by_role("link", name="Edit your reply")).to_be_visible()  # still Sam's own reply
    expect(own.get_by_role("button", name="Mark as the official response")).to_be_visible()  # a representative's
    expect(own.get_by_role("button", name=re.compile("^Helpful"))).to_have_count(0)


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one character: 7 code points, 11 UTF-16 units
THUMB = "\U0001f44d\U0001f3fd"
# 5,000 characters as people see them; 11,487 UTF-16 units (a maxlength of 5,000 stopped well short).
EMOJI_RICH = ("Hello " + THUMB + " " + FAMILY + " ") * 499 + "Thank you!"


def test_reply_box_counts_emoji_as_one_character_each_and_keeps_them_whole(open_page, forum_server):
    page = open_page()
    sign_in_demo(page, forum_server, "resident2@demo.example.org")
    page.goto("/topics/housing")
    page.locator("a[href^='/threads/']").first.click()
    box = page.get_by_label("Your reply")
    counter = page.locator("#body-count")
    expect(counter).to_have_text("5,000 characters left")
    box.fill(EMOJI_RICH[:-10])
    box.press_sequentially("Thank you")
    expect(counter).to_have_text("1 character left")
    box.press_sequentially("!")
    expect(counter).to_have_text("0 characters left")
    box.press_sequentially(FAMILY)  # typed past the limit: kept whole, and the counter says so
    expect(box).to_have_value(EMOJI_RICH + FAMILY)
    expect(counter).to_have_text("1 character too many")
    expect(counter).to_have_class(re.compile("char-count-over"))
    page.locator("#body").scroll_into_view_if_needed()
    helpers.screenshot(page, "reply-box-over-limit")
    page.get_by_role("button", name="Post reply").click()  # the server refuses it the same way, and keeps it
    expect(page.locator(".error-summary")).to_contain_text("5,001 characters, and the limit is 5,000")
    expect(page.get_by_label("Your reply")).to_have_value(EMOJI_RICH + FAMILY)
    page.get_by_label("Your reply").fill(EMOJI_RICH)  # shortened to the limit, it is accepted whole
    expect(page.locator("#body-count")).to_have_text("0 characters left")
    page.get_by_role("button", name="Post reply").click()
    expect(helpers.flash(page)).to_contain_text("Your reply is posted.")
    mine = page.locator(".reply", has_text="Thank you!")
    expect(mine).to_have_count(1)
    assert mine.inner_text().count(FAMILY) == 499
