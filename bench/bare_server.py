"""A bare Flask-SocketIO room broadcast server: the baseline the app is measured against.

    python bench/bare_server.py --mode gevent --port 5901 [--message-queue redis://127.0.0.1:6379/10]

Every client joins room "bench" on connect. Two ways to make it broadcast:

- POST /fire?n=K broadcasts K "tick" messages, each stamped with the send time
  (bench/async_modes.py);
- a client's "bench:act" event {kind, ref} is one action: the server numbers
  it and broadcasts ONE "bench:event" {seq, at, kind, ref} to the room, then
  acks {ok, data: {seq}} (bench/live_load.py with the Node loader). "at" is
  the server's clock in ms since the epoch when it published, as in the app's
  "live:event" envelope, so fan-out latency is measured the same way.
  "bench:join" acks the current number, as "live:join" does in the app.

No database, no auth, no rate limits: what any Flask-SocketIO app pays for
fan-out alone. By default websocket frames are compressed per recipient when
the client offers it (simple-websocket's default); `--plain-frames` declines
that as the app does (debate/realtime/frames.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["gevent", "threading", "eventlet"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--message-queue", default=None, help="e.g. redis://127.0.0.1:6379/10 (off by default)")
    parser.add_argument("--plain-frames", action="store_true", help="decline permessage-deflate, as the app does")
    args = parser.parse_args()
    if args.plain_frames:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from debate.realtime.frames import decline_compression

        decline_compression()
    if args.mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    import time

    from flask import Flask, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    sio = SocketIO(app, async_mode=args.mode, cors_allowed_origins="*", message_queue=args.message_queue)
    state = {"seq": 0}

    @sio.on("connect")
    def connect(auth=None):
        join_room("bench")

    @sio.on("bench:join")
    def bench_join(data=None):
        return {"ok": True, "data": {"seq": state["seq"]}}

    @sio.on("bench:act")
    def bench_act(data=None):
        data = data if isinstance(data, dict) else {}
        state["seq"] += 1  # no yield between numbering and emitting: numbers follow broadcast order
        seq = state["seq"]
        payload = {"seq": seq, "at": time.time() * 1000, "kind": str(data.get("kind", ""))[:10], "ref": data.get("ref")}
        sio.emit("bench:event", payload, to="bench")
        return {"ok": True, "data": {"seq": seq}}

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
