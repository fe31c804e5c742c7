"""The engine's reasons to authors, rebuilt through the catalogue: word for word the engine's English in
English, and Welsh on a Welsh page (for the app to show where it refuses or holds a post)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

import moderation
from debate.services.moderation.text import author_message
from tests.moderation.helpers import NOW, member, newcomer

KIND = moderation.ContentKind.REPLY
LIVE = moderation.Context(moderation.ContextKind.LIVE_SESSION, "s1", frozenset({moderation.ContentKind.QUESTION}))
WATCHED = moderation.WatchList(
    (
        moderation.WatchedTerm("idiot", moderation.TermAction.BLOCK),
        moderation.WatchedTerm("traitor", moderation.TermAction.HOLD, moderation.Category.HATE),
        moderation.WatchedTerm("buy now", moderation.TermAction.FLAG, moderation.Category.SPAM),
    )
)
POLICY = moderation.Policy(watchlist=WATCHED)


def reasons(text, *, author=None, kind=KIND, context=None, history=(), title=None, policy=POLICY):
    submission = moderation.Submission(kind, text, context or moderation.Context(), title)
    past = moderation.AuthorHistory(tuple(history))
    verdict = moderation.evaluate(submission, author or member(), policy, past, NOW)
    return [(r, kind, submission.context) for r in verdict.reasons + verdict.flags]


def cases():
    spam = moderation.fingerprint("the very same text again")
    many = [moderation.PastPost(NOW - timedelta(seconds=10 * n), f"fp{n}") for n in range(5)]
    return [
        *reasons("   "),
        *reasons("x" * 6000),
        *reasons("bad\x00text"),
        *reasons("abc\u202edef"),
        *reasons("a" + "\u0301" * 9),
        *reasons("fine words", history=many),
        *reasons("the very same text again", history=[moderation.PastPost(NOW - timedelta(minutes=3), spam)]),
        *reasons("hello", author=newcomer()),
        *reasons("see http://a.example and http://b.example", author=newcomer(approved_posts=3)),
        *reasons("When?", kind=moderation.ContentKind.QUESTION, context=LIVE),
        *reasons("you idiot"),
        *reasons("you 1d10t"),
        *reasons("a traitor"),
        *reasons("my site http://x.example", kind=moderation.ContentKind.DISPLAY_NAME),
    ]


def test_every_case_gives_a_reason():
    codes = {r.code for r, _, _ in cases()}
    assert len(codes) >= 12


@pytest.mark.parametrize("case", range(len(cases())))
def test_in_english_it_is_the_engines_sentence(app, case):
    reason, kind, context = cases()[case]
    with app.test_request_context("/en/"), force_locale("en"):
        assert author_message(reason, kind, context) == reason.message


def test_in_welsh(app):
    (blocked, kind, context), *_ = reasons("you idiot")
    with app.test_request_context("/cy/"), force_locale("cy"):
        said = author_message(blocked, kind, context)
    assert said.startswith("Does dim modd cyhoeddi eich ateb")
    assert "“idiot”" in said and "camdriniaeth neu aflonyddu" in said


def test_a_welsh_wait(app):
    many = [moderation.PastPost(NOW - timedelta(seconds=10 * n), f"fp{n}") for n in range(5)]
    ((limited, kind, context),) = reasons("fine words", history=many)
    with app.test_request_context("/cy/"), force_locale("cy"):
        said = author_message(limited, kind, context)
    assert "Rydych chi'n postio'n rhy gyflym" in said


def test_a_display_name_is_refused_in_welsh(app):
    from debate.errors import ValidationError
    from debate.services.moderation import screening

    with app.test_request_context("/cy/"), force_locale("cy"), pytest.raises(ValidationError) as refused:
        screening.display_name("www.example.com")
    assert refused.value.message == "Chaiff enwau arddangos ddim cynnwys dolenni."
