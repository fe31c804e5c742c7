"""The / connect's login check (`accounts.signed_in_id`): the rule of `signed_in_user`, answering with the id."""

from __future__ import annotations

from debate.extensions import db
from debate.services.accounts import credentials, logins


def test_the_id_of_a_live_login_and_none_for_an_ended_one_or_another_account(app, make_user):
    member, other = make_user(), make_user()
    login = credentials.start_login_session(member)
    db.session.commit()
    assert credentials.signed_in_id(login.nonce, str(member.id)) == member.id
    assert credentials.signed_in_user(login.nonce, str(member.id)).id == member.id
    assert credentials.signed_in_id(login.nonce, str(other.id)) is None  # the cookie names another account
    assert credentials.signed_in_id(login.nonce, "not a number") is None
    assert credentials.signed_in_id(None, str(member.id)) is None
    logins.end(member, logins.SIGNED_OUT, only=login.nonce)
    db.session.commit()
    assert credentials.signed_in_id(login.nonce, str(member.id)) is None
    assert credentials.signed_in_user(login.nonce, str(member.id)) is None
