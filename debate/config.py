"""Configuration from environment variables, with safe defaults.

Every setting a deployer may change is read here and nowhere else, so the
README's configuration table can be checked against one file.
"""

from __future__ import annotations

import os
import secrets
import socket
import uuid
from pathlib import Path

# This server process, unique across hosts, restarts and reused pids: its presence rows in live rooms,
# and its connections in pg_stat_activity, carry it.
PROCESS = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, or one generated once per instance.

    A generated key is kept in the instance folder (never in the repo) so that
    sessions survive a restart of a development server.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load(instance_path: str) -> dict:
    """Build the Flask config mapping for this process."""
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{Path(instance_path) / 'commonground.sqlite'}")
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    https = _bool("HTTPS", False)
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "DB_PING_IDLE_S": _non_negative("DB_PING_IDLE_S", 2),  # PostgreSQL: debate/pool_checks.py
        "WARM_UP": _bool("WARM_UP", True),  # `python -m debate` compiles templates before it listens (debate/warmup.py)
        "REDIS_URL": redis_url,
        # Redis pub/sub channels ignore the db number: sites sharing one Redis need channels of their own.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "flask-socketio"),
        "SITE_NAME": os.environ.get("SITE_NAME", "Common Ground"),
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Your Council"),
        # The council's name in Welsh ("Cyngor Sir ..."), shown on Welsh pages and in Welsh emails; empty: the
        # Welsh of the default name when COUNCIL_NAME is the default, else COUNCIL_NAME as it is.
        "COUNCIL_NAME_CY": os.environ.get("COUNCIL_NAME_CY", ""),
        # Equality monitoring: the council's wards (comma-separated; none: the ward is not asked), whether
        # "Under 16" is offered, and the smallest count a report shows (never below 10: lower values are raised).
        "EQUALITY_WARDS": tuple(w.strip() for w in os.environ.get("EQUALITY_WARDS", "").split(",") if w.strip()),
        "EQUALITY_UNDER_16": _bool("EQUALITY_UNDER_16", False),
        "EQUALITY_MIN_CELL": max(10, _int("EQUALITY_MIN_CELL", 10)),
        "SERVER_URL": os.environ.get("SERVER_URL", f"http://127.0.0.1:{_int('PORT', 5000)}"),
        "ALLOWED_ORIGINS": _origins(),
        # Reverse proxies in front (nginx: 1). Their X-Forwarded-For/-Proto are then believed, so rate
        # limits count each client's address, not the proxy's. 0 (direct): such headers are ignored.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Common Ground <no-reply@localhost>"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_IDLE_MINUTES", 120) * 60,
        # An unchanged session's cookie is re-sent (its idle expiry moved along) at most this often.
        "SESSION_REFRESH_MINUTES": _int("SESSION_REFRESH_MINUTES", 5),
        "SESSION_ABSOLUTE_HOURS": _int("SESSION_ABSOLUTE_HOURS", 24),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _int("LOGIN_LOCK_MINUTES", 15),
        "TOKEN_MAX_AGE_HOURS": _int("TOKEN_MAX_AGE_HOURS", 24),
        "SOCKET_CONNECTIONS_PER_USER": _int("SOCKET_CONNECTIONS_PER_USER", 10),
        "FORUM_EDIT_MINUTES": _int("FORUM_EDIT_MINUTES", 30),
        "MODERATOR_ALERT_EMAIL_MINUTES": _int("MODERATOR_ALERT_EMAIL_MINUTES", 30),
        # Live Q&A: the council's time zone (forms and pages), how often vote counts and the
        # participant count are broadcast (milliseconds; 0 sends each change at once, as tests do).
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/London"),
        "LIVE_FLUSH_MS": _int("LIVE_FLUSH_MS", 200),
        "LIVE_CATCH_UP_MAX": _int("LIVE_CATCH_UP_MAX", 500),
        # A server process that has not refreshed its participant count for this long (killed) stops counting.
        "LIVE_PRESENCE_STALE_S": _int("LIVE_PRESENCE_STALE_S", 30),
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or None,
        # How often opinion groups and the bridging order are recomputed after votes (milliseconds; 0 at once,
        # in the request, as tests do; below 0 never by itself). See services/recompute.py.
        "RECOMPUTE_MS": _int("RECOMPUTE_MS", 2000),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }


def _origins() -> list[str]:
    """Origins allowed to open a socket: the site's own, never '*'."""
    if os.environ.get("SERVER_URL"):
        extra = os.environ.get("ALLOWED_ORIGINS", "")
        return [os.environ["SERVER_URL"].rstrip("/")] + [o.strip() for o in extra.split(",") if o.strip()]
    port = _int("PORT", 5000)
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def _engine_options(url: str) -> dict:
    """Pool settings: PostgreSQL gets a bounded pool per process, SQLite a busy timeout.

    Under gevent every socket event and request is a greenlet that holds a
    connection only while it talks to the database (psycopg sees gevent's
    monkey-patching and waits cooperatively), so a small pool serves
    thousands of sockets. Each process has its own pool: with N processes,
    N x (DB_POOL_SIZE + DB_MAX_OVERFLOW), plus the cron commands, must stay
    under PostgreSQL's max_connections (docs/deploy.md). A greenlet waits at
    most DB_POOL_TIMEOUT seconds for a connection, then its event fails with
    a server error rather than queueing behind a stuck database; connections
    idle for DB_PING_IDLE_S are checked before use (a restarted or failed-over
    server: debate/pool_checks.py) and all are renewed every DB_POOL_RECYCLE
    seconds (idle-killing proxies and firewalls).
    """
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {
        "pool_size": _positive("DB_POOL_SIZE", 10),
        "max_overflow": _int("DB_MAX_OVERFLOW", 10),
        "pool_timeout": _positive("DB_POOL_TIMEOUT", 10),
        "pool_recycle": _positive("DB_POOL_RECYCLE", 1800),
        # pg_stat_activity then says which process holds which connection.
        "connect_args": {"application_name": f"commonground {PROCESS}"[:63], "connect_timeout": 10},
    }


def _non_negative(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 0:
        raise ValueError(f"{name} must be 0 or a positive whole number, not {value}.")
    return value


def _positive(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value}.")
    return value
