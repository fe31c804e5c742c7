"""The moderation pages over HTTP: who may see them, and the forms doing what the services do."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from debate.extensions import db
from debate.models import Role
from debate.models.moderation import Appeal, AuditEntry, Flag, ModerationNotice, ReviewItem
from debate.services.moderation import decisions as moderation_decisions
from debate.services.moderation import flags as moderation_flags
from debate.services.moderation import queue as moderation_queue

# Every staff page and form, with a method; ids that don't exist are fine: the refusal comes first.
STAFF_ROUTES = [
    ("GET", "/moderation/"),
    ("GET", "/moderation/queue/list"),
    ("POST", "/moderation/bulk"),
    ("GET", "/moderation/items/1"),
    ("POST", "/moderation/items/1/claim"),
    ("POST", "/moderation/items/1/release"),
    ("POST", "/moderation/items/1/decide"),
    ("POST", "/moderation/members/1/sanctions"),
    ("POST", "/moderation/sanctions/1/lift"),
    ("GET", "/moderation/appeals/1"),
    ("POST", "/moderation/appeals/1/decide"),
    ("GET", "/moderation/audit"),
    ("GET", "/moderation/settings"),
    ("POST", "/moderation/settings"),
]


def page(response) -> str:
    return response.get_data(as_text=True)


def test_every_staff_route_is_listed(app):
    rules = {
        (m, r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/moderation")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(m, re.sub(r"/1(?=/|$)", "/<int>", p)) for m, p in STAFF_ROUTES}
    assert {(m, re.sub(r"<int:\w+>", "<int>", r)) for m, r in rules} == listed


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE])
@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_members_get_403_on_every_staff_route(app, client, make_user, login, role, method, path):
    login(make_user(role))
    response = client.open(path, method=method, data={"action": "approve", "item_id": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_signed_out_visitors_are_sent_to_sign_in(app, client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/moderation/settings"), ("POST", "/moderation/settings")])
def test_moderators_cannot_change_settings(app, client, make_user, login, method, path):
    login(make_user(Role.MODERATOR))
    assert client.open(path, method=method).status_code == 403


def test_the_audit_log_has_no_way_to_change_it(app, client, make_user, login):
    login(make_user(Role.ADMIN))
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert client.open("/moderation/audit", method=method).status_code == 405
    assert not [r for r in app.url_map.iter_rules() if "audit" in r.rule and r.methods - {"GET", "HEAD", "OPTIONS"}]


def test_flag_decide_appeal_through_the_forms(app, client, notes, make_user, login, moderators):
    author = make_user(name="Ann Author")
    note = notes.make(author, "Council tax is far too high and the leader is an idiot.")
    flagger = make_user(Role.ADMIN, "Fay Flagger")
    login(flagger)
    form = client.get(f"/flag/note/{note.id}")
    assert form.status_code == 200 and "What is wrong?" in page(form) and "the leader is an idiot" in page(form)
    bad = client.post(f"/flag/note/{note.id}", data={"reason": "other", "note": ""})
    assert bad.status_code == 400 and "Please say what is wrong" in page(bad)
    done = client.post(f"/flag/note/{note.id}", data={"reason": "abuse_harassment", "note": "Name-calling"})
    assert done.status_code == 302 and done.headers["Location"] == f"/notes/{note.id}"
    again = client.get(f"/flag/note/{note.id}")
    assert again.status_code == 409 and "already flagged" in page(again)
    item = moderation_queue.find("note", note.id)

    client.post("/logout")
    login(moderators[0])
    queue = client.get("/moderation/")
    assert queue.status_code == 200 and f'id="queue-item-{item.id}"' in page(queue) and "Flagged" in page(queue)
    assert "the leader is an idiot" in page(client.get("/moderation/queue/list"))
    shown = client.get(f"/moderation/items/{item.id}")
    assert shown.status_code == 200 and "Fay Flagger" in page(shown) and "Name-calling" in page(shown)
    assert "Hidden while moderators review reports" in page(shown)
    assert client.post(f"/moderation/items/{item.id}/claim").status_code == 302
    assert "Claimed by <strong>you</strong>" in page(client.get(f"/moderation/items/{item.id}"))
    refused = client.post(f"/moderation/items/{item.id}/decide", data={"action": "hide"})
    assert refused.status_code == 400 and "Choose a reason to hide this" in page(refused)
    decided = client.post(
        f"/moderation/items/{item.id}/decide",
        data={"action": "hide", "category": "abuse_harassment", "note": "No name-calling."},
    )
    assert decided.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(note), note.id).state == "hidden"

    client.post("/logout")
    login(author)
    notices_page = page(client.get("/notices"))
    assert "A moderator hid your reply (Test place). Reason: Abuse or harassment." in notices_page
    assert "No name-calling." in notices_page and "Appeal this decision" in notices_page
    notice = db.session.scalars(
        select(ModerationNotice).where(ModerationNotice.user_id == author.id, ModerationNotice.kind == "decision")
    ).one()
    empty = client.post("/appeals", data={"decision_id": notice.decision_id, "statement": " "})
    assert empty.status_code == 400 and "Please explain why" in page(empty)
    filed = client.post("/appeals", data={"decision_id": notice.decision_id, "statement": "It is fair comment."})
    assert filed.status_code == 302
    assert "Appeal this decision" not in page(client.get("/notices"))
    assert client.post("/notices/read").status_code == 302
    assert db.session.scalars(select(ModerationNotice.read).where(ModerationNotice.user_id == author.id)).all()

    client.post("/logout")
    login(moderators[0])  # the moderator who decided: may not decide the appeal
    own = page(client.get(f"/moderation/items/{item.id}"))
    assert "a different moderator must decide the appeal" in own
    appeal = db.session.scalars(select(Appeal)).one()
    assert client.post(f"/moderation/appeals/{appeal.id}/decide", data={"outcome": "overturned"}).status_code == 403
    client.post("/logout")
    login(moderators[1])
    assert "It is fair comment." in page(client.get(f"/moderation/items/{item.id}"))
    assert (
        client.post(
            f"/moderation/appeals/{appeal.id}/decide", data={"outcome": "overturned", "note": "Robust, not abusive."}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(type(note), note.id).state == "approved"
    audit = page(client.get("/moderation/audit"))
    for action in ("auto hide", "hide", "appeal filed", "appeal decided", "restore"):
        assert f'<td data-label="Action">{action}</td>' in audit
    filtered = page(client.get("/moderation/audit", query_string={"action": "restore"}))
    assert filtered.count('"Action">restore</td>') == 1 and '"Action">hide</td>' not in filtered
    bad_date = client.get("/moderation/audit", query_string={"since": "yesterday"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in page(bad_date)


def test_sanction_and_bulk_forms(app, client, notes, make_user, login, moderators):
    author = make_user(name="Sam Spammer")
    items = []
    for n in range(2):
        note = notes.make(author, f"Buy cheap things number {n}")
        moderation_flags.raise_flag(moderators[1], "note", note.id, "spam", "")
        items.append(moderation_queue.find("note", note.id))
    login(moderators[0])
    refused = client.post(
        f"/moderation/members/{author.id}/sanctions",
        data={"item_id": items[0].id, "kind": "mute", "sanction_category": "spam", "duration": ""},
    )
    assert refused.status_code == 400 and "Choose how long the mute lasts" in page(refused)
    done = client.post(
        f"/moderation/members/{author.id}/sanctions",
        data={"item_id": items[0].id, "kind": "mute", "sanction_category": "spam", "duration": "1d"},
    )
    assert done.status_code == 302
    assert "Mute (can&#39;t post)" in page(client.get(f"/moderation/items/{items[0].id}"))
    bulk = client.post(
        "/moderation/bulk",
        data={"items": [str(i.id) for i in items], "action": "remove", "category": "spam", "note": ""},
    )
    assert bulk.status_code == 200 and "Decided 2 of 2 items." in page(bulk)
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "remove")).all()) == 2
    empty = client.post("/moderation/bulk", data={"action": "remove", "category": "spam"})
    assert empty.status_code == 400 and "Tick at least one item." in page(empty)


def test_settings_page_round_trip(app, client, make_user, login):
    login(make_user(Role.ADMIN))
    shown = page(client.get("/moderation/settings"))
    assert 'name="term-0"' in shown and 'name="flag_threshold" value="3"' in shown.replace("\n      ", " ")
    data = {
        "term-0": "idiot",
        "action-0": "block",
        "category-0": "abuse_harassment",
        "hold_first_posts": "0",
        "max_links": "1",
        "links_action": "hold",
        "duplicate_minutes": "10",
        "rate-posts-0": "5",
        "rate-minutes-0": "1",
        "flag_threshold": "oops",
    }
    bad = client.post("/moderation/settings", data=data)
    assert bad.status_code == 400 and "Enter a number such as 3" in page(bad) and 'value="idiot"' in page(bad)
    good = client.post("/moderation/settings", data={**data, "flag_threshold": "1.5"})
    assert good.status_code == 302
    assert 'value="idiot"' in page(client.get("/moderation/settings"))


def test_transparency_report_is_public_and_holds_no_personal_data(app, client, notes, make_user, moderators):
    author = make_user(name="Priscilla Private")
    note = notes.make(author, "Secret text that must not leak")
    moderation_flags.raise_flag(moderators[1], "note", note.id, "spam", "Secret flag note")
    item = moderation_queue.find("note", note.id)
    moderation_decisions.decide(moderators[0], item.id, "hide", "spam", "Secret moderator note")
    held = notes.submit(make_user(), "A new member says hello to everyone.")
    assert held.state == "held"
    report = client.get("/transparency")
    assert report.status_code == 200
    text = page(report)
    for secret in ("Priscilla", "Secret", "Mo Moderator", "Max Moderator", "hello to everyone"):
        assert secret not in text
    assert "Items flagged</dt><dd>1</dd>" in text and "Items hidden</dt><dd>1</dd>" in text
    assert "Items held for review</dt><dd>1</dd>" in text
    assert (
        '<td data-label="Reason">Spam</td><td data-label="Items">1</td>' in text
        and "New account&#39;s first posts" in text
    )
    assert "Moderation transparency report" in page(client.get("/"))  # linked from every page's footer


def test_nav_links_by_role(app, client, make_user, login):
    login(make_user(Role.RESIDENT))
    home = page(client.get("/"))
    assert "/notifications" in home and "/moderation/" not in home
    client.post("/logout")
    login(make_user(Role.MODERATOR))
    assert "Review queue" in page(client.get("/"))


def test_flag_page_needs_sign_in(app, client, notes, make_user):
    note = notes.make(make_user())
    response = client.get(f"/flag/note/{note.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalars(select(Flag)).all() == []
    assert db.session.scalars(select(ReviewItem)).all() == []


def test_a_sanction_is_appealed_and_lifted_through_the_pages(app, client, make_user, login, moderators):
    from debate.models.moderation import Sanction
    from debate.services.moderation import sanctions as moderation_sanctions

    member = make_user(name="Bea Banned")
    ban = moderation_sanctions.issue(moderators[0], member.id, "ban", "spam", "Posting adverts.")
    login(member)
    notices = page(client.get("/notices"))
    assert "Your account is banned. Reason: Spam (Posting adverts.)." in notices and "Appeal this decision" in notices
    assert client.post("/appeals", data={"sanction_id": ban.id, "statement": "I sell nothing."}).status_code == 302
    client.post("/logout")
    login(moderators[1])
    queue = page(client.get("/moderation/"))
    assert "Appeals against sanctions" in queue
    appeal = db.session.scalars(select(Appeal)).one()
    shown = page(client.get(f"/moderation/appeals/{appeal.id}"))
    assert "I sell nothing." in shown and "Posting adverts." in shown and "lift the sanction" in shown
    assert client.post(f"/moderation/appeals/{appeal.id}/decide", data={"outcome": "overturned"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Sanction, ban.id).overturned
    assert "Appeals against sanctions" not in page(client.get("/moderation/"))
