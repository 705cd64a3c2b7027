"""The core stays pure: no UI, scheduler, notifier or database, no I/O, no clock reads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "walkbreak" / "core"
FORBIDDEN_MODULES = {
    "textual",
    "apscheduler",
    "plyer",
    "tinydb",
    "os",
    "io",
    "pathlib",
    "socket",
    "subprocess",
    "time",
    "sys",
}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "print", "input"}


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            top = name.split(".")[0]
            assert top not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
            if top == "walkbreak":
                assert name.startswith("walkbreak.core"), f"{path.name} imports {name} from outside the core"
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {called}()"


def test_the_check_sees_the_core() -> None:
    assert len(list(CORE.glob("*.py"))) >= 6
