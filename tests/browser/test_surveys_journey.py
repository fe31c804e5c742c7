"""Surveys in a real browser: a resident answers the demo survey (saves, comes back, sends with an error on the
way), and the pages (the survey, its error summary, the results with their charts, the admin's builder) are
axe-clean at desktop and phone width.

Its own server with the demo content: the demo survey is open with about 40 answers and published results.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import helpers
from tests.support import live_server as live_server_support

pytestmark = pytest.mark.browser
JO = "resident@demo.example.org"
ADMIN = "admin@demo.example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = live_server_support.start_with_demo(tmp_path_factory.mktemp("surveys"))
    try:
        yield server
    finally:
        server.stop()


def test_a_resident_saves_comes_back_and_sends_and_the_results_are_accessible(browser_context, server):
    jo = browser_context()
    helpers.sign_in(jo, JO, server.passwords[JO])
    jo.goto("/en/surveys")
    helpers.check_page(jo, "surveys-list")
    jo.get_by_role("link", name="Homes in our area", exact=True).click()
    expect(jo.get_by_role("heading", level=1)).to_have_text("Homes in our area")
    jo.get_by_label("Rent privately", exact=True).check()
    jo.get_by_role("button", name="Save and come back later").click()
    expect(helpers.flash(jo)).to_contain_text("Your answers are saved")

    # Coming back later: the draft is there; sending without the required scale shows the error summary.
    jo.goto("/en/surveys")
    jo.get_by_role("link", name="Homes in our area", exact=True).click()
    expect(jo.locator("#survey-status")).to_contain_text("saved as a draft")
    expect(jo.get_by_label("Rent privately", exact=True)).to_be_checked()
    jo.get_by_role("button", name="Send my answers").click()
    summary = jo.locator("#error-summary")
    expect(summary).to_contain_text("Answer this question: it is required.")
    helpers.check_page(jo, "survey-errors")
    summary.get_by_role("link").first.click()
    jo.get_by_label("4", exact=True).check()
    jo.get_by_label("Repair homes", exact=True).check()
    jo.get_by_label("Anything else?").fill("Please fix the damp first.")
    jo.get_by_role("button", name="Send my answers").click()
    expect(helpers.flash(jo)).to_contain_text("your answers are sent")
    expect(jo.locator("#survey-status")).to_contain_text("You sent your answers")
    helpers.check_page(jo, "survey-answer")

    # The results: charts with a text alternative and the counts in a table; Jo's held text is not shown.
    jo.get_by_role("link", name="Surveys", exact=True).first.click()
    jo.locator(".survey-list").first.get_by_role("link", name="Results").first.click()
    expect(jo.locator("#respondents")).to_contain_text("41 people sent their answers.")
    first_chart = jo.locator("svg[role=img]").first
    expect(first_chart.locator("title")).not_to_be_empty()
    expect(jo.locator(".chart-table").first.locator("td.count")).to_have_count(3)
    expect(jo.get_by_text("Please fix the damp first.")).to_have_count(0)
    helpers.check_page(jo, "survey-results")


def test_an_admin_builds_a_survey_and_the_builder_is_accessible(browser_context, server):
    admin = browser_context()
    helpers.sign_in(admin, ADMIN, server.passwords[ADMIN])
    admin.goto("/en/admin/")
    admin.get_by_role("link", name="Build a new survey").click()
    admin.get_by_label("Title", exact=True).fill("Parks and play areas")
    admin.get_by_label("Opens", exact=True).fill("2027-03-01T09:00")
    admin.get_by_label("Closes", exact=True).fill("2027-04-01T09:00")
    admin.get_by_role("button", name="Create the survey").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Build the survey")
    admin.get_by_label("New section title", exact=True).fill("Your park")
    admin.get_by_role("button", name="Add the section").click()
    admin.get_by_text("Add a question to this section").click()
    admin.get_by_label("Question", exact=True).fill("Which park do you use most?")
    admin.get_by_label("Options, one a line (choices and rankings)").fill("Riverside\nHill Park")
    admin.get_by_role("button", name="Add the question").click()
    expect(admin.locator(".builder-section li").first).to_contain_text("Which park do you use most?")
    admin.get_by_text("Edit the question").click()
    helpers.check_page(admin, "survey-builder")
