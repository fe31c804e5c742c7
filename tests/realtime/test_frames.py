"""The server answers a browser's offer of permessage-deflate with plain frames (debate/realtime/frames.py)."""

from __future__ import annotations

import socket

import pytest
import simple_websocket
from simple_websocket import ws as simple_ws
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Message, Request
from wsproto.extensions import PerMessageDeflate

from debate.realtime import frames
from debate.realtime.frames import DeclinedDeflate, decline_compression


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


# --- one frame per broadcast (frames.text_frame, BoundedServer.send) ---------------------------------


def wsproto_frame(text: str) -> bytes:
    """The frame wsproto makes for `text` on an open server connection without extensions."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="127.0.0.1", target="/socket.io/")))
    next(server.events())
    server.send(AcceptConnection())
    return server.send(Message(data=text))


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70000])
def test_a_shared_frame_is_byte_for_byte_what_wsproto_sends(size):
    text = ('42["live:event",{"x":"' + "é" * size)[:size] if size else ""
    assert frames.text_frame(text) == wsproto_frame(text)


def test_non_ascii_text_is_framed_by_its_utf8_length():
    text = '42["live:event","' + "ﷺ" * 50 + "\u200f" + "😀" * 20 + '"]'
    assert frames.text_frame(text) == wsproto_frame(text)
    assert frames.text_frame(text)[1] == 126  # more than 125 BYTES, though fewer characters


def test_a_broadcast_is_framed_once_and_the_cache_stays_small():
    message = '42["live:event",{"seq":1}]'
    assert frames.text_frame(message) is frames.text_frame(message)
    for n in range(frames.FRAMES_KEPT * 3):
        frames.text_frame(f"43{n}[{{}}]")
    assert len(frames._frames) <= frames.FRAMES_KEPT


def test_a_lone_surrogate_is_refused_as_wsproto_refused_it():
    with pytest.raises(UnicodeEncodeError):
        frames.text_frame("4\udc80")


def server_over(offer_deflate: bool):
    """A BoundedServer on one end of a socket pair, after a client's handshake (offering compression or not)."""
    client_sock, server_sock = socket.socketpair()
    environ = {
        "werkzeug.socket": server_sock,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_UPGRADE": "websocket",
        "HTTP_CONNECTION": "Upgrade",
        "HTTP_SEC_WEBSOCKET_KEY": "dGhlIHNhbXBsZSBub25jZQ==",
        "HTTP_SEC_WEBSOCKET_VERSION": "13",
    }
    if offer_deflate:
        environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"] = "permessage-deflate"
    return frames.BoundedServer(environ), client_sock


def read_message(client_sock, answer_bytes: int) -> bytes:
    client_sock.settimeout(5)
    data = b""
    while len(data) < answer_bytes:
        data += client_sock.recv(65536)
    return data


@pytest.mark.parametrize("declined", [True, False])
def test_the_shared_frame_is_used_only_when_no_extension_was_agreed(declined, monkeypatch):
    monkeypatch.setattr(simple_ws, "PerMessageDeflate", DeclinedDeflate if declined else PerMessageDeflate)
    server, client_sock = server_over(offer_deflate=True)
    try:
        handshake = b""
        while b"\r\n\r\n" not in handshake:
            handshake += client_sock.recv(4096)
        assert server.plain is declined
        message = '42["live:event",{"seq":7,"text":"' + "a" * 300 + '"}]'
        server.send(message)
        if declined:
            assert read_message(client_sock, len(frames.text_frame(message))) == frames.text_frame(message)
        else:
            got = read_message(client_sock, 2)
            assert got[0] & 0x40  # RSV1: compressed by the agreed extension, framed by wsproto
    finally:
        server.connected = False
        client_sock.close()


def test_sending_on_a_closed_connection_says_so():
    server, client_sock = server_over(offer_deflate=False)
    try:
        server.connected = False
        with pytest.raises(simple_websocket.ConnectionClosed):
            server.send("42[]")
    finally:
        client_sock.close()


class HalfTaken:
    """The connection's socket, but whose send() takes at most 10 bytes a call, as a full buffer would."""

    def __init__(self, sock):
        self.sock, self.calls = sock, []

    def __getattr__(self, name):
        return getattr(self.sock, name)

    def send(self, data):
        self.calls.append("send")
        return self.sock.send(bytes(data[:10]))

    def sendall(self, data):
        self.calls.append("sendall")
        self.sock.sendall(data)


def test_a_frame_the_buffer_takes_only_in_part_is_sent_whole():
    server, client_sock = server_over(offer_deflate=False)
    try:
        handshake = b""
        while b"\r\n\r\n" not in handshake:
            handshake += client_sock.recv(4096)
        server.sock = HalfTaken(server.sock)
        message = '42["live:event",{"seq":8,"text":"' + "b" * 200 + '"}]'
        server.send(message)
        assert server.sock.calls == ["send", "sendall"]
        assert read_message(client_sock, len(frames.text_frame(message))) == frames.text_frame(message)
    finally:
        server.connected = False
        client_sock.close()
