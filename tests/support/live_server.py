"""Start a real Common Ground server process (gevent, as the README runs it).

Used by the browser tests, the real-client socket tests and the multi-process
tests. The server gets its own SQLite file (migrated with `flask db upgrade`),
or a database URL it shares with other processes (then only the first one
migrates: `migrate=False` for the rest), a free port on 127.0.0.1, and its log
(where emails are written) in a file the tests read.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    port: int
    database_url: str
    log_path: Path
    process: subprocess.Popen
    env: dict = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def links(self, path_prefix: str) -> list[str]:
        """Links the server 'emailed' (wrote to its log) whose path starts with the prefix."""
        pattern = re.escape(self.url) + re.escape(path_prefix) + r"[A-Za-z0-9_\-\.]+"
        return re.findall(pattern, self.log())

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run a `flask --app debate` command against this server's database."""
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "debate", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def relax_posting_pace(self) -> None:
        """Let members post 1,000 times a minute, so one test's replies don't use up the next test's pace.

        Journeys sharing one server post as the same demo residents; under the default pace (5 a minute)
        whether a reply is accepted would depend on how quickly the tests before it ran.
        """
        subprocess.run([sys.executable, "-c", RELAX_PACE], cwd=ROOT, env=self.env, check=True, timeout=60)

    def kill(self) -> None:
        """End the process the way a crash or an OOM kill does: no clean-up of any kind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


RELAX_PACE = """
import dataclasses, datetime
import moderation
from debate import create_app
from debate.extensions import db
from debate.models import User
from debate.services.moderation import settings as moderation_settings

with create_app().app_context():
    admin = db.session.query(User).filter_by(email="admin@demo.example.org").one()
    pace = (moderation.RateLimit(1000, datetime.timedelta(minutes=1)),)
    relaxed = dataclasses.replace(moderation_settings.current_policy(), rate_limits=pace)
    moderation_settings.save_policy(admin, relaxed.to_dict())
"""


def start(
    tmp: Path,
    extra_env: dict | None = None,
    database_url: str | None = None,
    port: int | None = None,
    migrate: bool = True,
) -> LiveServer:
    """Start `python -m debate`; with `migrate=False` the database must already be at the heads."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = database_url or f"sqlite:///{tmp / 'live.sqlite'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "live-server-test-key",
            "PORT": str(port),
            "SERVER_URL": url,
            "PYTHONUNBUFFERED": "1",
            "RATELIMIT_ENABLED": "false",
        }
    )
    env.update(extra_env or {})
    if migrate:
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "debate", "db", "upgrade", "heads"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    log_path = tmp / f"server-{port}.log"
    handle = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "debate"], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    server = LiveServer(url, port, database_url, log_path, process, env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log()}")
        try:
            if requests.get(url + "/", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start in 30 s:\n{server.log()}")


def run_seed(server: LiveServer, script: str, *args: str) -> dict:
    """Run a seed script (`python -c`, the app's own services) against the server's database; returns the JSON
    object its last line prints (the ids the tests need)."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_with_demo(tmp: Path) -> LiveServer:
    """A server with the demo content loaded; `server.passwords` maps demo emails to their passwords."""
    server = start(tmp)
    try:
        out = server.flask("demo").stdout
    except Exception:
        server.stop()
        raise
    server.passwords = dict(re.findall(r"(\S+@demo\.example\.org)\s+(\S+)", out))
    return server
