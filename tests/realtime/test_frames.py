"""The server answers a browser's offer of permessage-deflate with plain frames (debate/realtime/frames.py)."""

from __future__ import annotations

from simple_websocket import ws as simple_ws
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Request
from wsproto.extensions import PerMessageDeflate

from debate.realtime.frames import decline_compression


def handshake_answer(extension) -> bytes:
    """What a server using `extension` (as simple-websocket does) answers to a client offering compression."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="127.0.0.1", target="/socket.io/", extensions=[PerMessageDeflate()])))
    assert isinstance(next(server.events()), Request)
    return server.send(AcceptConnection(extensions=[extension]))


def test_the_offer_is_declined_so_frames_go_out_uncompressed():
    decline_compression()
    assert simple_ws.PerMessageDeflate is not PerMessageDeflate  # what simple-websocket's handshake now uses
    answer = handshake_answer(simple_ws.PerMessageDeflate())
    assert answer.startswith(b"HTTP/1.1 101")
    assert b"permessage-deflate" not in answer.lower()


def test_without_it_the_same_handshake_would_turn_compression_on():
    assert b"permessage-deflate" in handshake_answer(PerMessageDeflate()).lower()
