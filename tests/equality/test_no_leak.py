"""THE LEAK TEST: no page, API answer or export puts one person's equality answers next to their name or posts.

On the demo site (tests/i18n/crawl.py), Jo, a resident with threads, replies and live questions, answers
rarely given things: "Gypsy or Irish Traveller", postcode district ZZ99, aged 75 or over. Every GET route
(pages, the JSON API, exports, the staff and moderators' pages, the reports) is fetched as each role twice,
back to back: once with those answers, once with other answers just as rare (Roma, ZY98). Anything on any page
that depends on which she gave, beside her name, her posts or anywhere else, shows up as a difference. Only her
own answers page and her own data download may differ, and only for her. The district she gave must never
appear anywhere else at all.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from debate.extensions import db
from debate.models import LiveSession, Thread, User
from debate.models.equality import EqualityAnswer
from tests.i18n.crawl import ROLES, Site

DISTINCT = {"ethnic_group": "gypsy_traveller", "postcode_district": "ZZ99", "age": "75+"}
OTHER = {"ethnic_group": "roma", "postcode_district": "ZY98", "age": "75+"}
OWN_PAGES = {"equality.about_you", "account.download_data"}  # the respondent's own, reached only by her


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(str(tmp_path_factory.mktemp("leak")))


def answer_as(site: Site, answers: dict[str, str]) -> None:
    with site.app.app_context():
        jo = db.session.scalar(select(User).where(User.email == ROLES["resident"]))
        assert jo is not None
        db.session.execute(delete(EqualityAnswer).where(EqualityAnswer.user_id == jo.id))
        for question, answer in answers.items():
            db.session.add(EqualityAnswer(user_id=jo.id, question=question, answer=answer))
        db.session.commit()
        db.session.remove()


def normalised(body: str) -> str:
    """The page without what changes on every request: tokens, nonces, form keys, and the digits of times."""
    body = re.sub(r'(csrf[-_]token"? (?:value|content)=")[^"]*', r"\1", body)
    body = re.sub(r'nonce="[^"]*"', "", body)
    body = re.sub(r'(name="submission_key" value=")[^"]*', r"\1", body)  # a fresh key per form, against resubmits
    return re.sub(r'"exported_at": "[^"]*"', "", body)


def fetch(client, path: str) -> str:
    """The page as it is now, without a message flashed by the route fetched before it."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)
    return client.get(path).get_data(as_text=True)


def fetch_both(site: Site, client, path: str) -> tuple[str, str]:
    answer_as(site, DISTINCT)
    first = fetch(client, path)
    answer_as(site, OTHER)
    second = fetch(client, path)
    return first, second


def routes(site: Site) -> dict[str, str]:
    """Every GET route once (the crawl's), and every session's and thread's report in each format besides."""
    urls = {e: p if e.startswith(("api.", "forums_api.")) else f"/en{p}" for e, p in site.paths.items()}
    with site.app.app_context():
        sessions = db.session.scalars(select(LiveSession.id)).all()
        threads = db.session.scalars(select(Thread.id)).all()
        db.session.remove()
    reports = [f"/en/sessions/{i}/who-is-missing" for i in sessions] + [
        f"/en/threads/{i}/who-is-missing" for i in threads
    ]
    for path in [*reports, "/en/admin/who-is-missing"]:
        for suffix in ("", "?format=csv", "?format=json"):
            urls[path + suffix] = path + suffix
    return urls


@pytest.mark.parametrize("role", list(ROLES))
def test_no_route_depends_on_one_persons_answers(site, role):
    client = site.client(role)
    differing, district_shown = [], []
    for endpoint, url in sorted(routes(site).items()):
        if role == "resident" and endpoint in OWN_PAGES:
            continue
        first, second = fetch_both(site, client, url)
        if normalised(first) != normalised(second):
            # Once more: a clock's minute turning between the two fetches changes a page too; a leak does every time.
            first, second = fetch_both(site, client, url)
            if normalised(first) != normalised(second):
                differing.append(endpoint)
        if "ZZ99" in first:
            district_shown.append(endpoint)
    assert len(site.paths) > 50
    assert not differing, f"as {role}, these routes change with one person's equality answers: {differing}"
    assert not district_shown, f"as {role}, the postcode district one person gave appears on: {district_shown}"


def test_the_check_sees_a_page_that_shows_an_answer(site):
    """The owner's own page does show her answer, and the comparison catches it: the check can fail."""
    client = site.client("resident")
    first, second = fetch_both(site, client, "/en/account/about-you")
    assert normalised(first) != normalised(second)
    assert "ZZ99" in first


def test_the_reports_show_the_crowd_but_not_her(site):
    """The demo's reports have figures (the check compares real reports, not empty ones)."""
    client = site.client("admin")
    answer_as(site, DISTINCT)
    html = client.get("/en/admin/who-is-missing").get_data(as_text=True)
    assert "fewer than 10" in html and "Gypsy or Irish Traveller" in html
    assert re.search(
        r"<th scope=\"row\">White</th>|Welsh, English, Scottish, Northern Irish or British</th>\s*<td[^>]*>\d\d", html
    )
