"""Run the site: `python -m debate` (gevent, chosen by measurement: see docs/architecture.md)."""

from gevent import monkey

monkey.patch_all()

import contextlib  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402

from gevent import pywsgi  # noqa: E402
from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: E402

from debate import create_app, warmup  # noqa: E402
from debate.config import PROCESS  # noqa: E402
from debate.extensions import socketio  # noqa: E402
from debate.services import recompute  # noqa: E402
from debate.services.live import pulse as live_pulse  # noqa: E402

ADDRESS_KEYS = ("REMOTE_ADDR", "REMOTE_PORT")


class Handler(pywsgi.WSGIHandler):
    """gevent's request handler: responses sent at once, a websocket's connection then closed, no address logged.

    TCP_NODELAY: gevent writes a response's headers and its body in two sends. On a kept-alive
    connection (a browser, a proxy's upstream pool) Nagle's algorithm then holds the body back until the
    client acknowledges the headers, and clients delay that acknowledgement by up to 40 ms: every request
    after a connection's first took 44 ms more than it needed (bench/http_pages.py).

    No address: gevent starts every access-log line with the client's address, names it in its error
    lines ("(from ('1.2.3.4', 5678)) Invalid HTTP method") and prints it with the environment of an
    unhandled error. The privacy page promises logs without addresses (debate/logs.py), so each of those
    is written without it.
    """

    def handle(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle()

    def run_application(self) -> None:
        super().run_application()
        if self.environ is not None and self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            # The websocket ran on a duplicate of this socket and has ended: what follows on the
            # connection is not HTTP (gevent read the client's close frame as a request line and
            # answered it 400), and after frames.LingeringSocket has shut the socket down, writing
            # that answer raised BrokenPipeError.
            self.close_connection = True

    def format_request(self) -> str:
        return "- " + super().format_request().split(" ", 1)[1]

    def log_error(self, msg, *args) -> None:
        super().log_error(msg, *("-" if arg == self.client_address else arg for arg in args))

    def handle_error(self, t, v, tb) -> None:
        if self.environ:
            self.environ = {key: value for key, value in self.environ.items() if key not in ADDRESS_KEYS}
        super().handle_error(t, v, tb)


def main() -> None:
    app = create_app()
    if app.config["WARM_UP"]:
        warmup.warm(app)
    # Everything loaded so far lives as long as the process: move it out of the collector's sight, so a
    # full collection walks only what requests create (bench/http_pages.py: p95 of /transparency 110 -> 40 ms).
    gc.collect()
    gc.freeze()
    proxies = app.config["PROXY_COUNT"]
    if proxies > 0:
        # Outside the Socket.IO middleware too, so socket handshakes see the client's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]  # Flask's way
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app.logger.info(
        "Common Ground on http://%s:%s (async mode: %s, process %s)",
        host,
        port,
        socketio.async_mode,
        PROCESS,
    )
    if app.config["LIVE_FLUSH_MS"] > 0:
        # From the start, not at the first vote: each process sweeps what a killed one left unannounced.
        live_pulse.ensure_running(app)
    if app.config["RECOMPUTE_MS"] > 0:
        recompute.ensure_running(app)  # likewise: it sweeps for rounds and rooms a killed process left behind
    server = {"handler_class": Handler} if socketio.async_mode == "gevent" else {}
    socketio.run(app, host=host, port=port, log_output=True, **server)


if __name__ == "__main__":
    main()
