"""The forums in Welsh (and Arabic where the resident's journey is translated): pages, API errors, the
language a post is marked as written in, bidi isolation of residents' text, and topics in both languages."""

from __future__ import annotations

import re

import pytest

from debate.extensions import db
from debate.models import Role
from debate.services.forums import posts as forums
from debate.services.forums import topics, votes

pytestmark = pytest.mark.usefixtures("forum_policy")


def html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def thread(make_user, topic):
    return forums.start_thread(make_user(name="Tess Thread"), "housing", "Depot homes", "Homes or buses?").item


def test_thread_page_under_cy_is_in_welsh(client, make_user, thread):
    forums.post_reply(make_user(name="Rae Replier"), thread.id, "I am for it.", "for")
    forums.post_reply(make_user(), thread.id, "Against.", "against")
    page = html(client.get(f"/cy/threads/{thread.id}"))
    assert '<html lang="cy"' in page
    assert "Ateb yr edefyn hwn" in page and "Safbwyntiau pobl" in page  # headings
    assert "2 ateb" in page  # the replies heading, a Welsh plural
    assert "Mewngofnodi i ateb" in page and "Reply to this thread" not in page
    assert "O blaid" in page and "Yn erbyn" in page  # stance labels


def test_topic_page_plural_and_english_unchanged(client, make_user, thread):
    forums.post_reply(make_user(), thread.id, "One reply")
    assert "1 ateb" in html(client.get("/cy/topics/housing"))
    english = html(client.get("/en/topics/housing"))
    assert "1 reply" in english and "Sign in to start a thread" in english


def test_reply_form_in_welsh_for_a_member(client, login, make_user, thread):
    login(make_user())
    page = html(client.get(f"/cy/threads/{thread.id}"))
    assert "Postio ateb" in page and "Eich safbwynt" in page and "Iaith eich cyfraniad" in page
    assert '<option value="" selected>Heb ei nodi</option>' in page
    assert 'lang="ar" dir="rtl"' in page and ">Cymraeg</option>" in page  # own names, own direction


def test_arabic_thread_page_has_the_residents_strings(client, make_user, thread):
    forums.post_reply(make_user(), thread.id, "Reply", "for")
    page = html(client.get(f"/ar/threads/{thread.id}"))
    assert 'dir="rtl"' in page and "الرد على هذا الموضوع" in page and "مواقف المشاركين" in page


def test_service_error_from_the_api_in_welsh(client, login, make_user, thread):
    login(make_user())
    by_prefix = client.post(f"/cy/api/v1/threads/{thread.id}/replies", json={"body": ""})
    assert by_prefix.status_code == 400
    assert by_prefix.get_json()["error"]["message"] == "Ysgrifennwch eich ateb cyn ei anfon."
    by_header = client.post(
        f"/api/v1/threads/{thread.id}/replies", json={"body": ""}, headers={"Accept-Language": "cy"}
    )
    assert by_header.get_json()["error"]["message"] == "Ysgrifennwch eich ateb cyn ei anfon."
    english = client.post(f"/en/api/v1/threads/{thread.id}/replies", json={"body": ""})
    assert english.get_json()["error"]["message"] == "Write your reply before sending it."


def test_not_found_in_welsh(client):
    response = client.get("/cy/api/v1/threads/999")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Nid yw’r edefyn hwnnw’n bodoli, neu cafodd ei dynnu."


def test_post_language_marked_through_the_form_and_rendered(client, login, make_user, thread):
    login(make_user(name="Wyn Welsh"))
    key = re.search(r'name="submission_key" value="([^"]+)"', html(client.get(f"/threads/{thread.id}"))).group(1)
    client.post(f"/threads/{thread.id}/replies", data={"body": "Rwy'n cytuno.", "lang": "cy", "submission_key": key})
    page = html(client.get(f"/threads/{thread.id}"))
    assert re.search(r'<div class="post-body" dir="auto" lang="cy">\s*<p>Rwy(&#39;|\')n cytuno.</p>', page)


def test_post_language_through_the_api_validated(client, login, make_user, thread):
    login(make_user())
    made = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "سلام", "lang": "ur"})
    assert made.status_code == 201 and made.get_json()["data"]["lang"] == "ur"
    refused = client.post(f"/api/v1/threads/{thread.id}/replies", json={"body": "Hi", "lang": "xx"})
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["field"] == "lang" and "language of your post" in error["message"]
    reply_id = made.get_json()["data"]["id"]
    kept = client.patch(f"/api/v1/replies/{reply_id}", json={"body": "سلام دوست"})
    assert kept.get_json()["data"]["lang"] == "ur"  # an edit without "lang" keeps it
    unmarked = client.patch(f"/api/v1/replies/{reply_id}", json={"body": "سلام دوست", "lang": None})
    assert unmarked.get_json()["data"]["lang"] is None  # only the mark changed: saved


