"""Websocket frames go out uncompressed: the server declines permessage-deflate.

Browsers offer permessage-deflate and simple-websocket (the websocket layer
under Flask-SocketIO here) accepts it for every connection, so each message
of a broadcast is compressed once PER RECIPIENT, with a zlib state of about
256 KiB kept per connection. In a live room of 1,000 that was a third of the
server's CPU and most of its memory per connection (bench/live_load.py,
profiled with py-spy), to save bytes on messages of a few hundred bytes.
Node's socket.io server turned it off by default for the same reason.

Declining is part of the standard handshake (RFC 7692: the server may refuse
an offered extension), so every client simply gets plain frames.
"""

from __future__ import annotations

from wsproto.extensions import PerMessageDeflate


class DeclinedDeflate(PerMessageDeflate):
    """The extension as simple-websocket offers it in its handshake answer, refusing every offer."""

    def accept(self, offer: str) -> None:
        return None


def decline_compression() -> None:
    """Make this process's websocket server answer offers of permessage-deflate with plain frames."""
    from simple_websocket import ws

    ws.PerMessageDeflate = DeclinedDeflate
