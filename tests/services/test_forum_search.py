"""Full-text search on both backends: FTS5 on SQLite, tsvector/GIN on PostgreSQL. Ranked, highlighted, safe."""

from __future__ import annotations

import pytest

from debate.extensions import db
from debate.services.forums import posts as forums
from debate.services.forums import search

pytestmark = pytest.mark.usefixtures("forum_policy")


@pytest.fixture
def posts(make_user, topic):
    a, b = make_user(name="Ann"), make_user(name="Ben")
    flood = forums.start_thread(a, "housing", "Flooding on the depot site", "The depot floods every winter.").item
    rent = forums.start_thread(b, "housing", "Rent caps", "Would caps help renters?").item
    reply = forums.post_reply(b, rent.id, "Caps elsewhere did not stop flooding of the market with sales.").item
    other = forums.post_reply(a, flood.id, "Nothing to do with it.").item
    return flood, rent, reply, other


def test_search_finds_threads_and_replies_ranked_and_highlighted(app, posts):
    flood, rent, reply, _ = posts
    results = search.search(None, "flooding")
    kinds = [(h.kind, h.thread.id, h.reply.id if h.reply else None) for h in results.hits]
    assert ("thread", flood.id, None) in kinds and ("reply", rent.id, reply.id) in kinds
    # The thread matches in its title and body: it ranks above a reply that mentions it once.
    assert kinds[0] == ("thread", flood.id, None)
    top = results.hits[0]
    assert "<mark>Flooding</mark>" in str(top.title)
    assert "<mark>" in str(top.snippet)  # stemming: "floods" matches "flooding"
    reply_hit = next(h for h in results.hits if h.kind == "reply")
    assert "<mark>flooding</mark>" in str(reply_hit.snippet)


def test_search_needs_every_word(posts):
    assert [h.kind for h in search.search(None, "caps renters").hits] == ["thread"]
    assert search.search(None, "caps zebra").hits == []


def test_search_hides_what_is_not_public(posts):
    flood, rent, reply, _ = posts
    reply.state = "hidden"
    flood.state = "held"
    db.session.commit()
    assert search.search(None, "flooding").hits == []


def test_search_sees_edits_and_deletions(make_user, topic):
    author = make_user()
    thread = forums.start_thread(author, "housing", "Bus routes", "The number 12 bus").item
    reply = forums.post_reply(author, thread.id, "Cycling lanes please").item
    forums.edit_reply(author, reply.id, "Walking routes please")
    assert search.search(None, "cycling").hits == []
    assert [h.reply.id for h in search.search(None, "walking").hits] == [reply.id]
    forums.delete_reply(author, reply.id)
    assert search.search(None, "walking").hits == []


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(a b", "a OR", "-", "*", "col:flood", "' OR 1=1 --", "\x00flood", "()", "^flood", "a AND"],
)
def test_search_syntax_from_users_never_errors(posts, query):
    results = search.search(None, query)
    assert isinstance(results.hits, list)


def test_search_escapes_text_and_marks_only_matches(make_user, topic):
    author = make_user()
    forums.start_thread(author, "housing", "Script tags", "<script>alert(1)</script> bridge <b>bold</b>")
    [hit] = search.search(None, "bridge").hits
    html = str(hit.snippet)
    # SQLite shows the typed tags as text; PostgreSQL's headline parser drops tags. Neither makes HTML of them.
    assert "<script" not in html and "<b>" not in html
    assert "<mark>bridge</mark>" in html


def test_marked_is_well_formed_whatever_the_markers():
    assert str(search._marked("\x03a\x02b\x02c")) == "a<mark>bc</mark>"
    assert str(search._marked("<i>\x02x\x03")) == "&lt;i&gt;<mark>x</mark>"


def test_search_refuses_a_huge_query_and_pages(make_user, topic):
    from debate.errors import ValidationError

    with pytest.raises(ValidationError):
        search.search(None, "x" * 201)
    author = make_user()
    thread = forums.start_thread(author, "housing", "Many matches", "parking").item
    for n in range(25):
        forums.post_reply(author, thread.id, f"parking reply number {n}")
    first, second = search.search(None, "parking", 1), search.search(None, "parking", 2)
    assert len(first.hits) == 20 and first.has_next
    assert len(second.hits) == 6 and not second.has_next
    seen = {(h.kind, h.reply.id if h.reply else h.thread.id) for h in first.hits + second.hits}
    assert len(seen) == 26


def test_the_sql_lists_the_public_states():
    from debate.models.moderated import ModeratedMixin

    assert search.PUBLIC_SQL == "(" + ", ".join(f"'{s}'" for s in ModeratedMixin.PUBLIC_STATES) + ")"
    assert search._SQLITE.count(search.PUBLIC_SQL) == 3 and search._POSTGRES.count(search.PUBLIC_SQL) == 3