def test_new_thread_with_language_and_edit_form_keeps_it(client, login, make_user, topic):
    author = make_user()
    posted = forums.start_thread(author, "housing", "Bysiau'r dref", "Mae angen mwy o fysiau.", lang="cy").item
    login(author)
    page = html(client.get(f"/threads/{posted.id}"))
    assert '<h1 id="thread-title" dir="auto" lang="cy">' in page
    edit = html(client.get(f"/threads/{posted.id}/edit"))
    assert '<option value="cy" lang="cy" dir="ltr" selected>' in edit
    with pytest.raises(Exception) as caught:
        forums.start_thread(author, "housing", "Another one", "Text", lang="klingon")
    assert getattr(caught.value, "field", None) == "lang"


def test_residents_text_is_isolated(client, login, make_user, thread):
    replier = make_user(name="مريم")
    first = forums.post_reply(replier, thread.id, "نعم").item
    forums.post_reply(make_user(), thread.id, "Quoting her", quote_of_id=first.id)
    login(make_user())
    page = html(client.get(f"/threads/{thread.id}"))
    assert '<h1 id="thread-title" dir="auto">Depot homes</h1>' in page
    assert '<span class="author"><bdi>مريم</bdi></span>' in page
    assert '<div class="post-body" dir="auto">' in page
    assert "Quoting <a" in page and "><bdi>مريم</bdi></a>:" in page  # the quote's source
    assert '<p dir="auto">نعم</p>' in page  # the quote's text
    assert "the reply by مريم" in page  # actions' accessible names (hidden text: no <bdi>, see _post_actions.html)
    results = html(client.get("/search?q=Depot"))
    assert 'class="snippet" dir="auto"' in results and "<bdi>Tess Thread</bdi>" in results


def test_topic_welsh_fields_shown_to_welsh_readers(client, login, make_user):
    admin = make_user(Role.ADMIN)
    topics.create_topic(admin, "Transport", "Buses and trains.", "local", "Trafnidiaeth", "")
    welsh = html(client.get("/cy/topics/transport"))
    assert "<h1>Trafnidiaeth</h1>" in welsh
    assert '<p class="lead" lang="en">Buses and trains.</p>' in welsh  # no Welsh yet: the English, marked
    english = html(client.get("/en/topics/transport"))
    assert "<h1>Transport</h1>" in english and '<p class="lead">Buses and trains.</p>' in english
    login(admin)
    form = html(client.get("/en/topics/transport/edit"))
    assert 'name="title_cy"' in form and 'value="Trafnidiaeth"' in form and 'name="description_cy"' in form
    response = client.post(
        "/topics/transport/edit",
        data={
            "title": "Transport",
            "description": "Buses and trains.",
            "scope": "local",
            "title_cy": "Trafnidiaeth",
            "description_cy": "Bysiau a threnau.",
        },
    )
    assert response.status_code == 302
    welsh = html(client.get("/cy/topics/transport"))
    assert '<p class="lead">Bysiau a threnau.</p>' in welsh


def test_official_response_welsh_version(client, login, make_user, thread):
    rep = make_user(Role.REPRESENTATIVE, name="Cllr Ada")
    answer = forums.post_reply(rep, thread.id, "The council will act.").item
    login(rep)
    page = html(client.get(f"/threads/{thread.id}"))
    assert 'name="body_cy"' in page  # the representative may add a Welsh version when marking
    client.post(f"/replies/{answer.id}/official", data={"action": "mark", "body_cy": "Bydd y cyngor yn gweithredu."})
    client.post("/logout")
    welsh = html(client.get(f"/cy/threads/{thread.id}"))
    assert '<div class="post-body" dir="auto" lang="cy"><p>Bydd y cyngor yn gweithredu.</p>' in welsh
    english = html(client.get(f"/en/threads/{thread.id}"))
    assert "The council will act." in english and "Bydd y cyngor" not in english
    official = client.get(f"/api/v1/threads/{thread.id}").get_json()["data"]["official_response"]
    assert official["body"] == "The council will act." and official["body_cy"] == "Bydd y cyngor yn gweithredu."


def test_official_response_without_welsh_is_unchanged(make_user, thread):
    rep = make_user(Role.REPRESENTATIVE)
    answer = forums.post_reply(rep, thread.id, "Answer").item
    votes.set_official(rep, answer.id, True)
    db.session.expire_all()
    from debate.services.forums.access import official_for

    assert official_for(thread.id).body_cy == ""
