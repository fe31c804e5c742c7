"""Forums: topics, threads and replies, and what readers see of them live.

- `posts`: starting threads, replying, editing, deleting, locking (through the moderation gate).
- `topics`: the issues debate is organised under.
- `pages`, `viewer`: reading a forum page, and what one reader may do on it.
- `votes`, `follows`: helpful votes and official responses; following a thread.
- `live`: the HTML fragments a thread's open pages receive.
- `search`: full-text search across threads and replies.
- `content`, `data`: the forums' entries in the moderation and privacy registries.
"""
