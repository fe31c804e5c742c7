"""Every frame gets an answer, on both transports, from a real server process (gevent).

Raw Engine.IO over HTTP long-polling (one TCP connection per request, so what
the server holds open is countable in /proc/<pid>/fd), and raw Socket.IO
frames over a websocket (websocket-client), where a library client would
refuse to send what these tests send. The workarounds are in
`debate/realtime/transport.py` and `packets.py`.
"""

from __future__ import annotations

import json
import os
import socket

import pytest
import websocket

from tests.realtime._support import HTTP_TIMEOUT, wait_for

pytestmark = pytest.mark.server

POLLING = "/socket.io/?EIO=4&transport=polling"
MAX_MESSAGE_BYTES = 65_536  # docs/realtime.md: what one message (a polling POST, a websocket frame) may carry


def http(server, method: str, target: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request on its own connection; returns (status, headers, body) once the server has closed it."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if method == "POST":
        lines += ["Content-Type: text/plain;charset=UTF-8", f"Content-Length: {len(body)}"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        answer = b""
        while chunk := conn.recv(65536):  # a timeout here means the server never answered
            answer += chunk
    head, _, content = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), fields, content


def polling_session(server) -> str:
    """Open an Engine.IO session over long-polling and return its id."""
    status, _, body = http(server, "GET", POLLING)
    assert status == 200 and body.startswith(b"0"), body
    return json.loads(body[1:])["sid"]


def sized(head: str, tail: str, size: int) -> str:
    """head + two-byte characters (and one ASCII one if need be) + tail: `size` bytes of UTF-8, far fewer characters."""
    room = size - len(head.encode()) - len(tail.encode())
    return head + "é" * (room // 2) + "a" * (room % 2) + tail


def open_files(server) -> int:
    return len(os.listdir(f"/proc/{server.process.pid}/fd"))


def session_is_closed(server, sid: str) -> bool:
    """The session is over: a poll gets its CLOSE packet, or the server no longer knows the id."""
    status, _, body = http(server, "GET", f"{POLLING}&sid={sid}")
    return status == 400 or body == b"1"


# --------------------------------------------------------------------------- long-polling POST bodies


def test_an_oversized_polling_post_is_answered_413_and_its_connection_released(server):
    """python-engineio never answered these (the POST waited for a poll that never came): 30 leaked 30 sockets."""
    body = b"4" + b"x" * MAX_MESSAGE_BYTES  # one byte over the limit
    sid = polling_session(server)
    status, headers, content = http(server, "POST", f"{POLLING}&sid={sid}", body)
    assert status == 413
    assert headers["connection"] == "close"
    assert b"65,536 bytes" in content
    assert session_is_closed(server, sid)

    baseline = open_files(server)
    for _ in range(30):
        sid = polling_session(server)
        assert http(server, "POST", f"{POLLING}&sid={sid}", body)[0] == 413
    assert wait_for(lambda: open_files(server) <= baseline, timeout=10), (open_files(server), baseline)


def test_a_polling_post_declaring_a_huge_length_is_refused_before_it_is_read(server):
    sid = polling_session(server)
    with socket.create_connection(("127.0.0.1", server.port), timeout=HTTP_TIMEOUT) as conn:
        conn.sendall(
            f"POST {POLLING}&sid={sid} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n".encode() + b"4" * 1000
        )
        assert conn.recv(4096).startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize(
    "body",
    [
        b'421["live:join",{"x":"\xff"}]',  # a byte that never starts a character
        b'421["live:join",{"x":"\xc0\xaf"}]',  # an overlong "/"
        b'421["live:join",{"x":"\xed\xa0\x80"}]',  # a lone surrogate, as CESU-8 writes it
        b'421["live:join",{"x":"\xe2\x82',  # cut inside a character
    ],
)
def test_a_polling_post_that_is_not_utf8_is_refused_400_with_a_reason(server, body):
    """python-engineio answered 200 "ok" and dropped the packets, with a traceback in the log."""
    sid = polling_session(server)
    status, headers, content = http(server, "POST", f"{POLLING}&sid={sid}", body)
    assert (status, content.decode()) == (400, "Not valid UTF-8: messages must be UTF-8 text.")
    assert headers["connection"] == "close"
    assert session_is_closed(server, sid)


def polling_client(server) -> str:
    """A polling session connected to the Socket.IO namespace "/"; returns its id."""
    sid = polling_session(server)
    assert http(server, "POST", f"{POLLING}&sid={sid}", b"40")[0] == 200
    assert polling_packets(server, sid)[0].startswith("40{")
    return sid


def polling_packets(server, sid: str) -> list[str]:
    status, _, body = http(server, "GET", f"{POLLING}&sid={sid}")
    assert status == 200, body
    return body.decode().split("\x1e")


def test_a_polling_post_at_the_limit_is_read_and_answered(server):
    """The limit counts bytes: 65,536 bytes of two-byte characters (32,000 or so of them) still go through."""
    sid = polling_client(server)
    body = sized('421["live:join",{"x":"', '"}]', MAX_MESSAGE_BYTES).encode()
    assert len(body) == MAX_MESSAGE_BYTES
    assert http(server, "POST", f"{POLLING}&sid={sid}", body)[0] == 200
    ack = polling_packets(server, sid)[0]
    assert ack.startswith("431") and json.loads(ack[3:])[0]["error"]["message"] == "Unknown field: x."


# --------------------------------------------------------------------------- websocket frames


class RawSocket:
    """A websocket speaking Engine.IO/Socket.IO by hand, connected to the namespace "/"."""

    def __init__(self, server) -> None:
        self.ws = websocket.create_connection(
            server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
            header=[f"Origin: {server.url}"],
            suppress_origin=True,
            timeout=HTTP_TIMEOUT,
        )
        assert self.ws.recv().startswith("0{")  # Engine.IO open
        self.ws.send("40")
        assert self.ws.recv().startswith("40{")  # Socket.IO connect

    def send(self, frame: str | bytes) -> None:
        self.ws.send(frame, opcode=websocket.ABNF.OPCODE_TEXT)

    def ack(self, ack_id: int):
        """The next Socket.IO ack for `ack_id` (skipping pings and events)."""
        while True:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif frame.startswith(f"43{ack_id}["):
                return json.loads(frame[len(f"43{ack_id}") :])[0]

    def close_frame(self) -> tuple[int, str]:
        """Read until the server's close frame; return its code and reason."""
        while True:
            opcode, data = self.ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(data[:2], "big"), data[2:].decode()

    def close(self) -> None:
        self.ws.close(timeout=0.2)


@pytest.fixture
def raw(server):
    opened: list[RawSocket] = []

    def make() -> RawSocket:
        opened.append(RawSocket(server))
        return opened[-1]

    yield make
    for sock in opened:
        sock.close()


def test_a_frame_over_the_limit_in_bytes_is_closed_1009_with_a_reason(raw):
    """Counted in bytes: 33,000 two-byte characters are over the limit (the server counted characters)."""
    sock = raw()
    sock.send(sized('421["live:join",{"x":"', '"}]', MAX_MESSAGE_BYTES + 1))
    assert sock.close_frame() == (1009, "Too large: one message may carry at most 65,536 bytes.")


def test_a_frame_at_the_limit_is_answered(raw):
    sock = raw()
    sock.send(sized('427["live:join",{"x":"', '"}]', MAX_MESSAGE_BYTES))
    assert sock.ack(7)["error"] == {"code": "invalid", "message": "Unknown field: x."}


@pytest.mark.parametrize("frame", [b'421["live:join",{"x":"\xff"}]', b'421["live:join",{"x":"\xed\xa0\x80"}]'])
def test_a_frame_that_is_not_utf8_is_closed_1007_with_a_reason(raw, frame):
    sock = raw()
    sock.send(frame)
    assert sock.close_frame() == (1007, "Not valid UTF-8: messages must be UTF-8 text.")


def test_a_nul_inside_a_frame_is_answered(raw):
    """A raw NUL is not JSON: the packet cannot be read, but its ack id can, so the client hears why."""
    sock = raw()
    sock.send('425["live:join",{"session_id":1,"x":"a\x00b"}]')
    ack = sock.ack(5)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
    assert ack["error"]["message"].startswith("The message could not be read")


@pytest.mark.parametrize("depth", [17, 5_000])
def test_deeply_nested_json_is_answered(raw, depth):
    """5,000 levels made Python's parser raise RecursionError (a traceback, no ack); the bound is 16."""
    sock = raw()
    sock.send('426["live:join",' + "[" * (depth - 1) + "]" * (depth - 1) + "]")
    assert sock.ack(6)["error"] == {
        "code": "invalid",
        "message": "The JSON is nested too deeply (at most 16 levels of arrays and objects).",
    }


def test_deep_nesting_in_an_engine_io_frame_leaves_the_socket_working(raw):
    """Not Socket.IO at all ("4" and brackets): python-engineio's RecursionError broke the websocket."""
    sock = raw()
    sock.send("4" + "[" * 5_000 + "]" * 5_000)
    sock.send('424["live:join",{"session_id":1}]')
    assert sock.ack(4)["error"]["code"] == "not_found"


def test_malformed_json_is_answered_and_the_socket_still_works(raw):
    sock = raw()
    sock.send('423["live:join",{"session_id":')
    assert sock.ack(3)["error"]["code"] == "invalid"
    sock.send('424["live:join",{"session_id":1}]')
    assert sock.ack(4)["error"]["code"] == "not_found"


def test_a_frame_far_over_the_limit_still_gets_its_close_frame(raw):
    """The server reads on after refusing, so the client sees 1009, not a connection reset."""
    sock = raw()
    sock.send('421["live:join",{"x":"' + "x" * (4 * MAX_MESSAGE_BYTES) + '"}]')
    assert sock.close_frame()[0] == 1009


def test_the_server_log_stays_clean(server, raw):
    """Last in this module: none of the above left a traceback, and a closed websocket is not read as HTTP."""
    sock = raw()
    sock.ws.send("1")  # Engine.IO close, then a close frame at once, as python-socketio's client does
    sock.ws.send_close()
    assert sock.close_frame()[0] == 1000
    assert not wait_for(lambda: "Invalid HTTP method" in server.log(), timeout=1)
    assert "Traceback" not in server.log()
