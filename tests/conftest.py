"""Shared fixtures: an app on a fresh database (SQLite, and PostgreSQL when reachable).

The `app` fixture is parametrised over both backends; the PostgreSQL case
skips with a reason when no server answers on DATABASE_TEST_POSTGRES_URL
(default postgresql://127.0.0.1:5432/test). CI makes sure it answers.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from flask.ctx import RequestContext, _sentinel
from sqlalchemy import create_engine, text

from debate import broadcast, create_app
from debate.extensions import db
from debate.models import Role, User
from debate.services.accounts import credentials as accounts
from tests.support.people import person

POSTGRES_URL = os.environ.get("DATABASE_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "correct horse battery"

# Argon2 at production cost takes ~50 ms a hash; tests hash hundreds of times.
accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    parts = urlsplit(POSTGRES_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1):
            pass
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", with its reason
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}: {exc}"[:300]
    return None


def _migrate_fresh(app) -> None:
    """Build the schema with the Alembic migrations, exactly as production does."""
    from flask_migrate import upgrade

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="heads")


def skip_or_fail(reason: str | None) -> None:
    """Skip when a service is missing, unless CI demands it (CG_REQUIRE_SERVICES=1)."""
    if reason is None:
        return
    if os.environ.get("CG_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def redis_reachable() -> str | None:
    """None when Redis answers PING at REDIS_TEST_URL, else the reason."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", with its reason
        return f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}: {exc}"[:300]
    return None


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    return {
        "sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}",
        "postgresql": POSTGRES_URL,
    }


_migrated: set[str] = set()


class OwnAppContextRequest(RequestContext):
    """A request (or socket event) that pushes its own app context, as in production.

    The `app` fixture keeps an app context pushed for the whole test so tests can
    call services directly; Flask would reuse it for every request, sharing `g`
    (where Flask-Login caches the user) and the DB session between requests and
    clients. This gives each request and event a fresh one.
    """

    def push(self) -> None:
        app_ctx = self.app.app_context()
        app_ctx.push()
        self.__dict__.setdefault("_own_app_ctxs", []).append(app_ctx)
        super().push()

    def pop(self, exc=_sentinel) -> None:
        try:
            super().pop(exc)
        finally:
            self._own_app_ctxs.pop().pop(None if exc is _sentinel else exc)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, database_urls, tmp_path_factory):
    backend = request.param
    if backend == "postgresql":
        skip_or_fail(postgres_reachable())
    instance = tmp_path_factory.mktemp("instance")
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_urls[backend],
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SOCKETIO_ASYNC_MODE": "threading",
            "SERVER_URL": "http://localhost",
            "DB_BACKEND": backend,
            "LIVE_FLUSH_MS": 0,
            "RECOMPUTE_MS": 0,
        }
    )
    app.instance_path = str(instance)
    app.request_context = lambda environ: OwnAppContextRequest(app, environ)
    if backend not in _migrated:
        _migrate_fresh(app)
        _migrated.add(backend)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
    broadcast.use(None)


def _empty_tables() -> None:
    """Every table emptied, children first, and PostgreSQL's id sequences restarted (ids start at 1 again).

    DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE of every table costs 150 ms or more on
    PostgreSQL (it rewrites each table's files) against 5 ms for DELETE and setval; twice per test, that
    was minutes of the suite."""
    db.session.rollback()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    postgresql = db.engine.dialect.name == "postgresql"
    append_only = _append_only() if postgresql else set()
    with db.engine.begin() as conn:
        for name in tables:
            if name in append_only:  # its trigger refuses DELETE; TRUNCATE it, if it holds anything
                if conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():  # noqa: S608 - our names
                    conn.execute(text(f'TRUNCATE "{name}" CASCADE'))
            else:
                conn.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - names from our metadata
        if postgresql:
            restart = ", ".join(f"setval('{seq}', 1, false)" for seq in _catalogue()[0])
            conn.execute(text(f"SELECT {restart}"))


_catalogues: dict[str, tuple[list[str], set[str]]] = {}


def _catalogue() -> tuple[list[str], set[str]]:
    """The test database's id sequences, and its tables with a trigger that refuses DELETE (read once)."""
    url = str(db.engine.url)
    if url not in _catalogues:
        with db.engine.connect() as conn:
            sequences = conn.execute(
                text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences"
                    " WHERE schemaname = current_schema()"
                )
            )
            guarded = conn.execute(
                text("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
            )
            _catalogues[url] = ([row[0] for row in sequences], {row[0].strip('"') for row in guarded})
    return _catalogues[url]


def _append_only() -> set[str]:
    return _catalogue()[1]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a verified user of a role; representatives get a verified profile."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.RESIDENT, name: str | None = None, verified: bool = True) -> User:
        n = next(counter)
        return person(f"{role.value}{n}", role, name or f"{role.value.title()} {n}", PASSWORD, verified)

    return make


@pytest.fixture
def login(client):
    def do(user: User, password: str = PASSWORD):
        return client.post("/login", data={"email": user.email, "password": password})

    return do


@pytest.fixture
def opened():
    """Things to close at teardown (real socket clients, rooms): pass each to `opened(thing)`."""
    things: list = []
    yield things.append
    for thing in things:
        thing.close()


@pytest.fixture
def rate_limits_on(app):
    """Turn rate limits on for this app, with empty counters.

    The app fixture builds the app with RATELIMIT_ENABLED=False, and Flask-Limiter's
    init_app then creates no storage at all, so flipping the config alone is not
    enough: initialise the limiter for this app again with limits on.
    """
    from debate.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def published(app):
    """Record what services publish instead of sending it."""
    events: list[tuple[str, dict, str, str]] = []
    broadcast.use(lambda e, p, r, n: events.append((e, p, r, n)))
    yield events
    broadcast.use(None)


@pytest.fixture(autouse=True)
def _release_db_connections(request):
    """Close the pooled connections of this test's app once it is torn down.

    Every test builds a new app, hence a new engine; left to the garbage
    collector, their idle connections pile up until PostgreSQL refuses more.
    """
    yield
    app = request.node.funcargs.get("app")
    if app is not None:
        with app.app_context():
            db.engine.dispose()


# --- forums (issue 4) ------------------------------------------------------------------------


@pytest.fixture
def forum_policy(app):
    """The moderation policy without the new-account hold and with room for many posts a minute.

    Tests make fresh accounts; under the default policy their first posts wait
    for review. Tests of that rule use `publishing.policy()` defaults directly.
    """
    from datetime import timedelta

    import moderation
    from debate.services import publishing

    previous = publishing._policy_provider
    relaxed = moderation.Policy(
        new_accounts=moderation.NewAccountRules(hold_first_posts=0, max_links=10),
        rate_limits=(moderation.RateLimit(1000, timedelta(minutes=1)),),
    )
    publishing.set_policy_provider(lambda: relaxed)
    yield relaxed
    publishing.set_policy_provider(previous)


@pytest.fixture
def topic(app):
    from debate.models import Topic

    row = Topic(slug="housing", title="Housing", description="Homes, rents and planning.")
    db.session.add(row)
    db.session.commit()
    return row
