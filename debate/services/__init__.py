"""Services: the domain rules, one place for each, and the single commit.

Views (`debate/web`) and socket handlers (`debate/realtime`) call services; services
call models and the pure moderation engine (`moderation/`). Nothing here imports
web, realtime or Flask's request state (tests/test_layers.py holds this).

Features, one package each:

- `accounts/`: registration, sign-in, logins, roles, the account's own data.
- `forums/`: topics, threads and replies, votes, follows, search, live forum events.
- `live/`: live Q&A sessions, their questions, chat, order, event log and exports.
- `moderation/`: the queue, decisions, flags, sanctions, appeals, notices, settings.
- `accountability/`: questions put to representatives, answers, records, outcomes.

Shared pieces every feature uses, beside them:

- `publishing`: the moderation gate all user content passes.
- `content`: the registry of moderated content types.
- `after_commit`: events queued in a transaction, sent once it commits.
- `notifications`: telling a member something, in the app and by email.
- `markdown`, `text`: user text to HTML; validation of what people write.
- `council_time`: the council's clock and how times are written.
- `privacy`: "download my data" and "delete my account" registry.
- `mail`, `tokens`: outgoing email and signed links in it.
- `state_moves`, `rows`: a state change two people may race for, as one conditional UPDATE; row counts.
- `submissions`: a client's one-time key, so the same form sent twice makes one post.
- `vote_rows`: one vote per person per thing, the same idempotent rule for every kind of vote.
- `submissions`: a client's one-time key, so a form or message sent twice makes one post.
- `vote_rows`: one vote per person per thing, idempotent (helpful votes, question votes).
"""
