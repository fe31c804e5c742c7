"""The accountability pages over HTTP, per role, without JavaScript; and markup a screen reader (and axe) can use."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from debate.extensions import db
from debate.models import Role
from debate.models.accountability import AccountabilitySettings, TrackedQuestion
from debate.services.accountability import questions as accountability
from debate.services.forums import posts as forums
from tests.accountability.conftest import tracked_for

pytestmark = pytest.mark.usefixtures("forum_policy")


class Markup(HTMLParser):
    """Collects what the accessibility checks need: ids, labels, form controls, headings, references."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.headings: list[int] = []
        self.described: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("select", "textarea") or (tag == "input" and a.get("type") not in ("hidden", "submit")):
            self.controls.append(a)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if a.get("aria-describedby"):
            self.described.extend(a["aria-describedby"].split())


def check(page: str) -> Markup:
    """Unique ids, a label for every control, one h1, no skipped heading levels, descriptions that exist."""
    found = Markup()
    found.feed(page)
    assert len(found.ids) == len(set(found.ids)), [i for i in found.ids if found.ids.count(i) > 1]
    for control in found.controls:
        assert control.get("id") in found.label_for, f"no label for {control}"
    assert found.headings.count(1) == 1
    for before, after in zip(found.headings, found.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert set(found.described) <= set(found.ids)
    return found


def html(response) -> str:
    return response.get_data(as_text=True)


def follow(client, response) -> str:
    assert response.status_code == 302, html(response)
    return html(client.get(response.headers["Location"]))


# --- representatives' list ----------------------------------------------------------------------


def test_answers_page_per_role(client, as_user, people, ended):
    assert client.get("/answers").status_code == 302  # sign in first
    assert as_user(people["resident"]).get("/answers").status_code == 403
    assert as_user(people["moderator"]).get("/answers").status_code == 403
    page = html(as_user(people["councillor"]).get("/answers"))
    check(page)
    assert "Your outstanding questions (2)" in page
    assert "Why is the Northgate library closed on Sundays?" in page
    assert "When will the bins be collected weekly again?" not in page  # answered live: not outstanding
    assert 'action="/answers/' in page and "Publish the answer" in page and "Transfer the question" in page
    assert "Refer the question" in page and "working days left" in page
    admin = html(as_user(people["admin"]).get("/answers"))
    check(admin)
    assert "Referrals awaiting a reply (0)" in admin and "Your outstanding questions" not in admin


def test_answer_transfer_and_refer_through_the_forms(as_user, people, ended, make_user):
    live, asked = ended
    waiting, other = tracked_for(asked["waiting"]), tracked_for(asked["other"])
    cllr = as_user(people["councillor"])
    empty = cllr.post(f"/answers/{waiting.id}/answer", data={"answer": "  "})
    assert empty.status_code == 400
    page = html(empty)
    check(page)
    assert f'href="#answer-{waiting.id}"' in page and 'aria-invalid="true"' in page and "Write the answer" in page
    assert re.search(
        rf'<details class="mod-tools" open>\s*<summary>Answer in writing<span class="visually-hidden"> '
        rf"question {waiting.id}",
        page,
    )
    kept = cllr.post(
        f"/answers/{waiting.id}/refer", data={"referred_to": "Department for Education", "referral_note": ""}
    )
    assert kept.status_code == 400 and 'value="Department for Education"' in html(kept)
    done = follow(cllr, cllr.post(f"/answers/{waiting.id}/answer", data={"answer": "Sunday opening from May."}))
    assert "Your answer is published" in done and "Your outstanding questions (1)" in done
    assert cllr.post(f"/answers/{waiting.id}/answer", data={"answer": "Again."}).status_code == 409

    bad = cllr.post(f"/answers/{other.id}/transfer", data={"to_user_id": str(people["resident"].id), "note": "Why"})
    assert bad.status_code == 400 and "verified representative" in html(bad)
    colleague = make_user(Role.REPRESENTATIVE, "Cllr Cara Lee")
    moved = follow(
        cllr, cllr.post(f"/answers/{other.id}/transfer", data={"to_user_id": colleague.id, "note": "Roads."})
    )
    assert "The question is transferred" in moved
    theirs = as_user(colleague)
    referred = follow(
        theirs,
        theirs.post(
            f"/answers/{other.id}/refer", data={"referred_to": "Rt Hon Jo Bloggs MP", "referral_note": "A trunk road."}
        ),
    )
    assert "marked as referred" in referred and "Post the reply" in referred
    replied = follow(theirs, theirs.post(f"/answers/{other.id}/reply", data={"referral_reply": "It will be fixed."}))
    assert "The reply is posted" in replied
    assert as_user(people["resident"]).post(f"/answers/{other.id}/answer", data={"answer": "x"}).status_code == 403
    assert cllr.post("/answers/999999/answer", data={"answer": "x"}).status_code == 404


# --- public pages -------------------------------------------------------------------------------


def test_record_pages_are_public_and_labelled(client, people, ended):
    live, asked = ended
    page = html(client.get("/record"))
    check(page)
    assert '<th scope="col">Questions put</th>' in page and "What became of my questions" not in page
    assert f'href="/representatives/{people["councillor"].id}/record"' in page
    assert 'aria-current="page">Record</a>' in page
    mine = html(client.get(f"/representatives/{people['councillor'].id}/record"))
    check(mine)
    assert "Questions put to <bdi>Cllr Amina Shah</bdi> (3)" in mine
    assert "Answered live by <bdi>Cllr Amina Shah</bdi>" in mine and "<strong>March</strong>" in mine
    assert "Awaiting a written answer" in mine and "due by" in mine
    assert client.get(f"/representatives/{people['resident'].id}/record").status_code == 404
    assert client.get("/representatives/999999/record").status_code == 404


def test_anonymous_askers_stay_anonymous(client, people, live):
    from debate.services.live import questions as live_questions
    from debate.services.live import sessions as live_sessions

    question = live_questions.ask(people["resident"], live.id, "An anonymous question about rents?", anonymous=True)
    live_questions.approve(people["moderator"], question.id)
    live_sessions.end(people["admin"], live.id)
    page = html(client.get(f"/representatives/{people['councillor'].id}/record"))
    assert "Asked by <bdi>Anonymous</bdi>" in page and "Rita Resident" not in page


def test_what_became_of_my_question(client, as_user, people, ended):
    live, asked = ended
    assert client.get("/questions/mine").status_code == 302
    tracked = tracked_for(asked["waiting"])
    accountability.refer(people["councillor"], tracked.id, "Department for Education", "Library funding is national.")
    resident = as_user(people["resident"])
    page = html(resident.get("/questions/mine"))
    check(page)
    assert "Why is the Northgate library closed on Sundays?" in page
    assert "Referred to <strong><bdi>Department for Education</bdi></strong> by <bdi>Cllr Amina Shah</bdi>" in page
    assert "When will the bins" not in page  # someone else's question
    accountability.post_referral_reply(people["councillor"], tracked.id, "Funding rises next year.")
    page = html(resident.get("/questions/mine"))
    assert (
        "Reply from <bdi>Department for Education</bdi>, posted by <bdi>Cllr Amina Shah</bdi>" in page
        and "Funding rises next year." in page
    )


# --- moderators: forum questions ---------------------------------------------------------------


def test_moderator_puts_a_forum_post_through_the_form(client, as_user, people, topic):
    thread = forums.start_thread(people["resident"], topic.slug, "Potholes on Station Road", "Who fixes them?").item
    moderator = as_user(people["moderator"])
    thread_page = html(moderator.get(f"/threads/{thread.id}"))
    assert f'href="/forum-questions/new?thread_id={thread.id}"' in thread_page
    assert "Put to a representative" not in html(as_user(people["resident"]).get(f"/threads/{thread.id}"))
    assert as_user(people["resident"]).get(f"/forum-questions/new?thread_id={thread.id}").status_code == 403
    form = html(moderator.get(f"/forum-questions/new?thread_id={thread.id}"))
    check(form)
    assert '<label for="representative_id">Representative</label>' in form and "Cllr Amina Shah" in form
    missing = moderator.post("/forum-questions", data={"thread_id": thread.id, "representative_id": ""})
    assert missing.status_code == 400 and 'href="#representative_id"' in html(missing)
    check(html(missing))
    done = moderator.post(
        "/forum-questions", data={"thread_id": thread.id, "representative_id": people["councillor"].id}
    )
    assert done.headers["Location"].endswith(f"/threads/{thread.id}")
    assert "The question is on the list, due on" in html(moderator.get(done.headers["Location"]))
    assert db.session.scalar(db.select(TrackedQuestion.source_key)) == f"thread:{thread.id}"
    again = moderator.post(
        "/forum-questions", data={"thread_id": thread.id, "representative_id": people["councillor"].id}
    )
    assert again.status_code == 409


# --- admin settings ---------------------------------------------------------------------------


def test_admin_settings_page(as_user, people):
    assert as_user(people["moderator"]).get("/admin/accountability").status_code == 403
    assert as_user(people["councillor"]).get("/admin/accountability").status_code == 403
    admin = as_user(people["admin"])
    page = html(admin.get("/admin/accountability"))
    check(page)
    assert 'value="20"' in page
    bad = admin.post("/admin/accountability", data={"due_working_days": "fifteen", "nation": "scotland"})
    assert bad.status_code == 400
    check(html(bad))
    assert "whole number of working days" in html(bad) and 'value="fifteen"' in html(bad)
    assert db.session.get(AccountabilitySettings, 1) is None  # nothing saved
    saved = follow(admin, admin.post("/admin/accountability", data={"due_working_days": "15", "nation": "scotland"}))
    assert "Settings saved" in saved and 'value="15"' in saved and 'value="scotland" selected' in saved
    check(saved)


# --- navigation -------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "answers"), [("councillor", True), ("resident", False), ("admin", False)])
def test_nav_links(as_user, people, who, answers):
    page = html(as_user(people[who]).get("/record"))
    assert ('href="/answers"' in page) is answers
    assert 'href="/record"' in page and "What became of my questions" in page
