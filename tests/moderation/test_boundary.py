"""The engine stays pure: standard library only, never Flask, SQLAlchemy or the app."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "moderation"
FORBIDDEN = {"flask", "sqlalchemy", "debate", "flask_sqlalchemy", "flask_socketio", "werkzeug"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_package_is_found():
    assert len(list(PACKAGE.glob("*.py"))) > 10


def test_no_module_imports_flask_sqlalchemy_or_the_app():
    offenders = {
        f"{path.name}: {module}"
        for path in PACKAGE.glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_only_the_standard_library_and_the_package_itself():
    # regex: Unicode text segmentation (grapheme clusters), the one unit every length limit counts in.
    allowed = set(sys.stdlib_module_names) | {"moderation", "__future__", "regex"}
    outside = {
        f"{path.name}: {module}"
        for path in PACKAGE.glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] not in allowed
    }
    assert not outside


def test_the_walker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom flask import Flask\nimport debate.models as m\n", encoding="utf-8")
    assert {"flask", "debate.models"} <= imported_modules(sample)
