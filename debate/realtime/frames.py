"""Websocket frames: sent uncompressed, and received within one limit, in bytes, with a stated close reason.

Sent uncompressed (`decline_compression`). Browsers offer permessage-deflate and simple-websocket (the
websocket layer under Flask-SocketIO here) accepts it for every connection, so each message of a
broadcast is compressed once PER RECIPIENT, with a zlib state of about 256 KiB kept per connection. In a
live room of 1,000 that was a third of the server's CPU and most of its memory per connection
(bench/live_load.py, profiled with py-spy), to save bytes on messages of a few hundred bytes. Node's
socket.io server turned it off by default for the same reason. Declining is part of the standard
handshake (RFC 7692: the server may refuse an offered extension), so every client simply gets plain
frames.

Received within MAX_MESSAGE_BYTES (`bound_messages`), the limit long-polling bodies have
(transport.py). python-engineio 4.15.1 compares `len(message)` with its `max_http_buffer_size`, which for
a text frame counts characters, not bytes (64 K characters of Devanagari are 192 KiB), and over it ended
the socket with close code 1000, "normal closure", and no reason. `BoundedConnection` counts each
message's UTF-8 bytes as its frames arrive and refuses it with close code 1009 (RFC 6455: message too
big) and the sentence TOO_LARGE; python-engineio's own check, on fewer characters than bytes, then never
fires. A text frame that is not UTF-8 closes the connection with 1007 (RFC 6455), as wsproto already did,
but with NOT_UTF8 as the reason instead of Python's codec message.

Framed once per broadcast (`text_frame`). A server's frames are not masked (RFC 6455, 5.1), so a message
sent to a room of 1,000 is the same bytes on every connection; python-socketio already encodes the packet
once and hands every socket the same string, but wsproto framed it again for each one (a quarter of the
writers' time at 55 actions a second in a room of 1,000, bench/live_load.py with py-spy). With compression
declined, a text message is framed once and the frame kept for the next recipients.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import time

import simple_websocket
from simple_websocket import ws
from wsproto import ConnectionState, ConnectionType, WSConnection
from wsproto.events import CloseConnection, Message
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import CloseReason

from debate.realtime.transport import MAX_MESSAGE_BYTES, NOT_UTF8, TOO_LARGE

# After its close frame, a server reads what the client was still sending (at most this much, this
# long) before closing the socket: closing with unread data makes the kernel reset the connection, and
# the client, still writing a message too large, would see the reset instead of the close frame.
LINGER_BYTES = 1024 * 1024
LINGER_SECONDS = 2.0
FRAMES_KEPT = 32  # recent broadcasts' frames; acks and private messages pass through and are soon dropped
TEXT_FIN = 0x81  # FIN + opcode 1 (text): one whole message per frame

_frames: dict[str, bytes] = {}


class DeclinedDeflate(PerMessageDeflate):
    """The extension as simple-websocket offers it in its handshake answer, refusing every offer."""

    def accept(self, offer: str) -> None:
        return None


def decline_compression() -> None:
    """Make this process's websocket server answer offers of permessage-deflate with plain frames."""

    ws.PerMessageDeflate = DeclinedDeflate  # type: ignore[attr-defined]  # patching simple-websocket, on purpose


class BoundedConnection(WSConnection):
    """wsproto's connection, refusing a message past MAX_MESSAGE_BYTES and saying why it closes.

    A refusal is yielded as a CloseConnection event, which simple-websocket answers with a close frame of
    the same code and reason, then stops reading.
    """

    def __init__(self, connection_type: ConnectionType) -> None:
        super().__init__(connection_type)
        self.message_bytes = 0

    def events(self):
        for event in super().events():
            if isinstance(event, Message):
                self.message_bytes += utf8_length(event.data)
                if self.message_bytes > MAX_MESSAGE_BYTES:
                    yield CloseConnection(CloseReason.MESSAGE_TOO_BIG, TOO_LARGE)
                    return
                if event.message_finished:
                    self.message_bytes = 0
            elif self._refuses_encoding(event):
                event = CloseConnection(CloseReason.INVALID_FRAME_PAYLOAD_DATA, NOT_UTF8)
            yield event

    def _refuses_encoding(self, event) -> bool:
        """wsproto's own 1007 (the state is still OPEN), not a close the peer sent with that code."""
        return (
            isinstance(event, CloseConnection)
            and event.code == CloseReason.INVALID_FRAME_PAYLOAD_DATA
            and self.state is ConnectionState.OPEN
        )


