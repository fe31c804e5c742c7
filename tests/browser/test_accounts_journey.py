"""Account journeys in a real browser: register to delete, wrong password, reset, representatives, live status."""

from __future__ import annotations

import json
import re

import pytest
import requests
from playwright.sync_api import expect

from tests.browser import helpers
from tests.browser.helpers import flash

pytestmark = pytest.mark.browser


def test_register_confirm_sign_in_download_and_delete(page, live_server):
    member = helpers.new_member("Dana Journey")

    # Register: the site says to check the email (as it would for an address that has an account).
    helpers.submit_registration(page, member)
    expect(page.locator("main")).to_contain_text(f"We have sent an email to {member.email}")
    helpers.check_axe(page, "journey-register-check-email")
    helpers.screenshot(page, "journey-register-check-email-desktop")

    # Signed in before confirming, the account page says the address is not confirmed yet.
    helpers.sign_in(page, member.email, member.password)
    page.goto("/account/")
    expect(page.get_by_text("not confirmed yet")).to_be_visible()
    helpers.check_axe(page, "journey-account-unconfirmed")
    helpers.screenshot(page, "journey-account-unconfirmed-desktop")

    # The emailed link confirms the address.
    page.goto(helpers.email_link(live_server, member.email, "/verify/"))
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(flash(page)).to_contain_text(f"Thank you, {member.name}: your email address is confirmed.")
    expect(page.locator(".facts .badge", has_text="confirmed")).to_have_text("confirmed")

    helpers.sign_out(page)
    nav = page.get_by_role("navigation", name="Account")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    helpers.sign_in(page, member.email, member.password)
    expect(flash(page)).to_have_text(f"Signed in as {member.name}.")

    # Download my data: a JSON file with the account, never the password hash.
    page.goto("/account/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data").click()
    download = info.value
    assert download.suggested_filename == "common-ground-my-data.json"
    with open(download.path(), encoding="utf-8") as f:
        text = f.read()
    data = json.loads(text)
    account = data["sections"]["account"]["data"]
    assert account["email"] == member.email
    assert account["display_name"] == member.name
    assert account["email_verified_at"]
    assert data["sections"]["sign_ins"]["data"], "the sign-ins section lists this browser"
    for secret in ("password_hash", "argon2", member.password):
        assert secret not in text, f"the export contains {secret!r}"

    # Delete: the confirmation box is required, then the password.
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    page.get_by_label("Your password").fill(member.password)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#error-summary")).to_contain_text("Tick the box to confirm")
    confirm = page.get_by_label("I understand this cannot be undone")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(confirm).to_have_accessible_description(re.compile("Tick the box to confirm"))
    page.locator("#error-summary").get_by_role("link").click()
    expect(confirm).to_be_focused()

    confirm.check()
    page.get_by_label("Your password").fill(member.password)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(flash(page)).to_contain_text("Your account has been deleted.")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-signed-in", "no")

    # The account is gone: the same credentials no longer work.
    helpers.sign_in(page, member.email, member.password, expect_ok=False)
    expect(page.locator("#error-summary")).to_contain_text("Email or password is not right.")


def test_wrong_password_shows_a_focusable_error_summary(page, make_member):
    member = make_member("Wes Wrong")
    helpers.sign_in(page, member.email, "not the password at all", expect_ok=False)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text("Email or password is not right.")
    # It does not say which of the two was wrong, and the email is kept for another try.
    expect(page.get_by_label("Email address")).to_have_value(member.email)
    expect(page.get_by_label("Password")).to_have_value("")
    summary.focus()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    helpers.screenshot(page, "login-error-desktop")

    # The right password still works (one failure does not lock the account).
    helpers.sign_in(page, member.email, member.password)


