"""What a regular install carries: every file the package reads at run time."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.conftest import REPO


def test_every_data_file_is_in_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "walkbreak"
    ]
    package = REPO / "walkbreak"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert data, "no data files found: the check sees nothing"
    missing = [name for name in data if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert missing == [], f"not shipped by a regular install: {missing}"
