"""'Download my data' and 'delete my account' through the privacy registry."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from debate.errors import ValidationError
from debate.extensions import db
from debate.models import LoginSession, RepresentativeProfile, Role, User
from debate.services import privacy
from debate.services.accounts import credentials as accounts
from tests.conftest import PASSWORD


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def recorded_section():
    """A temporary feature in the registry that records how and when its eraser ran."""
    calls: list[dict] = []

    def eraser(user: User, remove_content: bool) -> None:
        calls.append(
            {
                "user_id": user.id,
                "remove_content": remove_content,
                "display_name": user.display_name,
                "email": user.email,
                "deleted_at": user.deleted_at,
            }
        )

    privacy.register("zz_test_feature", "Test data.", lambda user: {"mine": user.id}, eraser)
    yield calls
    privacy._REGISTRY.pop("zz_test_feature", None)


# --- export -------------------------------------------------------------------------------


def test_export_has_account_with_email_but_never_the_password_hash(app, make_user):
    user = make_user(name="Grace Hopper")
    export = privacy.export_user(user)
    account = export["sections"]["account"]["data"]
    assert account["email"] == user.email
    assert account["display_name"] == "Grace Hopper"
    assert account["role"] == "resident"
    text = json.dumps(export)
    assert user.password_hash not in text
    assert user.password_hash.split("$")[-1] not in text  # not even the hash's digest
    assert "password_hash" not in text


def test_export_lists_sign_ins_with_browser_name_only(app, make_user):
    user = make_user()
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
    login = accounts.start_login_session(user, agent)
    accounts.sign_out(login.nonce)
    [entry] = privacy.export_user(user)["sections"]["sign_ins"]["data"]
    assert entry["browser"] == "Firefox"  # the privacy page promises the browser's name only
    assert "Linux" not in json.dumps(privacy.export_user(user))
    assert entry["signed_in_at"].endswith("Z")
    assert entry["signed_out_at"] is not None


def test_export_includes_only_own_sign_ins(app, make_user):
    user, other = make_user(), make_user()
    accounts.start_login_session(other, "OtherBrowser")
    assert privacy.export_user(user)["sections"]["sign_ins"]["data"] == []


def test_export_includes_representative_profile(app, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    profile = privacy.export_user(rep)["sections"]["account"]["data"]["representative_profile"]
    assert profile["area"] == "Riverside ward"
    assert profile["verified_at"] is not None


def test_export_includes_registered_features(app, make_user, recorded_section):
    user = make_user()
    assert privacy.export_user(user)["sections"]["zz_test_feature"]["data"] == {"mine": user.id}
    assert "zz_test_feature" in [s.name for s in privacy.sections()]


# --- deletion -----------------------------------------------------------------------------


def test_delete_user_anonymises_the_account(app, make_user):
    user = make_user(name="Grace Hopper")
    email = user.email
    accounts.start_login_session(user, "Browser")
    privacy.delete_user(user, password_ok=True, remove_content=False)
    user = reload(user)
    assert user.deleted_at is not None
    assert user.display_name == "former member"
    assert user.public_name == "former member"
    assert email not in user.email and email.split("@")[0] not in user.email
    assert accounts.find_by_email(email) is None
    assert count(LoginSession) == 0
    assert count(User) == 1  # the row stays so content can say "former member"


def test_deleted_user_cannot_sign_in_or_reset(app, make_user):
    user = make_user()
    email = user.email
    privacy.delete_user(user, password_ok=True, remove_content=False)
    with pytest.raises(ValidationError):
        accounts.authenticate(email, PASSWORD)
    with pytest.raises(ValidationError):
        accounts.authenticate(reload(user).email, PASSWORD)
    assert not accounts.password_matches(reload(user), PASSWORD)


def test_delete_representative_removes_profile(app, make_user):
    rep = make_user(Role.REPRESENTATIVE)
    privacy.delete_user(rep, password_ok=True, remove_content=False)
    assert count(RepresentativeProfile) == 0
    assert not reload(rep).is_verified_representative


def test_deleted_email_can_register_again(app, make_user):
    user = make_user()
    email = user.email
    privacy.delete_user(user, password_ok=True, remove_content=False)
    with app.test_request_context():
        accounts.register("New Person", email, PASSWORD, PASSWORD)
    again = accounts.find_by_email(email)
    assert again is not None and again.id != user.id


def test_wrong_password_changes_nothing(app, make_user, recorded_section):
    user = make_user(name="Grace Hopper")
    email = user.email
    accounts.start_login_session(user)
    with pytest.raises(ValidationError) as info:
        privacy.delete_user(user, password_ok=False, remove_content=True)
    assert info.value.field == "password"
    user = reload(user)
    assert (user.display_name, user.email, user.deleted_at) == ("Grace Hopper", email, None)
    assert count(LoginSession) == 1
    assert recorded_section == []


def test_deleting_twice_is_refused(app, make_user, recorded_section):
    user = make_user()
    privacy.delete_user(user, password_ok=True, remove_content=False)
    with pytest.raises(ValidationError):
        privacy.delete_user(reload(user), password_ok=True, remove_content=False)
    assert len(recorded_section) == 1


@pytest.mark.parametrize("remove_content", [True, False])
def test_registered_eraser_runs_before_account_is_anonymised(app, make_user, recorded_section, remove_content):
    user = make_user(name="Grace Hopper")
    email = user.email
    privacy.delete_user(user, password_ok=True, remove_content=remove_content)
    assert recorded_section == [
        {
            "user_id": user.id,
            "remove_content": remove_content,
            "display_name": "Grace Hopper",
            "email": email,
            "deleted_at": None,
        }
    ]
    assert reload(user).display_name == "former member"
