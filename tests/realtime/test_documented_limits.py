"""docs/realtime.md states each socket event's text lengths: they are the ones the guard (and the service) apply.

Rates are checked with the JSON API's docs (tests/web/test_api_docs.py); here, each payload's `name: str (≤ N)`.
"""

from __future__ import annotations

import re
from pathlib import Path

from debate.extensions import socketio

DOC = (Path(__file__).resolve().parents[2] / "docs" / "realtime.md").read_text(encoding="utf-8")
SENT = DOC.split("## Events a client sends", 1)[1].split("\n## ", 1)[0]


def handlers() -> dict[str, object]:
    return {event: handler for event, handler, _namespace in socketio.handlers if hasattr(handler, "schema")}


def most(field) -> int:
    return field.most_chars() if field.chars is not None else field.max_len


def test_each_documented_payload_length_is_the_guards(app):
    events = handlers()
    rows = re.findall(r"^\| `(\w+:\w+)` +\|(.+)$", SENT, re.M)  # the tables of events: `live:ask`, ...
    assert len(rows) >= 15, "the event tables were not found"
    checked = 0
    for event, row in rows:
        schema = events[event].schema
        stated = {name: int(n.replace(",", "")) for name, n in re.findall(r"(\w+)\??: str \(≤ ([\d,]+)\)", row)}
        assert stated == {name: most(schema[name]) for name in stated}, event
        with_chars = {name for name, field in schema.items() if field.chars is not None}
        assert with_chars <= set(stated), f"{event}: text fields whose length is not documented"
        checked += len(stated)
    assert checked >= 12
