"""A bare Flask-SocketIO room broadcast server: the baseline the app is measured against.

    python bench/bare_server.py --mode gevent --port 5901

POST /fire?n=K broadcasts K messages to room "bench", each stamped with the
send time, so clients can measure fan-out latency. No database, no auth.
"""

from __future__ import annotations

import argparse
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["gevent", "threading", "eventlet"], required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    import time

    from flask import Flask, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    sio = SocketIO(app, async_mode=args.mode, cors_allowed_origins="*")

    @sio.on("connect")
    def connect(auth=None):
        join_room("bench")

    @app.post("/fire")
    def fire():
        n = min(int(request.args.get("n", "1")), 1000)
        for i in range(n):
            sio.emit("tick", {"i": i, "t": time.time()}, to="bench")
        return {"sent": n}

    print(f"bare server mode={args.mode} port={args.port}", file=sys.stderr, flush=True)
    sio.run(app, host="127.0.0.1", port=args.port, allow_unsafe_werkzeug=True, log_output=False)


if __name__ == "__main__":
    main()
