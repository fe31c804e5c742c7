"""Live Q&A sessions: the room a council runs with its representatives.

- `sessions`: scheduling, the panel, who may do what, starting and ending.
- `questions`: ask, vote, withdraw; moderate, merge, pin; answer.
- `order`: the room's published order of questions (one place).
- `skips`: departures from that order, stated in the room.
- `chat`: the room's chat and the host's announcements.
- `events`: the numbered event log, snapshots and catch-up for (re)joining clients.
- `pulse`: vote and participant counts, coalesced a few times a second.
- `pages`: what the room, projector and transcript pages show.
- `export`, `join`: the transcript and calendar entry; the room's address and QR code.
- `follows`, `question_notices`: who is told when a session starts, and what askers are told.
- `content`: live questions and chat in the moderation registry.
"""
