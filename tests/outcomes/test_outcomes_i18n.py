"""Outcomes in Welsh: the pages, the optional Welsh wording shown per reader (with its `lang` when it falls
back to English), and notifications in each recipient's language."""

from __future__ import annotations

from debate.extensions import db
from debate.services.accountability import outcomes
from tests.outcomes.helpers import form, told

WELSH = {
    "heard_cy": "Dywedoch fod y **llyfrgell** yn bwysig ar y Sul.",
    "will_happen_cy": "Byddwn yn treialu agor ar y Sul o fis Mawrth.",
}


def html(response) -> str:
    return response.get_data(as_text=True)


def test_the_outcomes_list_in_welsh(client, people, ended):
    outcomes.publish(people["councillor"], form(), session_id=ended.id)
    page = html(client.get("/cy/outcomes"))
    assert '<html lang="cy" dir="ltr">' in page
    assert "<h1>Canlyniadau: dywedoch chi, gwnaethom ni</h1>" in page and "Wedi'i gynllunio" in page
    assert "Beth sy&#39;n digwydd nesaf:" in page or "Beth sy'n digwydd nesaf:" in page
    assert "Outcomes: you said, we did" not in page
    # Only English is written: the excerpt is shown, marked as English.
    assert '<p lang="en">We will trial Sunday opening from March.</p>' in page


def test_a_bilingual_outcome_is_shown_in_each_readers_language(client, people, ended):
    outcome = outcomes.publish(people["councillor"], form(**WELSH), session_id=ended.id)
    welsh = html(client.get(f"/cy/outcomes/{outcome.id}"))
    assert '<h2 id="heard-heading">Beth glywsom ni</h2>' in welsh
    assert '<div class="post-body"><p>Dywedoch fod y <strong>llyfrgell</strong> yn bwysig ar y Sul.</p>' in welsh
    assert "Byddwn yn treialu agor ar y Sul" in welsh and "We will trial Sunday opening" not in welsh
    assert "gan <bdi>Cllr Amina Shah</bdi>" in welsh
    english = html(client.get(f"/en/outcomes/{outcome.id}"))
    assert "We will trial Sunday opening from March." in english and "Byddwn yn treialu" not in english


def test_an_outcome_only_in_english_is_marked_english_on_a_welsh_page(client, people, ended):
    outcome = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    welsh = html(client.get(f"/cy/outcomes/{outcome.id}"))
    assert '<div class="post-body" lang="en"><p>We will trial Sunday opening from March.</p>' in welsh


def test_the_form_takes_the_welsh_wording(people, ended, as_user):
    client = as_user(people["councillor"])
    page = html(client.get(f"/cy/sessions/{ended.id}/outcome"))
    assert "Cyhoeddi'r canlyniad" in page and 'name="heard_cy"' in page and 'name="will_happen_cy"' in page
    assert 'lang="cy"' in page and "Yn Gymraeg (dewisol)" in page
    data = {"heard": "Heard.", "will_happen": "Happens.", "status": "planned", "due_on": "", **WELSH}
    response = client.post(f"/cy/sessions/{ended.id}/outcome", data=data)
    assert response.status_code == 302
    outcome = outcomes.for_session(ended.id)
    assert outcome.heard_cy == WELSH["heard_cy"] and outcome.will_happen_cy == WELSH["will_happen_cy"]


def test_followers_are_told_in_their_own_language(app, people, ended):
    people["resident"].locale = "cy"
    db.session.commit()
    with app.test_request_context("/"):
        outcomes.publish(people["councillor"], form(), session_id=ended.id)
    [welsh] = told(people["resident"].id)
    [english] = told(people["resident2"].id)
    assert welsh.text.startswith("Beth sy'n digwydd nesaf ar ôl “")
    assert english.text.startswith("What happens next after “")


def test_the_admin_can_list_outcomes_missing_their_welsh(people, ended, thread):
    english_only = outcomes.publish(people["councillor"], form(), session_id=ended.id)
    outcomes.publish(people["councillor"], form(**WELSH), thread_id=thread.id)
    assert outcomes.missing_welsh() == [(english_only, ["heard", "will_happen"])]
