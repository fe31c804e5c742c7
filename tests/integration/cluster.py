"""Two (or more) real server processes sharing one fresh PostgreSQL database and one Redis.

The production scale-out: `python -m debate` (gevent) N times, REDIS_URL for
the Socket.IO message queue and rate limits, one DATABASE_URL. Each test
module gets a database of its own (`cg_mp_...`, created through an admin
connection and dropped afterwards) and a Socket.IO channel of its own (Redis
pub/sub ignores the db number, so another suite's servers would otherwise
hear ours). Content is seeded with the app's own services by a script run
against the shared database.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL, REDIS_URL, postgres_reachable, redis_reachable, skip_or_fail
from tests.realtime._support import HTTP_TIMEOUT, csrf_token
from tests.support import live_server
from tests.support.live_clients import PASSWORD

PREFIX = "cg_mp_"

SEED = r"""
import json, sys
from dataclasses import replace
from datetime import timedelta
import moderation
from debate import create_app
from debate.extensions import db
from debate.models import Role, Topic
from debate.models.base import utcnow
from debate.services import council_time
from debate.services.forums import posts as forums
from debate.services.live import sessions as live_sessions
from debate.services.moderation import settings as moderation_settings
from tests.support.people import person

PASSWORD = sys.argv[1]
app = create_app()
with app.app_context():
    people = {"host": person("host", Role.ADMIN, "Hana Host", PASSWORD),
              "moderator": person("moderator", Role.MODERATOR, "Mo Mod", PASSWORD),
              "councillor": person("councillor", Role.REPRESENTATIVE, "Cllr Amina Shah", PASSWORD)}
    for n in range(1, 13):
        people[f"r{n}"] = person(f"r{n}", Role.RESIDENT, f"Resident {n}", PASSWORD)
    # New accounts post at once and often here: these tests are about delivery, not the new-account rules.
    policy = replace(moderation.Policy(), new_accounts=moderation.NewAccountRules(hold_first_posts=0, max_links=10),
                     rate_limits=(moderation.RateLimit(1000, timedelta(minutes=1)),))
    moderation_settings.save_policy(people["host"], policy.to_dict())
    starts = council_time.to_local(utcnow() + timedelta(hours=1))
    sessions = {}
    for name, premoderate in (("open", False), ("premoderated", True), ("failover", False), ("nginx", False)):
        form = live_sessions.SessionForm(
            title=f"Several processes: {name}", starts_at=starts.strftime(live_sessions.DATETIME_FORMAT),
            ends_at=(starts + timedelta(hours=2)).strftime(live_sessions.DATETIME_FORMAT),
            panel=[people["councillor"].id], premoderate=premoderate, allow_anonymous=True, chat_slow_seconds=0)
        live = live_sessions.schedule(people["host"], form)
        live_sessions.start(people["host"], live.id)
        sessions[name] = live.id
    db.session.add(Topic(slug="transport", title="Transport", description="Buses, roads and cycling."))
    db.session.commit()
    thread = forums.start_thread(people["r1"], "transport", "The number 12 bus", "It never comes on Sundays.").item
    print(json.dumps({"sessions": sessions, "thread": thread.id}))
"""


def admin_url() -> str:
    """The same server as the test database, connected to `test` (CREATE/DROP DATABASE run outside it)."""
    return make_url(POSTGRES_URL).set(database="test").render_as_string(hide_password=False)


@contextmanager
def fresh_database(name: str):
    """A new, empty PostgreSQL database `cg_mp_<name>_<random>`, dropped afterwards; yields its URL."""
    skip_or_fail(postgres_reachable())
    database = f"{PREFIX}{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def redis_env(channel: str) -> dict[str, str]:
    """The environment of every process of one cluster: shared Redis, a channel of its own."""
    skip_or_fail(redis_reachable())
    return {"REDIS_URL": REDIS_URL, "SOCKETIO_CHANNEL": f"{PREFIX}{channel}"}


def start_processes(tmp: Path, database_url: str, envs: list[dict[str, str]], ports: list[int]) -> list:
    """Start one server per port on the shared database; only the first migrates it."""
    servers = []
    try:
        for n, (env, port) in enumerate(zip(envs, ports, strict=True)):
            servers.append(live_server.start(tmp, extra_env=env, database_url=database_url, port=port, migrate=n == 0))
    except Exception:
        for server in servers:
            server.stop()
        raise
    return servers


def seed(server) -> dict:
    """Load the people, sessions and forum thread with the app's services; returns their ids."""
    return live_server.run_seed(server, SEED, PASSWORD)


@contextmanager
def cluster(tmp: Path, name: str, envs: list[dict[str, str]] | None = None, ports: list[int] | None = None):
    """One server per entry of `envs` (extra environment each; two by default) on one fresh database
    and Redis channel, seeded; yields (servers, seed)."""
    envs = envs or [{}, {}]
    with fresh_database(name) as database_url:
        shared = redis_env(f"{name}_{uuid.uuid4().hex[:8]}")
        redis.Redis.from_url(REDIS_URL).flushdb()  # our own db only: rate-limit counters of earlier runs
        ports = ports or [live_server.free_port() for _ in envs]
        servers = start_processes(tmp, database_url, [{**shared, **env} for env in envs], ports)
        try:
            yield servers, seed(servers[0])
        finally:
            for server in servers:
                server.stop()


def http_as(base_url: str, cookie: str) -> requests.Session:
    """A requests session carrying a login cookie (any process accepts it: one SECRET_KEY, one database)."""
    http = requests.Session()
    http.cookies.set("session", cookie)
    assert http.get(base_url + "/", timeout=HTTP_TIMEOUT).status_code == 200
    return http


def post_form(http: requests.Session, base_url: str, path: str, data: dict | None = None) -> requests.Response:
    token = csrf_token(http.get(base_url + "/", timeout=HTTP_TIMEOUT).text)
    return http.post(base_url + path, data={"csrf_token": token, **(data or {})}, timeout=HTTP_TIMEOUT)


def post_json(http: requests.Session, base_url: str, path: str, data: dict) -> requests.Response:
    token = csrf_token(http.get(base_url + "/", timeout=HTTP_TIMEOUT).text)
    return http.post(base_url + path, json=data, headers={"X-CSRFToken": token}, timeout=HTTP_TIMEOUT)
