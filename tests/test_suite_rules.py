"""The suite's own rules: no test is marked xfail or skipped in the source.

A flaky test is a bug to find, not to mark; a test that cannot run (a missing corpus, a
missing browser) fails. The one skip left is `skip_or_fail`'s for a developer's machine
without PostgreSQL, Redis or chromium, and CI turns it into a failure (CG_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MARKS = re.compile(r"xfail|mark\.skip|skipif|importorskip|pytest\.skip\(")
HELPERS = {"conftest.py", "browser/conftest.py"}  # skip_or_fail: a skip off CI, a failure in CI


def marked(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in HELPERS or path.name == Path(__file__).name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKS.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_test_is_marked_xfail_or_skipped():
    assert marked() == []


def test_the_check_sees_a_mark(tmp_path):
    mark, skip = "@pytest.mark." + "xfail", "pytest." + "skip('later')"  # spelt apart so this file is not a hit
    (tmp_path / "test_x.py").write_text(f"{mark}\ndef test_a():\n    {skip}\n")
    assert len(marked(tmp_path)) == 2