@pytest.fixture
def bridge_posts(make_user, topic):
    """An old thread that is the best match, then five newer replies that match, one of them strongly.

    Fourteen posts without the word keep it rare enough for bm25 (SQLite) to score it above zero.
    """
    author = make_user()
    best = forums.start_thread(author, "housing", "Bridge repairs", "The bridge, the bridge, the old bridge.").item
    other = forums.start_thread(author, "housing", "Bus routes", "Keep the 12 running.").item
    for n in range(14):
        forums.post_reply(author, other.id, f"Unrelated reply number {n}")
    replies = [forums.post_reply(author, best.id, f"Reply {n} mentions the bridge once.").item for n in range(4)]
    strong = forums.post_reply(author, best.id, "Bridge bridge bridge: the bridge again.").item
    return best, replies + [strong]


def test_search_ranks_every_match_when_few_match(bridge_posts):
    best, _ = bridge_posts
    results = search.search(None, "bridge")
    assert results.matches == 6 and not results.more
    assert (results.hits[0].kind, results.hits[0].thread.id) == ("thread", best.id)


def test_search_ranks_only_the_most_recent_matches_when_many_match(bridge_posts, monkeypatch):
    best, replies = bridge_posts
    monkeypatch.setattr(search, "RANKED_MAX", 4)
    results = search.search(None, "bridge")
    assert results.matches == 4 and results.more
    # The four newest matches, the old best thread not among them; still best first within them.
    assert sorted(h.reply.id for h in results.hits) == sorted(r.id for r in replies[-4:])
    assert results.hits[0].reply.id == replies[-1].id
    scores = [h.score for h in results.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    first, second = search.search(None, "bridge", 1), search.search(None, "bridge", 2)
    assert second.hits == [] and not first.has_next  # pages end with the ranked matches


def test_search_counts_hidden_posts_out_of_the_most_recent(bridge_posts, monkeypatch):
    _, replies = bridge_posts
    monkeypatch.setattr(search, "RANKED_MAX", 5)
    assert search.search(None, "bridge").more
    forums.delete_reply(replies[0].author, replies[0].id)
    results = search.search(None, "bridge")
    assert results.matches == 5 and not results.more
    assert replies[0].id not in {h.reply.id for h in results.hits if h.reply}


MARKDOWN_REPLY = """## Why **flooding** matters

The [depot flooding map](https://example.org/flooding-map "Depot map") shows it, and `Mill Lane` too:

- first, the *drains*
- second, the ~~old~~ new flooding defences

> Quoted: flooding again
"""


def test_snippets_are_plain_text_with_the_matches_marked(make_user, topic):
    """A snippet shows what the post says, not its Markdown: no **, links' addresses, bullets or hashes."""
    author = make_user()
    thread = forums.start_thread(author, "housing", "Depot", "About the depot.").item
    forums.post_reply(author, thread.id, MARKDOWN_REPLY)
    [hit] = [h for h in search.search(None, "flooding").hits if h.kind == "reply"]
    html = str(hit.snippet)
    for syntax in ("**", "##", "](", "https://", "`", "~~", "- first", "> Quoted", "*drains*"):
        assert syntax not in html, syntax
    assert html.startswith("Why <mark>flooding</mark> matters The depot <mark>flooding</mark> map shows it")
    assert "Mill Lane" in html and "the drains" in html and "Quoted: <mark>flooding</mark> again" in html


def test_a_match_only_in_a_link_address_leaves_no_markdown(make_user, topic):
    author = make_user()
    forums.start_thread(author, "housing", "Depot", "See [the map](https://example.org/culvert) for **details**.")
    hits = search.search(None, "culvert").hits
    # FTS5 finds the word in the address; PostgreSQL reads the whole address as one token and finds nothing.
    assert len(hits) == (1 if db.engine.dialect.name == "sqlite" else 0)
    assert [str(h.snippet) for h in hits] == ["See the map for details."] * len(hits)


def test_a_long_post_shows_the_words_around_its_first_match(make_user, topic):
    author = make_user()
    body = "**Opening.** " + "Words before the match go here. " * 30 + "Then the *viaduct* comes. " + "After. " * 60
    forums.start_thread(author, "housing", "Long post", body)
    [hit] = search.search(None, "viaduct").hits
    html = str(hit.snippet)
    assert html.startswith("\u2026") and html.endswith("\u2026")
    assert "Then the <mark>viaduct</mark> comes." in html and "*" not in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= search.SNIPPET_CHARS + 2


def test_a_match_deep_in_a_very_long_post_reads_only_the_markdown_around_it():
    line = "Some **bold** words about [housing](https://example.org/a) and rents. "
    body = line * 40 + "\n\nThe *viaduct* again.\n\n" + line * 40
    html = str(search.snippet(body, body.replace("viaduct", "\x02viaduct\x03")))
    assert html.startswith("\u2026") and html.endswith("\u2026")
    assert "The <mark>viaduct</mark> again." in html
    assert not any(syntax in html for syntax in ("**", "](", "https://", "[", "*"))
