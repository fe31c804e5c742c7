"""Run the site: `python -m debate` (gevent, chosen by measurement: see docs/architecture.md)."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: E402

from debate import create_app  # noqa: E402
from debate.extensions import socketio  # noqa: E402
from debate.services import live_pulse  # noqa: E402


def main() -> None:
    app = create_app()
    proxies = app.config["PROXY_COUNT"]
    if proxies > 0:
        # Outside the Socket.IO middleware too, so socket handshakes see the client's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app.logger.info(
        "Common Ground on http://%s:%s (async mode: %s, process %s)",
        host,
        port,
        socketio.async_mode,
        live_pulse.PROCESS,
    )
    if app.config["LIVE_FLUSH_MS"] > 0:
        # From the start, not at the first vote: each process sweeps what a killed one left unannounced.
        live_pulse.ensure_running(app)
    socketio.run(app, host=host, port=port, log_output=True)


if __name__ == "__main__":
    main()
