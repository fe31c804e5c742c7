"""The shared shell and services in Welsh (and Arabic where residents meet them): the header, footer, home,
error, privacy and representatives pages, the refusals every form and socket shares, and the scripts' words.

Needs the compiled catalogues (`make translations/.compiled`, which `make test` runs).
"""

from __future__ import annotations

import pytest
from flask_babel import ngettext

from debate.errors import ValidationError
from debate.extensions import db, socketio
from debate.i18n.prefix import ENVIRON_KEY
from debate.models import Role, Topic
from debate.realtime import guard
from debate.services import text

WELSH_HOME = "Trafodwch yr hyn sy’n bwysig yma"


def speaking(app, code: str):
    """A request context in language `code`, as an address with its prefix makes one."""
    return app.test_request_context("/", environ_base={ENVIRON_KEY: code})


def page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_home_page_in_welsh(client):
    html = page(client, "/cy/")
    assert '<html lang="cy" dir="ltr">' in html
    assert WELSH_HOME in html
    for welsh in ("Mewngofnodi", "Cofrestru", "Pynciau", "Cynrychiolwyr", "Neidio i’r prif gynnwys", "Preifatrwydd"):
        assert welsh in html
    assert "Sign in" not in html and "Topics" not in html and "How we moderate" not in html


def test_home_page_in_english_is_unchanged(client):
    html = page(client, "/en/")
    assert "Debate what matters here, with the people who represent you" in html
    assert ">Sign in<" in html and WELSH_HOME not in html


