"""Helpers shared by the model modules."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC 'now': SQLite keeps no time zone, so we store naive UTC everywhere."""
    return datetime.now(UTC).replace(tzinfo=None)
