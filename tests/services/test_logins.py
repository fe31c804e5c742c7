"""`logins.end`: the one place a login ends, whichever way it ends.

The behaviour over sockets (every way closes the login's sockets, on every process) is tested in
tests/realtime/test_logins_end.py, the real-client tests and tests/integration/test_multiprocess.py.
Here: which rows end, that the sockets are closed only after the commit, and that nothing else in the
code ends a login or closes sockets by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debate import broadcast
from debate.extensions import db
from debate.models import LoginSession
from debate.services.accounts import credentials as accounts
from debate.services.accounts import logins

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def closed(monkeypatch):
    """What `broadcast.close_sockets` was asked to close: (room, reason, keep_room)."""
    calls: list[tuple] = []
    monkeypatch.setattr(broadcast, "close_sockets", lambda *args: calls.append(args))
    return calls


def live_nonces(user) -> set[str]:
    db.session.expire_all()
    return {row.nonce for row in db.session.scalars(select_logins(user)) if row.ended_at is None}


def select_logins(user):
    return db.select(LoginSession).where(LoginSession.user_id == user.id)


def test_end_one_login(app, make_user, closed):
    user = make_user()
    first, second = (accounts.start_login_session(user) for _ in range(2))
    logins.end(user, logins.SIGNED_OUT, only=first.nonce)
    assert closed == []  # nothing is closed before the commit
    db.session.commit()
    assert live_nonces(user) == {second.nonce}
    assert closed == [(broadcast.login_room(first.nonce), "signed_out", None)]


def test_end_all_but_one_login(app, make_user, closed):
    user = make_user()
    kept, other = (accounts.start_login_session(user) for _ in range(2))
    logins.end(user, logins.PASSWORD_CHANGED, keep=kept.nonce)
    db.session.commit()
    assert live_nonces(user) == {kept.nonce}
    assert closed == [(broadcast.user_room(user.id), "password_changed", broadcast.login_room(kept.nonce))]


def test_end_every_login_leaves_other_accounts_alone(app, make_user, closed):
    user, neighbour = make_user(), make_user()
    for person in (user, user, neighbour):
        accounts.start_login_session(person)
    logins.end(user, logins.SANCTIONED)
    db.session.commit()
    assert live_nonces(user) == set() and len(live_nonces(neighbour)) == 1
    assert closed == [(broadcast.user_room(user.id), "sanctioned", None)]


def test_a_rolled_back_change_closes_nothing(app, make_user, closed):
    user = make_user()
    accounts.start_login_session(user)
    logins.end(user, logins.ROLE_CHANGED)
    db.session.rollback()
    db.session.commit()
    assert closed == [] and len(live_nonces(user)) == 1


def test_an_unknown_reason_is_a_mistake(app, make_user):
    with pytest.raises(ValueError, match="unknown reason"):
        logins.end(make_user(), "tired")


def test_nothing_else_ends_a_login_or_closes_sockets():
    """One function: a new way of ending logins that wrote `ended_at` or closed sockets itself would skip
    the other half (the rows, or the sockets on other processes)."""
    offenders = []
    for path in sorted((ROOT / "debate").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative not in ("debate/services/accounts/logins.py", "debate/broadcast.py") and "close_sockets(" in text:
            offenders.append(f"{relative}: close_sockets")
        if relative != "debate/services/accounts/logins.py" and "LoginSession" in text:
            if re.search(r"ended_at\s*=(?!=)|ended_at=|update\(LoginSession\)", text):
                offenders.append(f"{relative}: writes LoginSession.ended_at")
    assert offenders == []
