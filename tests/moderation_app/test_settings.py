"""Moderation settings: the engine's Policy as JSON, validated by Policy.from_dict, cached by revision."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

import moderation
from debate.errors import PermissionDenied, ValidationError
from debate.extensions import db
from debate.models import Role
from debate.models.moderation import AuditEntry, ModerationSettings
from debate.services import publishing
from debate.services.moderation import screening as moderation_screening
from debate.services.moderation import settings as moderation_settings


def form(**overrides) -> MultiDict:
    values = {
        "term-0": "idiot",
        "action-0": "block",
        "category-0": "abuse_harassment",
        "term-1": "buy now",
        "action-1": "flag",
        "category-1": "spam",
        "term-2": "",
        "action-2": "hold",
        "category-2": "abuse_harassment",
        "hold_first_posts": "1",
        "max_links": "2",
        "links_action": "reject",
        "duplicate_minutes": "5",
        "rate-posts-0": "4",
        "rate-minutes-0": "1",
        "rate-posts-1": "",
        "rate-minutes-1": "",
        "flag_threshold": "2.5",
    }
    values.update(overrides)
    return MultiDict(values)


def test_defaults_until_an_admin_saves(app):
    assert moderation_settings.current_policy() == moderation.Policy()
    assert publishing.policy() == moderation.Policy()


def test_saving_the_form_changes_the_policy_everyone_uses(app, make_user):
    admin = make_user(Role.ADMIN)
    saved = moderation_settings.save_form(admin, form())
    policy = publishing.policy()
    assert policy == saved
    assert [(t.text, t.action.value) for t in policy.watchlist.terms] == [("idiot", "block"), ("buy now", "flag")]
    assert policy.new_accounts.hold_first_posts == 1 and policy.new_accounts.max_links == 2
    assert policy.new_accounts.links_action.value == "reject"
    assert policy.duplicates.window.total_seconds() == 300
    assert [(r.max_posts, r.per.total_seconds()) for r in policy.rate_limits] == [(4, 60)]
    assert policy.flags.threshold == 2.5
    row = db.session.get(ModerationSettings, 1)
    assert row.updated_by_id == admin.id and row.policy["flags"]["threshold"] == 2.5
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "policy_changed")).one()
    assert entry.actor_id == admin.id
    assert entry.before["flags.threshold"] == 3.0 and entry.after["flags.threshold"] == 2.5
    assert entry.after["watchlist.terms"] == ["idiot (block, abuse_harassment)", "buy now (flag, spam)"]
    assert "limits.reply" not in entry.after  # only what changed
    values = moderation_settings.form_values(policy)
    assert values["terms"][0] == ("idiot", "block", "abuse_harassment", "") and values["flag_threshold"] == "2.5"


def test_removing_a_term(app, make_user):
    admin = make_user(Role.ADMIN)
    moderation_settings.save_form(admin, form())
    moderation_settings.save_form(admin, form(**{"remove-0": "yes"}))
    assert [t.text for t in publishing.policy().watchlist.terms] == ["buy now"]


def test_another_process_saving_is_seen_through_the_revision(app, make_user):
    admin = make_user(Role.ADMIN)
    moderation_settings.save_form(admin, form())
    row = db.session.get(ModerationSettings, 1)
    data = dict(row.policy)
    data["flags"] = {**data["flags"], "threshold": 7.0}
    row.policy, row.revision = data, "changed-elsewhere"
    db.session.commit()
    assert publishing.policy().flags.threshold == 7.0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"action-1": "explode"}, "action-1", "expected one of"),
        ({"category-0": "rudeness"}, "category-0", "expected one of"),
        ({"term-1": "!!"}, "term-1", "no letters or digits"),
        ({"term-1": "a*b"}, "term-1", "only a trailing *"),
        ({"hold_first_posts": "-1"}, "hold_first_posts", "whole number"),
        ({"max_links": "lots"}, "max_links", "whole number"),
        ({"links_action": "publish"}, "links_action", "hold or reject"),
        ({"flag_threshold": "0"}, "flag_threshold", "above 0"),
        ({"flag_threshold": "three"}, "flag_threshold", "number"),
        ({"rate-posts-0": "0"}, "rate-posts-0", "at least 1 post"),
        ({"duplicate_minutes": ""}, "duplicate_minutes", "whole number"),
    ],
)
def test_invalid_settings_are_refused_naming_the_field(app, make_user, overrides, field, message):
    admin = make_user(Role.ADMIN)
    with pytest.raises(ValidationError) as caught:
        moderation_settings.save_form(admin, form(**overrides))
    assert caught.value.field == field
    assert message in caught.value.message
    assert db.session.get(ModerationSettings, 1) is None


def test_term_errors_point_at_the_right_row_after_blank_rows(app, make_user):
    admin = make_user(Role.ADMIN)
    bad = form(
        **{
            "term-2": "",
            "term-3": "ok",
            "action-3": "hold",
            "category-3": "spam",
            "term-4": "x*y",
            "action-4": "hold",
            "category-4": "spam",
        }
    )
    with pytest.raises(ValidationError) as caught:
        moderation_settings.save_form(admin, bad)
    assert caught.value.field == "term-4"


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REPRESENTATIVE, Role.MODERATOR])
def test_only_admins_change_settings(app, make_user, role):
    with pytest.raises(PermissionDenied):
        moderation_settings.save_form(make_user(role), form())


def test_display_names_are_screened_by_the_engine(app, make_user):
    admin = make_user(Role.ADMIN)
    moderation_settings.save_form(admin, form(**{"term-2": "troll", "action-2": "hold"}))
    assert moderation_screening.display_name("Jo Bloggs") == "Jo Bloggs"
    with pytest.raises(ValidationError) as caught:
        moderation_screening.display_name("Ｉｄｉｏｔ Face")
    assert caught.value.field == "display_name" and "can't be published" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        moderation_screening.display_name("Big Troll")
    assert "Please choose another display name." in caught.value.message
    assert "moderator will check" not in caught.value.message
    with pytest.raises(ValidationError, match="can't contain links"):
        moderation_screening.display_name("visit example.com")