def test_home_page_in_arabic_is_right_to_left(client):
    html = page(client, "/ar/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "ناقش ما يهمّ هنا" in html and "تسجيل الدخول" in html


def test_topics_show_their_welsh_text_and_mark_english_fallbacks(client, app):
    db.session.add_all(
        [
            Topic(
                slug="tai", title="Housing", description="Homes and rents.", title_cy="Tai", description_cy="Cartrefi."
            ),
            Topic(slug="roads", title="Roads", description="Potholes."),
        ]
    )
    db.session.commit()
    html = page(client, "/cy/")
    assert ">Tai</a>" in html and "<p>Cartrefi.</p>" in html and "Housing" not in html
    # Not yet translated: shown in English, marked as English for screen readers and spell checkers.
    assert '<span lang="en">Roads</span>' in html and '<p lang="en">Potholes.</p>' in html
    assert "0 edafedd · 0 ymatebion" in html  # Welsh plural forms for zero
    english = page(client, "/en/")
    assert ">Housing</a>" in english and "<p>Homes and rents.</p>" in english and "0 threads · 0 replies" in english


def test_error_page_in_welsh(client):
    response = client.get("/cy/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in html and "Gwall 404." in html and "Mynd i’r hafan" in html
    assert "Page not found" not in html


def test_error_page_in_arabic(client):
    html = page(client, "/ar/no-such-page")
    assert "الصفحة غير موجودة" in html and "الخطأ 404." in html


def test_privacy_page_in_welsh(client):
    html = page(client, "/cy/privacy")
    assert "<h1>Preifatrwydd</h1>" in html and "Beth sy’n gyhoeddus" in html
    assert "<dt>Mewngofnodion</dt>" in html and "<dt>Sign ins</dt>" not in html
    assert "What is public" not in html


def test_representatives_page_isolates_names(client, make_user):
    make_user(Role.REPRESENTATIVE, name="\u202eRita Evans")
    html = page(client, "/cy/representatives")
    assert "Cynrychiolwyr wedi’u dilysu" in html and '<th scope="col">Enw</th>' in html
    assert "<bdi>\u202eRita Evans</bdi>" in html


@pytest.mark.parametrize(
    ("n", "welsh"),
    [(0, "0 o negeseuon"), (1, "1 neges"), (2, "2 neges"), (3, "3 neges"), (6, "6 neges"), (100, "100 neges")],
)
def test_rate_limit_message_plural_forms_in_welsh(app, n, welsh):
    singular = "You sent more than %(num)d message a minute that no event here takes. Please wait a moment."
    plural = "You sent more than %(num)d messages a minute that no event here takes. Please wait a moment."
    with speaking(app, "cy"):
        assert welsh in ngettext(singular, plural, n)
        assert "dros 60 neges y funud" in str(guard.UNMATCHED.message)
    with speaking(app, "en"):
        assert str(guard.UNMATCHED.message).startswith("You sent more than 60 messages a minute")


@pytest.mark.parametrize(("n", "welsh"), [(0, "0 edafedd"), (1, "1 edefyn"), (2, "2 edefyn"), (100, "100 edefyn")])
def test_thread_counts_in_welsh(app, n, welsh):
    with speaking(app, "cy"):
        assert ngettext("%(num)s thread", "%(num)s threads", n) == welsh


def test_text_refusals_follow_the_reader(app):
    with speaking(app, "cy"):
        with pytest.raises(ValidationError) as refused:
            text.clean_line("a\u202eb", "title", "Teitl")
        assert refused.value.message == "Teitl: mae’n cynnwys nodau anweledig neu nodau sy’n newid cyfeiriad."
        with pytest.raises(ValidationError) as refused:
            text.clean_text("x" * 11, "note", 10, too_long=text.NOTE_TOO_LONG)
        assert refused.value.message == "Mae’r nodyn yn rhy hir: 11 nod, a’r terfyn yw 10."
    with speaking(app, "en"):
        with pytest.raises(ValidationError) as refused:
            text.clean_text("x" * 11, "note", 10, too_long="Too long: {count} of {limit}.")  # the older form
        assert refused.value.message == "Too long: 11 of 10."
    with speaking(app, "ar"):
        with pytest.raises(ValidationError) as refused:
            text.clean_line("", "title", "العنوان")
        assert refused.value.message == "العنوان: هذا الحقل مطلوب."


def test_socket_error_ack_in_welsh(app, client):
    """A socket speaks its page's language (`?lang=cy`, which the live script sends when it connects)."""
    tc = socketio.test_client(app, flask_test_client=client, query_string="lang=cy")
    try:
        ack = tc.emit("live:nonsense", {"a": 1}, callback=True)
        assert ack["ok"] is False
        assert ack["error"] == {"code": "unknown_event", "message": "Nid oes digwyddiad o’r enw 'live:nonsense' yma."}
        ack = tc.emit("\x00unreadable", callback=True)  # what a packet that could not be read becomes
        assert ack["error"]["code"] == "invalid"
    finally:
        tc.disconnect()
        type(tc).clients.pop(tc.eio_sid, None)
    english = socketio.test_client(app, flask_test_client=client, query_string="lang=en")
    try:
        ack = english.emit("live:nonsense", {"a": 1}, callback=True)
        assert ack["error"]["message"] == "There is no event called 'live:nonsense' here."
    finally:
        english.disconnect()
        type(english).clients.pop(english.eio_sid, None)


def test_unreadable_packet_sentence_in_welsh(app):
    from debate.realtime import packets

    with app.test_request_context("/socket.io/", query_string="lang=cy"):
        assert str(packets.NOT_JSON) == "Nid oedd modd darllen y neges: nid yw’n JSON dilys."


def test_script_catalogue_has_the_counters_words(client):
    welsh = page(client, "/i18n/cy.js")
    assert '"%(num)s character left": ["%(num)s nodau ar ôl", "%(num)s nod ar ôl"' in welsh
    assert '"%(num)s character too many"' in welsh and '"Menu": "Dewislen"' in welsh
    assert '"unread notification"' in welsh
    arabic = page(client, "/i18n/ar.js")
    assert '"Menu": "القائمة"' in arabic and "تبقّى حرف واحد" in arabic


def test_scripts_load_the_catalogue_before_the_counter_and_menu(client):
    html = page(client, "/cy/")
    scripts = ("/i18n/cy.js", "/static/js/i18n.js", "/static/js/charcount.js", "/static/js/menu.js")
    order = [html.index(src) for src in scripts]
    assert order == sorted(order)
