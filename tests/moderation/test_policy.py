"""Policy as data: to and from JSON, strict about mistakes, lenient about missing keys."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from moderation import (
    Action,
    Category,
    Policy,
    PolicyError,
    RateLimit,
    TermAction,
    WatchedTerm,
    WatchList,
)


def full_policy() -> Policy:
    terms = (
        WatchedTerm("idiot*", TermAction.BLOCK, Category.ABUSE_HARASSMENT, "insult"),
        WatchedTerm("buy now", TermAction.FLAG, Category.SPAM),
    )
    return Policy(
        rate_limits=(RateLimit(3, timedelta(seconds=90)),),
        watchlist=WatchList(terms, exceptions=("A55",), stretch=False, block_guesses=True),
    )


def test_round_trip_through_json():
    policy = full_policy()
    data = json.loads(json.dumps(policy.to_dict()))
    assert Policy.from_dict(data) == policy


def test_the_stored_form_is_readable():
    data = full_policy().to_dict()
    assert data["rate_limits"] == [{"max_posts": 3, "per": 90}]
    assert data["new_accounts"]["new_for"] == 7 * 86400
    assert data["watchlist"]["terms"][0] == {
        "text": "idiot*",
        "action": "block",
        "category": "abuse_harassment",
        "note": "insult",
        "lang": "",
    }


def test_missing_keys_take_defaults():
    assert Policy.from_dict({}) == Policy()
    assert Policy.from_dict({"limits": {"reply": 100}}).limits.question == 500


def test_a_loaded_watchlist_works():
    policy = Policy.from_dict({"watchlist": {"terms": [{"text": "idiot", "action": "block"}]}})
    assert [m.term.text for m in policy.watchlist.scan("IDIOT")] == ["idiot"]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], "policy"),
        ({"limitz": {}}, "policy.limitz"),
        ({"limits": {"reply": "long"}}, "policy.limits.reply"),
        ({"limits": {"reply": True}}, "policy.limits.reply"),
        ({"limits": {"reply": 0}}, "policy.limits"),
        ({"rate_limits": {"max_posts": 1}}, "policy.rate_limits"),
        ({"rate_limits": [{"max_posts": 0, "per": 60}]}, "policy.rate_limits[0]"),
        ({"rate_limits": [{"max_posts": 1, "per": -5}]}, "policy.rate_limits[0].per"),
        ({"watchlist": {"terms": [{"text": "a*b"}]}}, "policy.watchlist.terms[0]"),
        ({"watchlist": {"terms": [{"text": "x", "action": "delete"}]}}, "policy.watchlist.terms[0].action"),
        ({"new_accounts": {"links_action": "publish"}}, "policy.new_accounts"),
        ({"flags": {"threshold": 0}}, "policy.flags"),
        ({"flags": {"threshold": "3"}}, "policy.flags.threshold"),
        ({"text": {"direction_controls_action": "maybe"}}, "policy.text.direction_controls_action"),
    ],
)
def test_mistakes_name_the_setting(data, path):
    with pytest.raises(PolicyError) as caught:
        Policy.from_dict(data)
    assert caught.value.path == path
    assert str(caught.value).startswith(path)


def test_enum_errors_list_the_choices():
    with pytest.raises(PolicyError, match="expected one of block, hold, flag"):
        Policy.from_dict({"watchlist": {"terms": [{"text": "x", "action": "delete"}]}})


def test_history_window_covers_every_pace_rule():
    assert Policy().history_window() == timedelta(hours=1)
    assert Policy(rate_limits=()).history_window() == timedelta(minutes=10)


def test_policy_change_rejected_action_values():
    assert Policy.from_dict({"new_accounts": {"links_action": "reject"}}).new_accounts.links_action is Action.REJECT
