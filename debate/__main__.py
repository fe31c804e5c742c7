"""Run the site: `python -m debate` (gevent, chosen by measurement: see docs/architecture.md)."""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from debate import create_app  # noqa: E402
from debate.extensions import socketio  # noqa: E402


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app.logger.info("Common Ground on http://%s:%s (async mode: %s)", host, port, socketio.async_mode)
    socketio.run(app, host=host, port=port, log_output=True)


if __name__ == "__main__":
    main()
