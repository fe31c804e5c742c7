"""Fill the catalogues from translation parts (translations/parts/*.<code>.po) written while marking text.

Run after `make translations`: every message still untranslated in translations/<code>/LC_MESSAGES/*.po
takes its translation from a part with the same msgid (and context). Prints what is still missing.
Usage: .venv/bin/python scripts/i18n_fill.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"


def _key(message) -> tuple:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return (message.context or "", msgid)


def _parts(code: str) -> dict[tuple, object]:
    found: dict[tuple, object] = {}
    for path in sorted((TRANSLATIONS / "parts").glob(f"*.{code}.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=code)
        for message in catalogue:
            if message.id and _translated(message):
                found[_key(message)] = message.string
    return found


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return all(s for s in strings) and bool(strings)


def main() -> int:
    missing = 0
    for code_dir in sorted(p for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir()):
        code = code_dir.name
        parts = _parts(code)
        for po in sorted((code_dir / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as handle:
                catalogue = read_po(handle, locale=code)
            for message in catalogue:
                if not message.id:
                    continue
                if not _translated(message) and _key(message) in parts:
                    string = parts[_key(message)]
                    if message.pluralizable and not isinstance(string, (tuple, list)):
                        string = tuple([string] * catalogue.num_plurals)
                    message.string = string
                    message.flags.discard("fuzzy")
                if not _translated(message):
                    missing += 1
                    print(f"{code} {po.stem}: untranslated: {message.id!r}")
            with po.open("wb") as handle:
                write_po(handle, catalogue, width=120, include_previous=False)
    print(f"{missing} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
