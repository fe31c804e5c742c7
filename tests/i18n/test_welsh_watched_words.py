"""The council's Welsh list of watched words, through the forum: a Welsh-only term holds a post marked Welsh
and one whose language is not marked, never one marked English; Welsh accents are folded for matching only."""

from __future__ import annotations

import dataclasses

import pytest

import moderation
from debate.services import publishing
from debate.services.forums import posts as forums


@pytest.fixture
def welsh_list(forum_policy):
    """The relaxed forum policy plus a Welsh-only held term, "gwr" (as if typed without its circumflex)."""
    term = moderation.WatchedTerm("gwr", moderation.TermAction.HOLD, lang="cy")
    policy = dataclasses.replace(forum_policy, watchlist=moderation.WatchList(terms=(term,)))
    previous = publishing._policy_provider
    publishing.set_policy_provider(lambda: policy)
    yield term
    publishing.set_policy_provider(previous)


@pytest.mark.parametrize(
    ("lang", "held"),
    [("cy", True), (None, True), ("en", False)],
    ids=["marked Welsh", "not marked", "marked English"],
)
def test_a_welsh_only_term_follows_the_posts_marked_language(app, make_user, topic, welsh_list, lang, held):
    author = make_user()
    body = "Mae'r gŵr drws nesaf yn poeni am y rhent."
    posted = forums.start_thread(author, topic.slug, "Rhent yn codi eto", body, lang=lang)
    thread = posted.item
    assert (thread.state == moderation.ReviewState.HELD.value) is held
    assert thread.body == body, "the circumflex is folded for matching only, never in what is stored"
    assert thread.lang == lang
