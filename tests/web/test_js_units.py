"""The JavaScript unit tests (tests/js/, `node --test`), run by pytest so `make test` runs them too.

They test the live room's pure state module (static/js/live/state.js) with Node's own test runner:
no npm packages, no browser.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_node_unit_tests_pass():
    run = subprocess.run(
        ["node", "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
