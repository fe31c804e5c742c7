"""What one Socket.IO message may carry, enforced on both transports with an answer, not a hang.

The limit is MAX_MESSAGE_BYTES of UTF-8 (docs/realtime.md, "Limits"). python-engineio 4.15.1 enforces
its `max_http_buffer_size` itself, but not in a way a client can act on; this module answers instead.

Long-polling POST bodies (`PollingBodies`, a WSGI middleware in front of Flask-SocketIO's):

- Over the limit, python-engineio raises ContentTooLongError and calls `Server.disconnect(sid)`, whose
  `Socket.close()` waits (`queue.join()`) until a long-polling GET has taken the CLOSE packet from the
  session's queue. A client that only POSTs never sends that GET, so the POST was never answered and its
  connection and file handle stayed open for good (30 such requests: 30 sockets held). It is the same
  unbounded wait described upstream in miguelgrinberg/python-engineio#60 (close(wait=True) with no one
  left to drain the queue); the maintainer's remedy for a socket that is going away is close(wait=False)
  (python-engineio#15), and Node's engine.io answers 413 (socketio/socket.io#4293). So do we.
- Not UTF-8, python-engineio's `.decode('utf-8')` raises, its catch-all logs a traceback and answers
  200 "ok" (python-engineio#275): the client's packets were lost without a word. We answer 400.

Either way the answer says why, asks the client to close the connection, and ends the Engine.IO session
without waiting (the client reconnects, as after any transport error).

Websocket messages: see frames.py (the same limit and sentences, as close reasons).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

import engineio

log = logging.getLogger("commonground.realtime")

MAX_MESSAGE_BYTES = 64 * 1024

TOO_LARGE = f"Too large: one message may carry at most {MAX_MESSAGE_BYTES:,} bytes."
NOT_UTF8 = "Not valid UTF-8: messages must be UTF-8 text."
BAD_LENGTH = "The Content-Length header is not a number."


class PollingBodies:
    """Read a long-polling POST body within the limit, check it is UTF-8, then let Engine.IO have it."""

    def __init__(self, app: Callable, server: engineio.Server, path: str = "socket.io") -> None:
        self.app = app
        self.server = server
        self.prefix = f"/{path.strip('/')}/"

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").startswith(self.prefix):
            return self.app(environ, start_response)
        refusal = self._read(environ)
        if refusal is None:
            return self.app(environ, start_response)
        status, message = refusal
        self._end_session(environ, status)
        body = message.encode()
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
        start_response(status, [*headers, ("Connection", "close")])
        return [body]

    def _read(self, environ: dict) -> tuple[str, str] | None:
        """Replace the body with the bytes read, or say why it is refused (never reading more than the limit)."""
        declared = environ.get("CONTENT_LENGTH") or None
        try:
            length = None if declared is None else int(declared)
        except ValueError:
            return "400 Bad Request", BAD_LENGTH
        if length is not None and length > MAX_MESSAGE_BYTES:
            return "413 Content Too Large", TOO_LARGE
        # Without a length (chunked), read one byte past the limit to know whether it was passed.
        body = environ["wsgi.input"].read(MAX_MESSAGE_BYTES + 1 if length is None else length)
        if len(body) > MAX_MESSAGE_BYTES:
            return "413 Content Too Large", TOO_LARGE
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return "400 Bad Request", NOT_UTF8
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def _end_session(self, environ: dict, status: str) -> None:
        """Close the polling session the body was meant for, without waiting for a poll to collect it."""
        sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [None])[0]
        socket = self.server.sockets.get(sid) if sid else None
        log.info("socket polling post refused: status=%s session_known=%s", status.split()[0], socket is not None)
        if socket is not None and not socket.upgraded:
            socket.close(wait=False, reason=self.server.reason.TRANSPORT_ERROR)


def install(app, server) -> None:
    """Put the limits in front of this app's Socket.IO server (`socketio.server`, after `init_app`).

    Websocket messages are bounded process-wide by frames.bound_messages (realtime.register).
    """
    app.wsgi_app = PollingBodies(app.wsgi_app, server.eio)
