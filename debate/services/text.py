"""Validation of short plain-text fields such as display names and titles.

Rejects what could impersonate or disrupt (control and bidi-override
characters, invisible-only text) while accepting real text in every script.
"""

from __future__ import annotations

import unicodedata

from debate.errors import ValidationError

# Bidi embedding/override/isolate controls let a name render backwards or
# spoof the text around it; zero-width characters make look-alike names.
_FORBIDDEN = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    # Hangul fillers are letters that render as nothing: a name of them looks blank.
    "\u115f",
    "\u1160",
    "\u3164",
    "\uffa0",
}


def clean_line(value: object, field: str, label: str, *, min_len: int = 1, max_len: int = 120) -> str:
    """Return the NFC-normalised, trimmed single line or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(f"{label} is required.", field)
    if len(value) > max_len * 4:
        raise ValidationError(f"{label} is too long (at most {max_len} characters).", field)
    text = unicodedata.normalize("NFC", value).strip()
    text = " ".join(text.split())
    if not text:
        raise ValidationError(f"{label} is required.", field)
    if any(ch in _FORBIDDEN for ch in text):
        raise ValidationError(f"{label} contains invisible or direction-changing characters.", field)
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} for ch in text):
        raise ValidationError(f"{label} contains control characters.", field)
    if sum(1 for ch in text if unicodedata.category(ch).startswith("M")) > len(text) // 2:
        raise ValidationError(f"{label} has too many combining marks.", field)
    if len(text) < min_len:
        raise ValidationError(f"{label} must be at least {min_len} characters.", field)
    if len(text) > max_len:
        raise ValidationError(f"{label} is too long (at most {max_len} characters).", field)
    return text
