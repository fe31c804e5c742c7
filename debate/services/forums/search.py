"""Full-text search across threads and replies: ranked, with the matching words highlighted.

SQLite (the embedded default) uses an FTS5 table kept in step by triggers;
PostgreSQL uses generated tsvector columns with GIN indexes, `ts_rank` and
`ts_headline`. Both are built by migration 0002_forums. Only public posts in
public threads are found. The database marks matches with two control
characters that stored text can never contain (the moderation engine refuses
control characters), and `_marked` turns them into <mark> around escaped text.
A snippet is the post as plain text (`snippet`: the Markdown syntax removed, as
excerpts are), with the words the database marked marked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select, text
from sqlalchemy.orm import joinedload

from debate.errors import ValidationError
from debate.extensions import db
from debate.models.accounts import User
from debate.models.forums import Reply, Thread
from debate.services.markdown import clip, plain_text
from debate.services.text import CODE_POINTS_PER_CHARACTER, length

START, STOP = "\x02", "\x03"
QUERY_MAX, TERMS_MAX, PER_PAGE = 200, 12, 20
SNIPPET_CHARS = 240  # about two lines of a result: the words around the first match
# How much of the stored Markdown around the first match becomes plain text: plenty for a snippet, and a 5,000
# character post full of links costs a page of 20 results ~10 ms instead of ~150 ms.
RAW_BEFORE, RAW_AFTER = 500, 1000
_MATCHED = re.compile(f"{START}([^{START}{STOP}]+){STOP}")
# The public states (ModeratedMixin.PUBLIC_STATES) are written into the SQL below as literals;
# tests/services/test_forum_search.py checks they agree.
PUBLIC_SQL = "('published', 'approved', 'edited')"


@dataclass(frozen=True)
class Hit:
    kind: str  # "thread" or "reply"
    thread: Thread
    reply: Reply | None
    title: Markup  # the thread's title, with matches marked when the thread itself matched
    snippet: Markup
    score: float


@dataclass(frozen=True)
class Results:
    query: str
    hits: list[Hit]
    page: int
    has_next: bool
    matches: int = 0  # found and ranked: all of them, or the RANKED_MAX most recent when `more`
    more: bool = False  # more than RANKED_MAX matched; the best of the most recent are shown


def clean_query(value: object) -> str:
    if not isinstance(value, str):
        return ""
    query = " ".join(value.replace("\x00", " ").split())
    if len(query) > QUERY_MAX * CODE_POINTS_PER_CHARACTER or length(query) > QUERY_MAX:
        raise ValidationError(_("Search for at most %(num)d characters.", num=QUERY_MAX), "q")
    return query


def _marked(value: str | None) -> Markup:
    """Escaped text with <mark> where the database marked a match; well-formed whatever the input."""
    out, open_mark = [], False
    for piece in re.split(f"([{START}{STOP}])", value or ""):
        if piece == START and not open_mark:
            out.append(Markup("<mark>"))
            open_mark = True
        elif piece == STOP and open_mark:
            out.append(Markup("</mark>"))
            open_mark = False
        elif piece not in (START, STOP):
            out.append(escape(piece))
    if open_mark:
        out.append(Markup("</mark>"))
    return Markup("").join(out)


def snippet(body: str, marked: str | None) -> Markup:
    """A hit's text for the results: plain text (Markdown removed, safely: escaped, see `_marked`), about
    SNIPPET_CHARS characters from shortly before the first match, every match in <mark>.

    The database marks matches in the stored Markdown (`marked`: its stemming knows that "floods" matches
    "flooding"). The words it marked are found again in the plain text, which is made from the unmarked body:
    marks inside the Markdown would break it (a link whose address contains a match stops being a link).
    """
    body = body or ""
    words = sorted({w.strip() for w in _MATCHED.findall(marked or "") if w.strip()}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None
    found = pattern.search(body) if pattern else None
    start, end = _raw_window(body, found.start() if found else 0)
    plain = plain_text(body[start:end])
    if pattern:
        plain = pattern.sub(lambda m: f"{START}{m.group(1)}{STOP}", plain)
    return _marked(_around_first_match(plain, SNIPPET_CHARS, start > 0, end < len(body)))


def _raw_window(body: str, at: int) -> tuple[int, int]:
    """The part of the Markdown around position `at` worth reading: whole lines where they are not too long,
    else cut at a space (well away from the snippet, so a link cut in half there is not what people see)."""
    start, end = 0, len(body)
    if at > RAW_BEFORE:
        line = body.rfind("\n", 0, at - RAW_BEFORE) + 1
        start = line if line and line > at - 2 * RAW_BEFORE else body.find(" ", at - RAW_BEFORE, at) + 1
    if len(body) - at > RAW_AFTER:
        line = body.find("\n", at + RAW_AFTER)
        end = line if -1 < line < at + 2 * RAW_AFTER else (body.rfind(" ", at, at + RAW_AFTER) + 1 or end)
    return start, end


def _around_first_match(plain: str, most: int, cut_before: bool = False, cut_after: bool = False) -> str:
    """About `most` characters of `plain`, starting a little before its first match, cut between words; an
    ellipsis where text is left out (`cut_before`, `cut_after`: `plain` is itself part of a longer text)."""
    first = plain.find(START)
    start = max(0, min(first - most // 4, len(plain) - most))
    if start > 0:
        space = plain.find(" ", start, first)
        start = space + 1 if space != -1 else first
    shown = clip(plain[start:], most)
    ellipsis = "\u2026"
    if cut_after and not shown.endswith(ellipsis):
        shown += ellipsis
    return (ellipsis if start or cut_before else "") + shown


def _fts5_query(query: str) -> str:
    """Each word quoted, so nothing a person types is FTS5 syntax; all words must match."""
    words = re.findall(r"\w+", query)[:TERMS_MAX]
    return " ".join(f'"{w}"' for w in words)


# Ranking every match of common words (60,000 of 110,000 posts) cost ~150 ms a page, so, as large forums do,
# the best are chosen among the RANKED_MAX most recent matches: found newest first (FTS5 and the primary key both
# walk ids backwards and stop), scored, then ordered best first. One more is fetched to know that more exist.
RANKED_MAX = 1000

_SQLITE = """
WITH found AS (
  SELECT * FROM (
    SELECT fs.rowid AS rid, bm25(forum_search, 4.0, 1.0) AS score, r.created_at AS at
    FROM forum_search fs
    JOIN replies r ON r.id = fs.rowid / 2
    JOIN threads t ON t.id = r.thread_id
    WHERE forum_search MATCH :q AND fs.rowid % 2 = 1
      AND r.state IN ('published', 'approved', 'edited') AND t.state IN ('published', 'approved', 'edited')
    ORDER BY fs.rowid DESC LIMIT :cap + 1)
  UNION ALL
  SELECT * FROM (
    SELECT fs.rowid AS rid, bm25(forum_search, 4.0, 1.0) AS score, t.created_at AS at
    FROM forum_search fs
    JOIN threads t ON t.id = fs.rowid / 2
    WHERE forum_search MATCH :q AND fs.rowid % 2 = 0 AND fs.rowid <= (SELECT 2 * max(id) FROM threads)
      AND t.state IN ('published', 'approved', 'edited')
    ORDER BY fs.rowid DESC LIMIT :cap + 1)
),
recent AS MATERIALIZED (SELECT rid, score, at FROM found ORDER BY at DESC, rid DESC LIMIT :cap + 1),
ranked AS MATERIALIZED (
  SELECT rid, score FROM (SELECT * FROM recent ORDER BY at DESC, rid DESC LIMIT :cap)
  ORDER BY score, rid DESC LIMIT :limit OFFSET :offset
)
SELECT forum_search.rowid AS rid,
       (SELECT score FROM ranked WHERE ranked.rid = forum_search.rowid) AS score,
       highlight(forum_search, 0, char(2), char(3)) AS title_hl,
       highlight(forum_search, 1, char(2), char(3)) AS body_hl,
       (SELECT count(*) FROM recent) AS matches
