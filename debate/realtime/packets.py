"""Socket.IO packets that cannot be read still get an answer: an error ack with the packet's own ack id.

python-socketio decodes a packet before any handler runs. When its payload was not JSON (a raw NUL or
another control character inside a string, a truncated object), was nested past Python's recursion
limit (RecursionError), or was not an event at all, `Packet.decode` raised, python-engineio logged the
traceback as "message handler error" and dropped the packet: the client that sent it with an ack
callback waited for ever. The ack id comes before the payload in the packet, so it is known even when
the payload is not.

`AnsweredPacket` (the server's `serializer`, with SafeJSON as its `json`) turns such a packet, and one
nested deeper than bounds.MAX_DEPTH, into the event UNREADABLE carrying a sentence that says what was
wrong, with the packet's namespace and ack id; the catch-all handler in guard.py acks it `invalid` like
any other refusal. A packet without an ack id asked for no answer, and gets none (the handler logs one
line).
"""

from __future__ import annotations

import json
import secrets

from engineio import json as engineio_json
from flask_babel import lazy_gettext as _l
from socketio import packet

from debate import bounds

UNREADABLE = "\x00unreadable"  # an event name no client handler has: the decoder's own

# Lazy: a packet is decoded before any request context; the catch-all handler (guard.py) makes the sentence
# text in the socket's language.
NOT_JSON = _l("The message could not be read: it is not valid JSON.")
CONTROL_CHARACTER = _l(
    "The message could not be read: a control character (such as NUL) inside a string must be escaped (\\u0000)."
)
NOT_AN_EVENT = _l("The message could not be read: an event is an array whose first item is the event's name.")
NOT_SOCKET_IO = _l("The message could not be read: it is not a Socket.IO packet.")


class RawJSON:
    """A part of a packet already written as JSON text, put into the packet as it is (see SafeJSON.dumps).

    A join's snapshot is the same for everyone who joins at one number in one language (tens of
    kilobytes): it is written once (services/live/events.snapshot_json) instead of once per joiner, and
    python-socketio's search of every packet for binary parts (`Packet.data_is_binary`, which walks every
    list and dict) sees one object instead of the whole room. Neither a dict nor a list: neither walks it.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class SafeJSON:
    """python-engineio's JSON module (numbers of at most 100 digits) raising TooDeep, a ValueError, not RecursionError.

    Given to the server as its `json`, it also decodes Engine.IO packets: python-engineio reads a message
    whose text does not start with a digit as JSON and catches only ValueError, so a frame of 1,000
    nested brackets (not a Socket.IO packet at all) escaped its websocket loop, and gevent wrote an
    HTTP 500 into the open websocket. As a ValueError it stays text, which AnsweredPacket refuses.

    It writes a RawJSON part as its text: each is first written as a string holding a marker that no one
    can guess (random for each packet), then the marker, with its quotes, is replaced by the text.
    """

    @staticmethod
    def dumps(obj, **kwargs) -> str:
        raw: list[str] = []
        marker = ""

        def part(value):
            nonlocal marker
            if not isinstance(value, RawJSON):
                raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
            marker = marker or f"raw-json-{secrets.token_hex(16)}-"
            raw.append(value.text)
            return f"{marker}{len(raw) - 1}"

        text: str = engineio_json.dumps(obj, default=part, **kwargs)
        for n, value in enumerate(raw):
            text = text.replace(f'"{marker}{n}"', value, 1)
        return text

    @staticmethod
    def loads(*args, **kwargs):
        try:
            return engineio_json.loads(*args, **kwargs)
        except RecursionError:
            raise bounds.TooDeep() from None


class AnsweredPacket(packet.Packet):
    """python-socketio's packet, which becomes an UNREADABLE event instead of raising when decoding fails."""

    packet_type: int

    def decode(self, encoded_packet):
        try:
            attachments = super().decode(encoded_packet)
            bounds.check_depth(self.data)
        except (RecursionError, bounds.TooDeep):  # Python's parser gives up at about 1,000 levels
            return self._unreadable(bounds.TOO_DEEP)
        except json.JSONDecodeError as exc:
            return self._unreadable(CONTROL_CHARACTER if "control character" in exc.msg else NOT_JSON)
        except ValueError:  # no packet type, an over-long ack id, a number of over 100 digits...
            return self._unreadable(NOT_SOCKET_IO)
        if self.packet_type not in range(len(packet.packet_names)):
            return self._unreadable(NOT_SOCKET_IO)
        if self.packet_type == packet.EVENT and not (
            isinstance(self.data, list) and self.data and isinstance(self.data[0], str)
        ):
            return self._unreadable(NOT_AN_EVENT)
        return attachments

    def _unreadable(self, message: object) -> int:
        """Become the UNREADABLE event; keep the ack id only where the client waits for an ack (an event)."""
        if self.packet_type != packet.EVENT:
            self.id = None
        self.packet_type = packet.EVENT
        self.data = [UNREADABLE, message]
        return 0  # no binary attachments to wait for
