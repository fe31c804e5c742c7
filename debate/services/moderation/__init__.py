"""Moderation as the app runs it: the stored queue, decisions and records around the pure engine.

The rules themselves are the engine's (`moderation/`, no database, no Flask); these
modules store what it decides and tell the people concerned.

- `queue`, `alerts`: what enters review and in which order; telling moderators it needs them.
- `decisions`, `flags`, `appeals`, `sanctions`: acting on content and on members.
- `standing`: a member's standing as the engine sees it.
- `notices`, `text`: what members are told, and the sentences that say it.
- `settings`, `screening`, `hooks`: the admin's policy; display names; plugging the engine in.
- `audit`, `transparency`: the audit log and the public transparency report.
"""
