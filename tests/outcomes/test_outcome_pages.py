"""Outcome pages over HTTP, as a person without JavaScript uses them: forms, refusals, escaping, history."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from debate.extensions import db
from debate.models.outcomes import Outcome
from debate.services.accountability import outcomes
from tests.outcomes.helpers import form, told

FIELDS = {
    "heard": "You said the **library** matters.",
    "will_happen": "We will open on Sundays.",
    "status": "planned",
    "due_on": "2027-03-31",
}


def html(response) -> str:
    return response.get_data(as_text=True)


def outcome_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Outcome.id)))


# --- the form ---------------------------------------------------------------------------------


def test_a_panel_representative_publishes_with_a_plain_form(people, ended, as_user):
    client = as_user(people["councillor"])
    page = html(client.get(f"/sessions/{ended.id}/outcome"))
    assert '<form method="post"' in page and 'name="csrf_token"' in page
    assert 'name="heard"' in page and 'name="will_happen"' in page and 'type="date"' in page
    assert 'name="note"' not in page  # the note is for updates
    response = client.post(f"/sessions/{ended.id}/outcome", data=FIELDS)
    assert response.status_code == 302
    outcome = outcomes.for_session(ended.id)
    assert response.headers["Location"].endswith(f"/outcomes/{outcome.id}")
    page = html(client.get(response.headers["Location"]))
    assert "Outcome published" in page
    assert "<strong>library</strong>" in page and "We will open on Sundays." in page
    assert "Wed 31 Mar 2027" in page and "Planned" in page
    assert len(told(people["resident"].id)) == 1


def test_a_thread_outcome_form_works_the_same(people, thread, as_user):
    client = as_user(people["councillor2"])
    response = client.post(f"/threads/{thread.id}/outcome", data=FIELDS)
    assert response.status_code == 302
    outcome = outcomes.for_thread(thread.id)
    page = html(client.get(f"/outcomes/{outcome.id}"))
    assert f'href="/threads/{thread.id}"' in page and "Bins are not collected" in page


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_others_are_refused_the_form(people, ended, thread, as_user, who):
    client = as_user(people[who])
    for path in (f"/sessions/{ended.id}/outcome", f"/threads/{thread.id}/outcome"):
        assert client.get(path).status_code == 403
        assert client.post(path, data=FIELDS).status_code == 403
    assert outcome_count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, ended):
    response = client.post(f"/sessions/{ended.id}/outcome", data=FIELDS)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert outcome_count() == 0


def test_unknown_subjects_are_404(people, as_user):
    client = as_user(people["admin"])
    assert client.get("/sessions/999/outcome").status_code == 404
    assert client.get("/threads/999/outcome").status_code == 404
    assert client.get("/outcomes/999").status_code == 404


def test_a_session_that_has_not_ended_says_so(people, schedule, as_user):
    live = schedule(start=True)
    client = as_user(people["councillor"])
    page = html(client.get(f"/sessions/{live.id}/outcome"))
    assert "once the session has ended" in page and 'name="heard"' not in page
    response = client.post(f"/sessions/{live.id}/outcome", data=FIELDS)
    assert response.status_code == 409
    assert outcome_count() == 0


def test_bad_input_is_shown_again_with_what_was_typed(people, ended, as_user):
    client = as_user(people["councillor"])
    typed = dict(FIELDS, heard='</textarea><script>alert("x")</script>', due_on="31/03/2027")
    response = client.post(f"/sessions/{ended.id}/outcome", data=typed)
    page = html(response)
    assert response.status_code == 400
    assert 'role="alert"' in page and "not a date" in page and 'href="#due_on"' in page
    assert 'aria-invalid="true"' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page  # kept, escaped
    assert 'value="31/03/2027"' in page
    assert outcome_count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"heard": ""}, "Write what you heard."),
        ({"will_happen": "w" * 5001}, "too long"),
        ({"status": "finished"}, "Choose a status"),
        ({"due_on": "2027-02-30"}, "not a date"),
    ],
)
def test_each_bad_field_gets_a_clear_message(people, thread, as_user, changes, message):
    client = as_user(people["councillor"])
    response = client.post(f"/threads/{thread.id}/outcome", data=dict(FIELDS, **changes))
    assert response.status_code == 400 and message in html(response)
    assert outcome_count() == 0


def test_the_same_form_updates_afterwards_and_the_history_shows(people, ended, as_user):
    client = as_user(people["councillor"])
    client.post(f"/sessions/{ended.id}/outcome", data=FIELDS)
    page = html(client.get(f"/sessions/{ended.id}/outcome"))
    assert "Update the outcome" in page and 'name="note"' in page
    assert "You said the **library** matters." in page and 'value="2027-03-31"' in page
    assert re.search(r'<option value="planned"\s+selected>', page)

    changed = dict(FIELDS, status="in_progress", note="Staff *recruited*.", mode="update")
    response = client.post(f"/sessions/{ended.id}/outcome", data=changed)
    assert response.status_code == 302
    page = html(client.get(response.headers["Location"]))
    assert "Outcome updated" in page and "In progress" in page
    assert "Staff <em>recruited</em>." in page
    assert page.count("Updated ") == 1 and "Published " in page
    assert outcome_count() == 1

    unchanged = client.post(f"/sessions/{ended.id}/outcome", data=FIELDS | {"status": "in_progress", "mode": "update"})
    assert unchanged.status_code == 400 and "Nothing has changed" in html(unchanged)


def test_a_second_publisher_racing_is_told_and_keeps_what_they_typed(people, ended, as_user):
    first, second = as_user(people["councillor"]), as_user(people["councillor2"])
    assert 'name="mode" value="publish"' in html(second.get(f"/sessions/{ended.id}/outcome"))
    first.post(f"/sessions/{ended.id}/outcome", data=FIELDS | {"mode": "publish"})
    response = second.post(f"/sessions/{ended.id}/outcome", data=FIELDS | {"heard": "Another view", "mode": "publish"})
    page = html(response)
    assert response.status_code == 409 and "update it instead" in page
    assert "Another view" in page and 'name="mode" value="update"' in page  # now the update form
    assert outcomes.for_session(ended.id).heard == FIELDS["heard"]  # the first one is not overwritten
    response = second.post(f"/sessions/{ended.id}/outcome", data=FIELDS | {"heard": "Another view", "mode": "update"})
    assert response.status_code == 302 and outcome_count() == 1
    assert len(outcomes.for_session(ended.id).updates) == 2


# --- public pages -----------------------------------------------------------------------------


def test_the_list_is_public_newest_first_and_filters(client, people, ended, thread):
    outcomes.publish(people["councillor"], form(), session_id=ended.id)
    outcomes.publish(people["councillor"], form(will_happen="Bins every week."), thread_id=thread.id)
    page = html(client.get("/outcomes"))
    assert page.index("Bins are not collected") < page.index(ended.title)
    assert "Bins every week." in page
    sessions_only = html(client.get("/outcomes?kind=session"))
    assert ended.title in sessions_only and "Bins are not collected" not in sessions_only
    assert 'aria-current="true">Live sessions' in sessions_only
    threads_only = html(client.get("/outcomes?kind=thread"))
    assert ended.title not in threads_only and "Bins are not collected" in threads_only
    assert client.get("/outcomes?page=x").status_code == 404
    assert "No outcomes" in html(client.get("/outcomes?page=5"))


def test_an_empty_list_says_so(client):
    response = client.get("/outcomes")
    assert response.status_code == 200 and "No outcomes have been published" in html(response)


def test_markdown_is_sanitised_and_titles_escaped(client, people, topic, forum_policy):
    from debate.services.forums import posts as forums

    posted = forums.start_thread(people["resident"], topic.slug, "<b>Loud</b> title here", "Body of it.")
    hostile = form(
        heard='<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(2)">',
        will_happen='**Fine** [council](https://example.org "t")',
    )
    outcome = outcomes.publish(people["admin"], hostile, thread_id=posted.item.id)
    for path in (f"/outcomes/{outcome.id}", "/outcomes"):
        page = html(client.get(path))
        assert "<script>alert(1)" not in page and "<b>Loud</b>" not in page
        assert "&lt;b&gt;Loud&lt;/b&gt;" in page
        assert 'href="javascript:' not in page and "<img" not in page  # the link and tag stay plain text
    detail = html(client.get(f"/outcomes/{outcome.id}"))
    assert "<strong>Fine</strong>" in detail and 'rel="nofollow ugc noopener"' in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_the_update_link_shows_only_to_those_who_may(people, ended, as_user, client):
    outcome = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    path = f"/outcomes/{outcome.id}"
    assert "Update this outcome" in html(as_user(people["councillor2"]).get(path))
    assert "Update this outcome" not in html(as_user(people["resident"]).get(path))
    assert "Update this outcome" not in html(client.get(path))


def test_template_globals_for_the_session_and_thread_pages(app, people, ended, thread):
    snippet = (
        "{% set o = outcome_for_session(sid) %}{% if o %}S{{ o.id }}{% endif %}"
        "{% set t = outcome_for_thread(tid) %}{% if t %}T{{ t.id }}{% else %}none{% endif %}"
    )
    with app.test_request_context():
        assert render_template_string(snippet, sid=ended.id, tid=thread.id) == "none"
        outcome = outcomes.publish(people["councillor"], form(), session_id=ended.id)
        assert render_template_string(snippet, sid=ended.id, tid=thread.id) == f"S{outcome.id}none"
