"""The search page and API say how many posts matched, and when only the most recent were ranked."""

from __future__ import annotations

import pytest

from debate.services.forums import posts as forums
from debate.services.forums import search

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def ferries(make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Ferry timetable", "The ferry is late.").item
    for n in range(3):
        forums.post_reply(author, thread.id, f"The ferry was late again, day {n}.")
    other = forums.start_thread(author, "housing", "Bus routes", "Keep the 12 running.").item
    for n in range(6):
        forums.post_reply(author, other.id, f"Unrelated reply number {n}")
    return thread


def test_search_page_counts_the_matches(client, ferries):
    page = client.get("/search?q=ferry").get_data(as_text=True)
    assert "4 posts match, best first." in page and "most recent" not in page


def test_search_page_says_when_only_the_most_recent_are_ranked(client, ferries, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MAX", 2)
    page = client.get("/search?q=ferry").get_data(as_text=True)
    assert "More than 2 posts match. Showing the best of the 2 most recent: add words to narrow the search." in page
    assert page.count('class="search-hit"') == 2
    body = client.get("/api/v1/search?q=ferry").get_json()["data"]
    assert body["matches"] == 2 and body["more_matches"] is True and len(body["results"]) == 2
