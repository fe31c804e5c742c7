"""Socket.IO handlers. Each module registers its events when imported."""


def register() -> None:
    """Import the handler modules so their decorators run (called by the factory)."""
    from debate.realtime import account  # noqa: F401
