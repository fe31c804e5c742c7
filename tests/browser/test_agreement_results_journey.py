"""Where we agree in a real browser, on the shared live server: a resident who has voted sees where they sit; one
with too few votes votes through the voting page (with JavaScript) and then sees theirs; the results, the
report and the create form are axe-clean at desktop and phone width (screenshots in test-artifacts).

The round is the page tests' seeded 70/30 round (tests/agreement/pages_fixtures.py), written into the shared
server's database by a seed script through the app's own services, on the demo's first topic.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import helpers
from tests.browser.conftest import ADMIN
from tests.support.live_server import run_seed

pytestmark = pytest.mark.browser
PASSWORD = "meadow lantern 77 quay"

SEED = """
import json, sys
from sqlalchemy import select
from debate import create_app
from debate.extensions import db
from debate.models import Role, Topic
from tests.agreement.pages_fixtures import seeded_round
from tests.support.people import person
app = create_app()
with app.app_context():
    topic = db.session.scalars(select(Topic).order_by(Topic.id)).first()
    host = person("agree-host", Role.MODERATOR, "Agree Host", sys.argv[1])
    made = seeded_round(topic.id, host, sys.argv[1], "agreeweb")
    print(json.dumps({"round": made.round.id, "topic": topic.slug, "topic_id": topic.id,
                      "placed": made.bloc_b[0].email, "few": made.low[0].email}))
"""


@pytest.fixture(scope="module")
def seeded(live_server) -> dict:
    return run_seed(live_server, SEED, PASSWORD)


def test_a_resident_who_has_voted_sees_where_they_sit(page: Page, seeded):
    helpers.sign_in(page, seeded["placed"], PASSWORD)
    page.goto(f"/en/topics/{seeded['topic']}")
    box = page.get_by_role("region", name="Where do we agree?")
    mine = box.get_by_role("listitem").filter(has_text="What should the town do next?").last
    mine.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Where we agree")
    expect(page.locator("#your-group")).to_contain_text(re.compile(r"You are in Group [AB], with \d+ others\."))
    the_map = page.get_by_role("img", name="Where you sit among the groups")
    expect(the_map).to_be_visible()
    expect(page.get_by_role("heading", name="Where we agree", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Most agreed", exact=True)).to_be_visible()
    helpers.check_page(page, "agreement-results")
    page.goto(f"/ar/rounds/{seeded['round']}/results")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("svg.group-map-svg")).to_be_visible()
    helpers.check_page(page, "agreement-results-arabic")


def test_a_resident_with_few_votes_votes_then_sees_where_they_sit(page: Page, seeded):
    helpers.sign_in(page, seeded["few"], PASSWORD)
    page.goto(f"/en/rounds/{seeded['round']}/results")
    expect(page.locator("#vote-more")).to_have_text(re.compile(r"Vote on 3 more statements to see where you sit\."))
    page.locator("#vote-more").get_by_role("link", name="Vote now").click()
    for _ in range(3):
        statement = page.locator("#agree-card-text").inner_text()
        page.get_by_role("button", name="Agree", exact=True).click()
        expect(page.locator("#agree-card-text")).not_to_have_text(statement)
    for _attempt in range(20):  # the server recomputes in the background (RECOMPUTE_MS): look again until it has
        page.goto(f"/en/rounds/{seeded['round']}/results")
        if page.locator("#your-group").count():
            break
        page.wait_for_timeout(500)
    expect(page.locator("#your-group")).to_contain_text("You are in Group")


def test_the_report_and_its_exports(page: Page, seeded):
    page.goto(f"/en/rounds/{seeded['round']}/report")
    expect(page.get_by_role("heading", name="Consensus statements")).to_be_visible()
    expect(page.locator("#consensus")).to_contain_text("Keep the library open on Saturdays.")
    helpers.check_page(page, "agreement-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == f"where-we-agree-{seeded['round']}.csv"


def test_a_moderator_creates_a_round_from_the_topic_page(page: Page, seeded):
    helpers.sign_in(page, ADMIN.email, ADMIN.password)
    page.goto(f"/en/topics/{seeded['topic']}")
    page.get_by_role("region", name="Where do we agree?").get_by_role("link", name="Open a round").click()
    page.get_by_label("Opening statements, one a line").fill("Fine.\n" + "x" * 141)
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator("#error-summary")).to_contain_text("Line 2:")
    helpers.check_page(page, "agreement-create-form-errors")
    page.get_by_label("The question residents are asked").fill("Should the market move to the square?")
    page.get_by_label("Opening statements, one a line").fill("Yes, move it.\nNo, keep it where it is.")
    page.get_by_role("button", name="Create the round").click()
    expect(helpers.flash(page)).to_contain_text("Round created as a draft")
    page.get_by_role("button", name="Open the round for votes").click()
    expect(helpers.flash(page)).to_contain_text("The round is open for votes.")
    helpers.check_page(page, "agreement-manage")
