"""Packets carrying a part already written as JSON (packets.RawJSON): the same text as writing it whole."""

from __future__ import annotations

import json

from socketio import packet

from debate.realtime.packets import AnsweredPacket, RawJSON, SafeJSON


def test_a_raw_part_is_written_as_it_is_where_the_object_would_be():
    room = {"questions": [{"id": 1, "body": "Bins? \u00e9 \u2603"}], "top": [1]}
    ack = {"ok": True, "data": {"seq": 3, "snapshot": RawJSON(json.dumps(room, separators=(",", ":"))), "n": 2}}
    whole = {"ok": True, "data": {"seq": 3, "snapshot": room, "n": 2}}
    assert SafeJSON.dumps(ack, separators=(",", ":")) == json.dumps(whole, separators=(",", ":"))


def test_text_that_looks_like_the_marker_is_left_alone():
    """The marker is random for each packet: a string someone wrote cannot stand in for it."""
    tricky = ["raw-json-0", '"raw-json-0"', "raw-json-00000000000000000000000000000000-0"]
    data = {"mine": tricky, "snapshot": RawJSON("[1,2]")}
    assert json.loads(SafeJSON.dumps(data)) == {"mine": tricky, "snapshot": [1, 2]}


def test_several_raw_parts_and_other_objects_still_refused():
    assert json.loads(SafeJSON.dumps([RawJSON("1"), RawJSON('{"a":[]}'), RawJSON("1")])) == [1, {"a": []}, 1]
    try:
        SafeJSON.dumps({"when": object()})
    except TypeError as exc:
        assert "not JSON serializable" in str(exc)
    else:
        raise AssertionError("an object that is not RawJSON must still be refused")


def test_a_packet_with_a_raw_part_is_not_searched_for_binary_and_decodes_as_json(app):
    """(`app`: building its Socket.IO server gives the packets SafeJSON.)"""
    pkt = AnsweredPacket(packet.ACK, data=[{"ok": True, "snapshot": RawJSON('{"q":[1]}')}], id=7)
    assert pkt.packet_type == packet.ACK  # no binary attachment found in it
    decoded = packet.Packet(encoded_packet=pkt.encode())
    assert decoded.id == 7 and decoded.data == [{"ok": True, "snapshot": {"q": [1]}}]
