"""The layers of walkbreak/, read from its own imports: no import circles, and nothing imports a
layer above its own (core at the bottom; the engine; the dashboard and the commands; the CLI on
top). Imports inside functions count (they run when called); those under TYPE_CHECKING do not."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "walkbreak"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(nodes: list[ast.stmt]) -> Iterator[str]:
    """The walkbreak modules these statements import, at any depth, outside TYPE_CHECKING blocks."""
    for node in nodes:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("walkbreak"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("walkbreak"):
            for alias in node.names:  # `from walkbreak import config` names a module
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else str(node.module)
        for field in ("body", "orelse", "finalbody", "handlers"):
            yield from imported(getattr(node, field, None) or [])


GRAPH = {name: set(imported(ast.parse(path.read_text()).body)) - {name} for name, path in MODULES.items()}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_sees_the_imports() -> None:
    assert "walkbreak.store.month_files" in GRAPH["walkbreak.store"]
    assert "walkbreak.engine" in GRAPH["walkbreak.commands.run"]  # imported inside a function


def test_no_import_circles() -> None:
    def circle_from(start: str) -> list[str] | None:
        path, seen = [start], set()

        def walk(module: str) -> list[str] | None:
            for nxt in sorted(GRAPH.get(module, ())):
                if nxt == start:
                    return [*path, start]
                if nxt in seen or nxt not in GRAPH:
                    continue
                seen.add(nxt)
                path.append(nxt)
                if found := walk(nxt):
                    return found
                path.pop()
            return None

        return walk(start)

    circles = [" -> ".join(found) for name in sorted(GRAPH) if (found := circle_from(name))]
    assert circles == []


def test_each_layer_imports_only_what_is_below_it() -> None:
    """core imports nothing of walkbreak's outside itself; only the dashboard and the commands
    import the engine; only the commands import the dashboard; only the CLI imports the commands."""
    above = {
        "walkbreak.engine": ["walkbreak.tui", "walkbreak.commands", "walkbreak.cli"],
        "walkbreak.tui": ["walkbreak.commands", "walkbreak.cli"],
        "walkbreak.commands": ["walkbreak.cli"],
        "walkbreak.cli": ["walkbreak.__main__"],
    }
    wrong = []
    for layer, users in above.items():
        for module, targets in GRAPH.items():
            if within(module, layer) or any(within(module, user) for user in users):
                continue
            wrong += [f"{module} imports {t}" for t in targets if within(t, layer)]
    core_out = [
        f"{m} imports {t}" for m, ts in GRAPH.items() if within(m, "walkbreak.core") for t in ts
        if not within(t, "walkbreak.core")
    ]  # fmt: skip
    assert wrong + core_out == []
