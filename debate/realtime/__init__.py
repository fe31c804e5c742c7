"""Socket.IO handlers. Each module registers its events when imported."""


def register() -> None:
    """Import the handler modules so their decorators run.

    Called by the factory BEFORE `socketio.init_app`: while no server exists,
    Flask-SocketIO collects decorated handlers in `socketio.handlers`, and every
    `init_app` (each app built in a process, e.g. each test's) binds them to its
    new server. Imports run once per process.
    """
    from debate.realtime import (  # noqa: F401
        account,
        agreement,
        forums,
        live,
        polls,
        staff,
    )
    from debate.realtime.frames import bound_messages, decline_compression

    decline_compression()
    bound_messages()
