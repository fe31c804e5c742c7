"""The audit log shows times as every page does, never raw ISO 8601 (issue 12, item 23).

Entries keep their before/after as JSON, with times in ISO 8601 ("ends_at": "2026-12-04T19:00:00"); the page
showed those strings as they were. Now each is shown in the one human format, in a <time datetime>.
"""

from __future__ import annotations

import re

from debate.extensions import db
from debate.models import Role
from debate.models.moderation import AuditEntry
from debate.services import council_time
from debate.services.moderation import audit as moderation_audit
from debate.services.moderation import sanctions as moderation_sanctions

TIME = re.compile(r'<time datetime="([^"]+)">([^<]*)</time>')


def test_the_audit_log_shows_no_raw_timestamps(client, login, make_user):
    """A sanction's end was shown as "ends_at: 2026-12-04T19:00:00"; now as every page shows a time."""
    admin, member = make_user(Role.ADMIN), make_user(name="Sam Spammer")
    login(admin)
    sanction = moderation_sanctions.issue(admin, member.id, "suspension", "spam", "", "7d")
    entry = db.session.query(AuditEntry).filter_by(action="sanction").one()
    assert entry.after["ends_at"].startswith(sanction.ends_at.isoformat()[:16])  # kept as ISO 8601 in the log
    page = client.get("/moderation/audit").get_data(as_text=True)
    change = re.search(r'<td data-label="Change" class="audit-change">(.*?)</td>', page, re.S).group(1)
    assert re.search(r'ends_at: <time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">[^<]+</time>', change)
    without_tags = re.sub(r"<[^>]+>", "", page)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", without_tags), "a raw ISO timestamp is shown"
    when = re.search(r'<td data-label="When">(.*?)</td>', page, re.S).group(1)
    assert TIME.fullmatch(when.strip())
    expected = (
        f'ends_at: <time datetime="{council_time.iso(sanction.ends_at)}">{council_time.shown(sanction.ends_at)}</time>'
    )
    assert expected in change


def test_change_lines_show_times_and_escape_the_rest(app):
    entry = AuditEntry(
        before={"state": "held", "until": "2026-07-01T12:00:00", "terms": ["<b>x</b>", "2026-12-03T19:00:00Z"]},
        after={"state": "approved", "until": None, "note": "2026-07-01 is a date, not a time"},
    )
    lines = [str(line) for line in moderation_audit.change_lines(entry)]
    assert lines == [
        "state: held → approved",
        'until: <time datetime="2026-07-01T12:00:00Z">Wed 1 Jul 2026, 13:00 BST</time> → none',
        'terms: &lt;b&gt;x&lt;/b&gt;; <time datetime="2026-12-03T19:00:00Z">Thu 3 Dec 2026, 19:00 GMT</time>',
        "note: 2026-07-01 is a date, not a time",
    ]