FROM forum_search
WHERE forum_search MATCH :q AND forum_search.rowid IN (SELECT rid FROM ranked)
ORDER BY score, rid DESC
"""
# bm25() is only scored in the scans above (in the last one, a rowid lookup per hit would recount each word's
# documents every time); highlight() runs only for the page's hits. The body is highlighted whole, so every
# word form that matched is known (`snippet` marks them in the plain text).

_POSTGRES = """
WITH q AS (SELECT websearch_to_tsquery('english', :q) AS query),
found AS (
  (SELECT 'reply' AS kind, r.id AS item_id, r.thread_id, r.created_at AS at,
          ts_rank(r.search_vector, websearch_to_tsquery('english', :q)) AS score
   FROM replies r JOIN LATERAL (SELECT t.state FROM threads t WHERE t.id = r.thread_id OFFSET 0) t ON true
   WHERE r.search_vector @@ websearch_to_tsquery('english', :q)
     AND r.state IN ('published', 'approved', 'edited') AND t.state IN ('published', 'approved', 'edited')
   ORDER BY r.id DESC LIMIT :cap + 1)
  UNION ALL
  (SELECT 'thread', t.id, t.id, t.created_at, ts_rank(t.search_vector, websearch_to_tsquery('english', :q))
   FROM threads t
   WHERE t.search_vector @@ websearch_to_tsquery('english', :q) AND t.state IN ('published', 'approved', 'edited')
   ORDER BY t.id DESC LIMIT :cap + 1)
),
recent AS (SELECT * FROM found ORDER BY at DESC, kind DESC, item_id DESC LIMIT :cap + 1),
hits AS (
  SELECT * FROM (SELECT * FROM recent ORDER BY at DESC, kind DESC, item_id DESC LIMIT :cap) pool
  ORDER BY score DESC, kind DESC, item_id DESC
  LIMIT :limit OFFSET :offset
)
SELECT h.kind, h.item_id, h.thread_id, h.score, (SELECT count(*) FROM recent) AS matches,
       CASE WHEN h.kind = 'thread'
            THEN ts_headline('english', t.title, q.query,
                             'HighlightAll=true, StartSel=\x02, StopSel=\x03') END AS title_hl,
       ts_headline('english', CASE WHEN h.kind = 'thread' THEN t.body ELSE r.body END, q.query,
                   'HighlightAll=true, StartSel=\x02, StopSel=\x03') AS body_hl
