"""Common Ground: moderated, real-time debate between residents and their representatives."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. No side effects beyond wiring: no migrations, no prompts."""
    # Imported here, not at the top: `import debate` (e.g. by a migration or `python -m debate`) must stay cheap.
    from debate import config, extensions, logs, security
    from debate.web import encoding, inputs, languages, register_blueprints

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.update(config.load(app.instance_path))
    if overrides:
        app.config.update(overrides)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logs.keep_no_addresses()

    extensions.db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        from debate import pool_checks

        with app.app_context():
            pool_checks.ping_after_idle(extensions.db.engine, app.config["DB_PING_IDLE_S"])
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    _init_login(app)
    _init_socketio(app)
    security.init_app(app)
    encoding.init_app(app)
    inputs.init_app(app)
    register_blueprints(app)
    languages.init_app(app)  # after the socket layer: its address prefix (/cy/...) wraps everything

    from debate import cli

    cli.init_app(app)
    return app


def _init_login(app: Flask) -> None:
    from flask import session
    from flask_babel import lazy_gettext as _l

    from debate.extensions import login_manager
    from debate.services.accounts.credentials import signed_in_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        """A user is signed in only while their login session is live in the database."""
        return signed_in_user(session.get("login_nonce"), user_id)


def _init_socketio(app: Flask) -> None:
    from debate import realtime
    from debate.extensions import socketio
    from debate.realtime import packets, transport
    from debate.realtime.delivery import gate
    from debate.socket_queue import LocalQueue, RedisQueue

    realtime.register()
    # A message queue set by an earlier app in this process must not leak into this one: each app gets its own.
    socketio.server_options.pop("client_manager", None)
    if app.config["REDIS_URL"]:
        manager = RedisQueue(app.config["REDIS_URL"], channel=app.config["SOCKETIO_CHANNEL"])
    else:
        manager = LocalQueue()
    manager.bind(app, gate)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        client_manager=manager,
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        max_http_buffer_size=transport.MAX_MESSAGE_BYTES,
        serializer=packets.AnsweredPacket,
        json=packets.SafeJSON,
        ping_interval=20,
        ping_timeout=20,
    )
    transport.install(app, socketio.server)
