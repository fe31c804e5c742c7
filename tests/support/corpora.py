"""Where the shared hostile-input corpora live: ../shared/corpora beside the checkout.

CI clones the repository into another folder with a copy of shared/ beside it,
so the path is found relative to the checkout; CG_CORPORA overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def corpora_dir() -> Path:
    if os.environ.get("CG_CORPORA"):
        return Path(os.environ["CG_CORPORA"])
    for candidate in (ROOT.parent / "shared" / "corpora", Path("/work/shared/corpora")):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "corpora"


CORPORA = corpora_dir()