def test_register_errors_link_to_the_field(page):
    page.goto("/register")
    page.get_by_label("Display name").fill("Eve Errors")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Password", exact=True).fill("long enough passphrase")
    page.get_by_label("Confirm password").fill("long enough passphrase")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("That email address is not valid")
    email = page.get_by_label("Email address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("That email address is not valid"))
    # What was typed is kept, except the passwords.
    expect(page.get_by_label("Display name")).to_have_value("Eve Errors")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    summary.get_by_role("link").click()
    expect(email).to_be_focused()


def test_password_reset_by_emailed_link(page, live_server, make_member):
    member = make_member("Rory Reset")
    new_password = "a brand new passphrase 7"

    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill(member.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    link = helpers.email_link(live_server, member.email, "/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(flash(page)).to_contain_text("Your password has been changed. Please sign in with it.")

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset link not valid")
    expect(page.get_by_role("link", name="Ask for a new reset link")).to_be_visible()

    helpers.sign_in(page, member.email, member.password, expect_ok=False)
    expect(page.locator("#error-summary")).to_contain_text("Email or password is not right.")
    helpers.sign_in(page, member.email, new_password)


def test_registering_an_address_that_has_an_account_looks_the_same_and_tells_its_owner(
    new_context, live_server, make_member
):
    owner = make_member("Olive Owner")
    pages = {}
    for label, member in (
        ("new", helpers.new_member("Nell New")),
        ("taken", helpers.Member("Tess Taken", owner.email, "another long passphrase 3")),
    ):
        page = new_context().new_page()
        helpers.submit_registration(page, member)
        pages[label] = page.locator("main").inner_text().replace(member.email, "ADDRESS")
    assert pages["new"] == pages["taken"]

    # The owner's email says what happened and gives the ways in; its reset link works.
    owner_page = new_context().new_page()
    owner_page.goto(helpers.email_link(live_server, owner.email, "/reset/"))
    expect(owner_page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert "Someone tried to register with your email address" in live_server.log()


def test_a_strangers_guesses_pause_sign_in_and_the_owners_emailed_link_ends_it(new_context, live_server, make_member):
    owner = make_member("Pat Paused")
    stranger = new_context().new_page()
    summaries = {}
    for address in (owner.email, "nobody.at.all@example.org"):
        for _ in range(5):
            helpers.sign_in(stranger, address, "just a guess 123", expect_ok=False)
        helpers.sign_in(stranger, address, "and one more guess", expect_ok=False)
        summaries[address] = stranger.locator("#error-summary").inner_text()
    # A real account and an unknown address are paused alike: nothing says which one exists.
    assert summaries[owner.email] == summaries["nobody.at.all@example.org"]
    assert "Too many failed sign-in attempts" in summaries[owner.email]

    page = new_context().new_page()
    helpers.sign_in(page, owner.email, owner.password, expect_ok=False)  # the right password waits too
    expect(page.locator("#error-summary")).to_contain_text("Too many failed sign-in attempts")
    expect(page.get_by_role("link", name="Forgotten your password?")).to_be_visible()
    helpers.check_axe(page, "sign-in-paused")
    helpers.screenshot(page, "sign-in-paused-desktop")

    # The owner was emailed a reset link: it works at once and ends the pause.
    new_password = "a new passphrase after the pause"
    page.goto(helpers.email_link(live_server, owner.email, "/reset/"))
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(flash(page)).to_contain_text("Your password has been changed")
    helpers.sign_in(page, owner.email, new_password)


def test_admin_verifies_a_representative(new_context, live_server, make_member, admin):
    member = make_member("Cllr Rhiannon Verity")
    rep = new_context().new_page()
    helpers.sign_in(rep, member.email, member.password)
    rep.goto("/account/")
    rep.get_by_label("I am a").select_option("councillor")
    rep.get_by_label("Title", exact=True).fill("Councillor")
    rep.get_by_label("Ward or constituency").fill("Harbour ward")
    rep.get_by_label("Party").fill("Green")
    rep.get_by_role("button", name="Ask to be verified").click()
    expect(flash(rep)).to_contain_text("An admin will check your details")
    expect(rep.get_by_text("Waiting for an admin to verify your request.")).to_be_visible()

    # Not listed until an admin has checked.
    rep.goto("/representatives")
    expect(rep.get_by_role("cell", name=re.compile(member.name))).to_have_count(0)

    staff = new_context().new_page()
    helpers.sign_in(staff, admin.email, admin.password)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    pending = staff.get_by_role("region", name="Representatives waiting to be verified")
    row = pending.get_by_role("row").filter(has_text=member.name)
    # The role reads once (roles.role_title): it was "Councillor (Councillor)".
    expect(row.get_by_role("cell").nth(1)).to_have_text("Councillor")
    expect(row).to_contain_text("Harbour ward")
    helpers.check_axe(staff, "admin-with-pending")
    helpers.screenshot(staff, "admin-with-pending-desktop")
    row.get_by_role("button", name=f"Verify {member.name}").click()
    expect(flash(staff)).to_have_text(f"{member.name} is now a verified Councillor.")
    expect(staff.get_by_role("region", name="Verified representatives")).to_contain_text(member.name)

    # The public directory now shows the badge, to anyone.
    visitor = new_context().new_page()
    visitor.goto("/representatives")
    cell = visitor.get_by_role("cell", name=re.compile(re.escape(member.name)))
    expect(cell).to_have_count(1)
    expect(cell.locator(".badge-verified")).to_have_text("✔ Verified")
    expect(visitor.get_by_role("row").filter(has_text=member.name)).to_contain_text("Harbour ward")

    # A change of role ends the member's logins: they sign in again, under the new role.
    rep.goto("/account/")
    expect(rep).to_have_url(re.compile(r"/login\?next="))
    helpers.sign_in(rep, member.email, member.password)
    rep.goto("/account/")
    expect(rep.locator(".badge-verified")).to_have_text("✔ Verified Councillor")
    expect(rep.get_by_text("You are verified as Councillor for Harbour ward (Green).")).to_be_visible()


def test_live_status_and_sign_out_from_another_tab(new_context, resident):
    context = new_context()
    first = context.new_page()
    first.goto("/")
    expect(first.locator("#live-status")).to_have_text("")  # signed out: no personal channel

    helpers.sign_in(first, resident.email, resident.password)
    expect(first.locator("#live-status")).to_have_text("Live updates on.")
    expect(first.locator("body")).to_have_attribute("data-live", "on")

    second = context.new_page()
    second.goto("/account/")
    expect(second.locator("#live-status")).to_have_text("Live updates on.")
    helpers.sign_out(second)

    # The server ends this login and tells the first tab's socket at once.
    expect(first.locator("#live-status")).to_have_text("You have been signed out.")
    first.reload()
    expect(first.locator("body")).to_have_attribute("data-signed-in", "no")


def test_flash_survives_the_favicon_request(live_server, admin):
    """A browser's background /favicon.ico request must not eat the next page's flash messages."""
    http = requests.Session()
    form = http.get(live_server.url + "/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = http.post(
        live_server.url + "/login",
        data={"csrf_token": token, "email": admin.email, "password": admin.password},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302
    http.get(live_server.url + "/favicon.ico", timeout=10)  # what every browser does in the background
    assert f"Signed in as <bdi>{admin.name}</bdi>." in http.get(live_server.url + "/", timeout=10).text
