"""Do the account forms take as long for an address that has an account as for one that has none?

Registering, signing in with a wrong password (including the attempt that pauses the address and emails
its owner) and asking for a reset link must not tell anyone whether an address has an account: not by
what they answer (tests/web/test_auth_pages.py) and not by how long they take. This posts each form
through the app (Flask's test client, production Argon2 settings, a fresh SQLite database) for an
address with an account and one without, alternately, and prints the median time of each and their
ratio. Twice: with emails written to the log (no MAIL_SERVER), and with an SMTP server that takes
--smtp-ms to answer (a fake, in this process), which is where sending in the request would show.

Run: .venv/bin/python bench/account_timing.py [--rounds 15] [--smtp-ms 200]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import smtplib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from debate import create_app
from debate.demo import seeding
from debate.extensions import db
from debate.services.accounts import credentials as accounts

PASSWORD = "a long enough benchmark password"  # noqa: S105 - the bench's own accounts
_numbers = itertools.count(1)


class SlowSMTP:
    """Takes `delay` seconds to connect, as a remote mail server does; sends nowhere."""

    delay = 0.2

    def __init__(self, *args, **kwargs):
        time.sleep(self.delay)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, *args):
        pass

    def send_message(self, msg):
        pass


def app_on(tmp: str, smtp: bool):
    os.environ.setdefault("SECRET_KEY", "bench-account-timing")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/timing-{'smtp' if smtp else 'log'}.sqlite",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SOCKETIO_ASYNC_MODE": "threading",
            "SERVER_URL": "http://127.0.0.1",
            "MAIL_SERVER": "smtp.bench.invalid" if smtp else None,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def timed(app, path: str, data: dict) -> float:
    client = app.test_client()  # a browser of its own each time: nobody is signed in by an earlier form
    started = time.perf_counter()
    response = client.post(path, data=data)
    took = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 302, 400, 429), (path, response.status_code)
    return took


def fresh(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}@bench.example.org"


def owner(app) -> str:
    address = fresh("owner")
    with app.app_context():
        seeding.create_admin(f"Owner {next(_numbers)}", address, PASSWORD)  # any account will do
    return address


def measure(app, rounds: int) -> list[tuple[str, list[float], list[float]]]:
    rows = []
    register, forgot, wrong, locking = ([], []), ([], []), ([], []), ([], [])
    for _ in range(rounds):
        taken = owner(app)
        for side, address in enumerate((taken, fresh("new"))):
            form = {"display_name": f"Bench Person {next(_numbers)}", "email": address}
            register[side].append(timed(app, "/register", {**form, "password": PASSWORD, "confirm": PASSWORD}))
        for side, address in enumerate((taken, fresh("nobody"))):
            forgot[side].append(timed(app, "/forgot", {"email": address}))
        for side, address in enumerate((owner(app), fresh("nobody"))):
            for attempt in range(app.config["LOGIN_MAX_FAILURES"]):
                took = timed(app, "/login", {"email": address, "password": "not the password"})
                (locking if attempt == app.config["LOGIN_MAX_FAILURES"] - 1 else wrong)[side].append(took)
    rows.append(("register", *register))
    rows.append(("forgotten password", *forgot))
    rows.append(("wrong password", *wrong))
    rows.append(("the wrong password that pauses", *locking))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--smtp-ms", type=int, default=200)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the emails written to the log would flood the output
    SlowSMTP.delay = args.smtp_ms / 1000
    smtplib.SMTP = SlowSMTP  # type: ignore[misc] - a fake mail server for this process only
    print(f"Argon2: time_cost={accounts._hasher.time_cost}, memory_cost={accounts._hasher.memory_cost} KiB")
    with tempfile.TemporaryDirectory() as tmp:
        for smtp in (False, True):
            label = f"SMTP answering in {args.smtp_ms} ms" if smtp else "emails written to the log"
            print(f"\n{label}: median ms over {args.rounds} rounds (address with an account / without)")
            print(f"  {'form':<32} {'account':>9} {'none':>9} {'ratio':>7}")
            for name, has, hasnt in measure(app_on(tmp, smtp), args.rounds):
                a, b = statistics.median(has), statistics.median(hasnt)
                print(f"  {name:<32} {a:>9.1f} {b:>9.1f} {a / b:>7.2f}")


if __name__ == "__main__":
    main()
