"""The logs keep no client addresses (templates/privacy.html; docs/deploy.md, "Logs and privacy").

The server process's own access and error lines are written without one (debate/__main__.py). Libraries
that log through `logging` and name the client are filtered here: Flask-Limiter names the key of a limit
that was hit, which is the client's address, and Werkzeug's development server (`flask run`) starts each
request line with it. Rate limits still count per address, in memory or Redis, for the length of their
window only.
"""

from __future__ import annotations

import ipaddress
import logging

NAMING_CLIENTS = ("flask-limiter", "werkzeug")


class WithoutAddresses(logging.Filter):
    """Replace any argument of a log record that is an IP address with "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_withheld(arg) for arg in record.args)
        return True


def _withheld(value):
    if isinstance(value, str):
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return value
        return "-"
    return value


def keep_no_addresses() -> None:
    """Filter the loggers that name clients (once per process: apps are built many times in tests)."""
    for name in NAMING_CLIENTS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, WithoutAddresses) for f in logger.filters):
            logger.addFilter(WithoutAddresses())
