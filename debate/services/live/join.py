"""How a hall joins a live session: the room's public address, short enough to read off a screen, and its QR code.

The projector shows both. The QR code is drawn here (the `qrcode` library, as SVG) and served from our own
origin, so a screen in a council chamber never asks a third-party service to draw it, and no one's phone
learns of the session from anyone but us.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
import qrcode.image.svg
from flask import current_app, url_for

from debate.models.live import LiveSession


def url(live: LiveSession) -> str:
    """The room's public address (SERVER_URL, as in email links), e.g. https://debate.example.org/sessions/3."""
    return str(current_app.config["SERVER_URL"]).rstrip("/") + url_for("live.room", session_id=live.id)


def readable(address: str) -> str:
    """The address as people type it: without "https://", e.g. debate.example.org/sessions/3."""
    return address.split("://", 1)[-1]


@lru_cache(maxsize=256)
def qr_svg(address: str) -> bytes:
    """A QR code of the address, as a standalone SVG with its white quiet zone (it shows on a black screen).

    Error correction M (15 %) survives a projector's glare and a little keystone; the four-module border is
    the quiet zone readers need. The same address always draws the same code, so it is drawn once.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(address)
    code.make(fit=True)
    svg: bytes = code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).to_string(encoding="utf-8")
    return svg  # bytes for any encoding but "unicode"
