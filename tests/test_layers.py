"""The app's layers hold: pages and socket handlers -> services -> models, with no import circles.

Read from the source (ast), counting imports made inside functions too, so a circle cannot hide
behind a late import. The engine's own boundary (`moderation/` stays pure) is tests/moderation/test_boundary.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "debate"

# Flask's request state: a service that read it would behave differently by entry point.
REQUEST_STATE = {("flask", "request"), ("flask", "session"), ("flask", "g"), ("flask_login", "current_user")}

# The only places a view or handler touches the database session: rolling back a request that failed.
ROLLBACK_ONLY = {"debate.web.helpers", "debate.realtime.guard"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path): path for path in sorted(root.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[tuple[str, str | None]]:
    """(module, name) pairs for every import in the file, at any depth; name is None for `import x`.

    `from pkg import mod` where `pkg.mod` is one of our modules counts as importing `pkg.mod`.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add((child, None) if child in known else (node.module, alias.name))
    return found


def graph() -> dict[str, set[str]]:
    """Edges between our own modules (debate.*)."""
    found = modules()
    known = set(found)
    return {
        name: {target for target, _ in imports(path, known) if target in known and target != name}
        for name, path in found.items()
    }


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def in_layer(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


def test_the_walker_finds_the_app():
    names = set(modules())
    assert {"debate.services.live.sessions", "debate.web.live", "debate.realtime.live"} <= names
    assert len(names) > 100


def test_no_import_circles_between_modules():
    assert circles(graph()) == []


def test_services_never_import_pages_sockets_or_request_state():
    known = set(modules())
    offenders = []
    for name, path in modules().items():
        if not in_layer(name, "debate.services") and not in_layer(name, "debate.demo"):
            continue
        for target, imported in imports(path, known):
            if in_layer(target, "debate.web") or in_layer(target, "debate.realtime"):
                offenders.append(f"{name} imports {target}")
            if (target, imported) in REQUEST_STATE:
                offenders.append(f"{name} reads {target}.{imported}")
    assert offenders == []


def test_pages_and_sockets_never_query():
    """Views and handlers call services; a query in one would be a rule the other entry points skip."""
    known = set(modules())
    offenders = []
    for name, path in modules().items():
        if not (in_layer(name, "debate.web") or in_layer(name, "debate.realtime")):
            continue
        for target, imported in imports(path, known):
            if target.split(".")[0] == "sqlalchemy":
                offenders.append(f"{name} imports {target}")
            if (target, imported) == ("debate.extensions", "db") and name not in ROLLBACK_ONLY:
                offenders.append(f"{name} imports the database session")
    assert offenders == []


def test_models_import_no_layer_above():
    known = set(modules())
    offenders = [
        f"{name} imports {target}"
        for name, path in modules().items()
        if in_layer(name, "debate.models")
        for target, _ in imports(path, known)
        if any(in_layer(target, layer) for layer in ("debate.services", "debate.web", "debate.realtime", "debate.demo"))
    ]
    assert offenders == []


def test_only_the_demo_command_and_benchmarks_import_demo_data():
    known = set(modules())
    offenders = [
        f"{name} imports {target}"
        for name, path in modules().items()
        if not in_layer(name, "debate.demo") and name != "debate.cli"
        for target, _ in imports(path, known)
        if in_layer(target, "debate.demo")
    ]
    assert offenders == []


def test_the_checks_catch_what_they_look_for(tmp_path):
    """A circle hidden in a function, a service reading the request, and a view that queries are all seen."""
    package = tmp_path / "debate"
    (package / "services").mkdir(parents=True)
    (package / "web").mkdir()
    (package / "services" / "a.py").write_text("from debate.services import b\n", encoding="utf-8")
    (package / "services" / "b.py").write_text(
        "def later():\n    from debate.services import a\n\nfrom flask import request\n", encoding="utf-8"
    )
    (package / "web" / "v.py").write_text("from sqlalchemy import select\n", encoding="utf-8")
    names = {".".join(path.relative_to(tmp_path).with_suffix("").parts): path for path in package.rglob("*.py")}
    known = set(names)
    edges = {name: {t for t, _ in imports(path, known) if t in known} for name, path in names.items()}
    assert circles(edges) == [["debate.services.a", "debate.services.b"]]
    assert ("flask", "request") in imports(names["debate.services.b"], known)
    assert ("sqlalchemy", "select") in imports(names["debate.web.v"], known)
