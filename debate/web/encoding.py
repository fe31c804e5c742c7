"""Refuse a request whose text is not valid UTF-8, before anything reads it.

Werkzeug decodes a form body or query string that is not valid UTF-8 with an
error handler that keeps the bad bytes as literal percent-escapes ("caf%C3"),
and multipart fields with U+FFFD, so overlong forms, CESU-8 surrogates and
truncated sequences were stored as text in names, replies and questions. This
hook checks the raw bytes (query string; urlencoded, multipart and JSON bodies)
and answers 400 with a clear message instead, so nothing is stored.

Socket.IO traffic never reaches Flask (python-engineio answers /socket.io/ itself).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from debate.errors import InvalidEncoding

MESSAGE = _l(
    "What you sent is not valid UTF-8 text: some of its bytes do not spell any character. "
    "Nothing was saved. Please go back, check the text (or paste it again) and send it again."
)


def init_app(app: Flask) -> None:
    # First of all hooks: CSRF protection reads the form, and reading it decodes it.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_invalid_utf8)


def refuse_invalid_utf8() -> None:
    if not _percent_encoded_is_utf8(request.query_string) or not _body_is_utf8():
        raise InvalidEncoding(MESSAGE)


def _body_is_utf8() -> bool:
    mimetype = request.mimetype
    if mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data", "application/json"):
        return True
    body = request.get_data(cache=True)  # the form parser reads this cached copy afterwards
    if mimetype == "application/x-www-form-urlencoded":
        return _percent_encoded_is_utf8(body)
    if mimetype == "multipart/form-data":
        boundary = request.mimetype_params.get("boundary", "")
        return not boundary or _fields_are_utf8(body, boundary.encode("latin-1", "replace"))
    return _is_utf8(body)


def _percent_encoded_is_utf8(raw: bytes) -> bool:
    return _is_utf8(unquote_to_bytes(raw.replace(b"+", b" ")))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")  # strict: refuses overlong forms, surrogates (CESU-8) and cut sequences
    except UnicodeDecodeError:
        return False
    return True


def _fields_are_utf8(body: bytes, boundary: bytes) -> bool:
    """Each text field of a multipart body (files are bytes and are not checked)."""
    decoder = MultipartDecoder(boundary)
    decoder.receive_data(body)
    decoder.receive_data(None)
    part: Field | File | None = None
    chunks: list[bytes] = []
    try:
        event = decoder.next_event()
        while not isinstance(event, Epilogue | NeedData):
            if isinstance(event, Field | File):
                part, chunks = event, []
            elif isinstance(event, Data):
                chunks.append(event.data)
                if not event.more_data and isinstance(part, Field) and not _is_utf8(b"".join(chunks)):
                    return False
            event = decoder.next_event()
    except ValueError:
        return True  # malformed multipart: the form parser refuses it with its own 400
    return True