FROM hits h
JOIN threads t ON t.id = h.thread_id
LEFT JOIN replies r ON h.kind = 'reply' AND r.id = h.item_id
CROSS JOIN q
ORDER BY h.score DESC, h.kind DESC, h.item_id DESC
"""
# websearch_to_tsquery is written out in each scan (not only taken from q) so the planner sees the words and
# their frequency: a backward primary-key walk for common words, the GIN index for rare ones. The thread's state
# is looked up per reply (LATERAL ... OFFSET 0): otherwise, for a rare word, the planner hashed all threads.

Raw = tuple[str, int | None, int | None, float, str | None, str]


def _raw_hits(query: str, limit: int, offset: int) -> tuple[list[Raw], int]:
    """(kind, thread id, reply id, score, title highlight, body highlight), best first; and the matches found
    (at most RANKED_MAX + 1: one more than that means more exist)."""
    params = {"q": query, "limit": limit, "offset": offset, "cap": RANKED_MAX}
    if db.engine.dialect.name == "postgresql":
        # psycopg prepares a statement run 5 times on a connection, and PostgreSQL may then plan it once for any
        # words: the walk that suits common words read all 100,000 replies for a rare one (134 ms, not 4 ms).
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        rows = db.session.execute(text(_POSTGRES), params).all()
        hits = [
            (r.kind, r.thread_id, r.item_id if r.kind == "reply" else None, float(r.score), r.title_hl, r.body_hl)
            for r in rows
        ]
        return hits, rows[0].matches if rows else 0
    match = _fts5_query(query)
    if not match:
        return [], 0
    rows = db.session.execute(text(_SQLITE), params | {"q": match}).all()
    out = []
    for r in rows:
        is_reply = r.rid % 2 == 1
        out.append(
            (
                "reply" if is_reply else "thread",
                None if is_reply else r.rid // 2,
                r.rid // 2 if is_reply else None,
                -float(r.score),
                r.title_hl,
                r.body_hl,
            )
        )
    return out, rows[0].matches if rows else 0


def search(user: User | None, query: object, page: int = 1) -> Results:
    """One page of matches, best first: threads and replies together (among the RANKED_MAX most recent)."""
    clean = clean_query(query)
    page = max(1, page)
    if not clean:
        return Results("", [], 1, False)
    raw, found = _raw_hits(clean, PER_PAGE + 1, (page - 1) * PER_PAGE)
    has_next, raw = len(raw) > PER_PAGE, raw[:PER_PAGE]
    replies = {
        r.id: r
        for r in db.session.scalars(
            select(Reply)
            .where(Reply.id.in_([h[2] for h in raw if h[2] is not None]))
            .options(joinedload(Reply.author).joinedload(User.representative))
        ).unique()
    }
    thread_ids = {h[1] for h in raw if h[1] is not None} | {r.thread_id for r in replies.values()}
    threads = {
        t.id: t
        for t in db.session.scalars(
            select(Thread)
            .where(Thread.id.in_(thread_ids))
            .options(joinedload(Thread.topic), joinedload(Thread.author).joinedload(User.representative))
        ).unique()
    }
    hits = []
    for kind, thread_id, reply_id, score, title_hl, body_hl in raw:
        reply = replies.get(reply_id) if reply_id else None
        key = reply.thread_id if reply else thread_id
        thread = threads.get(key) if key is not None else None
        if thread is None or (reply_id and reply is None):
            continue
        title = _marked(title_hl) if kind == "thread" and title_hl else escape(thread.title)
        hits.append(Hit(kind, thread, reply, title, snippet((reply or thread).body, body_hl), score))
    return Results(clean, hits, page, has_next, min(found, RANKED_MAX), found > RANKED_MAX)
