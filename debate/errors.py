"""Domain errors raised by services and translated by views and socket handlers.

Each carries a code (stable, for clients) and a message a person can read, in the reader's language: raise
with `gettext(...)` (a message built in the request) or a `lazy_gettext` constant (defined at import time); the
message is made text when the error is raised, in the language of the request (or socket) that raised it.
"""

from __future__ import annotations

from typing import TypeAlias

from flask_babel.speaklater import LazyString

Text: TypeAlias = str | LazyString  # what a message may be given as: text, or a lazy_gettext string


class ServiceError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: Text, field: str | None = None) -> None:
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        data = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        return data


class ValidationError(ServiceError):
    code = "invalid"
    http_status = 400


class InvalidEncoding(ValidationError):
    """A request's bytes are not valid UTF-8 text."""

    code = "invalid_encoding"


class CsrfFailed(ServiceError):
    """A write without the page's CSRF token (or with a wrong one): checked before anything else."""

    code = "csrf_failed"
    http_status = 400


class PermissionDenied(ServiceError):
    code = "forbidden"
    http_status = 403


class NotSignedIn(ServiceError):
    code = "login_required"
    http_status = 401


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class Conflict(ServiceError):
    code = "conflict"
    http_status = 409


class UnknownEvent(ServiceError):
    code = "unknown_event"
    http_status = 404


class RateLimited(ServiceError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, message: Text, field: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message, field)
        self.retry_after = retry_after  # seconds to wait, when known: Retry-After, and "retry_after" in JSON

    def as_dict(self) -> dict:
        data = super().as_dict()
        if self.retry_after is not None:
            data["retry_after"] = self.retry_after
        return data