def utf8_length(data: str | bytes | bytearray) -> int:
    if not isinstance(data, str):
        return len(data)
    return len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))


class LingeringSocket:
    """The connection's socket, whose close() first reads (and drops) what the client is still sending."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def __getattr__(self, name: str):
        return getattr(self._sock, name)

    def close(self) -> None:
        deadline = time.monotonic() + LINGER_SECONDS
        left = LINGER_BYTES
        try:
            self._sock.shutdown(socket.SHUT_WR)  # our close frame is out; nothing more will follow
            while left > 0 and (wait := deadline - time.monotonic()) > 0:
                self._sock.settimeout(wait)
                data = self._sock.recv(65536)
                if not data:
                    break
                left -= len(data)
        except OSError:
            pass
        finally:
            self._sock.close()


def text_frame(data: str) -> bytes:
    """One unmasked, final text frame carrying `data`: the same bytes for every recipient of a broadcast.

    Kept for the next FRAMES_KEPT messages: python-engineio caches each packet's encoding, so the sockets of
    a room are handed the same string, whose hash Python keeps and which compares to itself by identity.
    """
    frame = _frames.get(data)
    if frame is None:
        payload = data.encode("utf-8")  # a lone surrogate raises here, as it did in wsproto
        size = len(payload)
        if size < 126:
            head = bytes((TEXT_FIN, size))
        elif size < 1 << 16:
            head = struct.pack("!BBH", TEXT_FIN, 126, size)
        else:
            head = struct.pack("!BBQ", TEXT_FIN, 127, size)
        frame = head + payload
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread evicted it first
            while len(_frames) >= FRAMES_KEPT:
                del _frames[next(iter(_frames))]
        _frames[data] = frame
    return frame


class BoundedServer(simple_websocket.Server):
    """simple-websocket's server speaking through BoundedConnection and a LingeringSocket."""

    plain = False  # no extension was agreed: text messages are framed by `text_frame`, not by wsproto

    def handshake(self) -> None:
        self.ws = BoundedConnection(ConnectionType.SERVER)
        assert self.sock is not None  # the accepted connection's
        self.sock = LingeringSocket(self.sock)  # type: ignore[assignment]  # a proxy with the socket's interface
        super().handshake()
        connection = self.ws.connection
        self.plain = connection is not None and not getattr(getattr(connection, "_proto", None), "extensions", [1])

    def send(self, data) -> None:
        """A text message in a frame shared with the other recipients (when no extension changes frames);
        anything else as simple-websocket sends it. All of it reaches the socket (`sendall`)."""
        if not (self.plain and isinstance(data, str)):
            super().send(data)
            return
        if not self.connected:
            raise simple_websocket.ConnectionClosed(self.close_reason, self.close_message)
        assert self.sock is not None  # set by the handshake
        frame = text_frame(data)
        sent = self.sock.send(frame)  # one call for a frame the buffer takes whole (gevent's sendall asks the
        if sent < len(frame):  # kernel for the buffer size first, every time); the rest when it does not
            self.sock.sendall(frame[sent:])


def bound_messages() -> None:
    """Make this process's websocket server (python-engineio builds `simple_websocket.Server`) a BoundedServer."""
    simple_websocket.Server = BoundedServer  # type: ignore[misc]  # patching simple-websocket, on purpose
