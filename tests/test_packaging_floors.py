"""The floors pyproject.toml claims are the ones CI tests: constraints-lowest.txt pins each direct
dependency (runtime and test extras) to its `>=` floor, and .ci/run runs the tests with them."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

CONSTRAINTS = REPO / "constraints-lowest.txt"


def floors() -> dict[str, Version]:
    """Each direct dependency installed by `.[test]` with its `>=` floor in pyproject.toml (the dev
    extras are not installed there; a dependency without a floor, like tzdata, has none to test)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    out: dict[str, Version] = {}
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        lows = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        assert len(lows) <= 1, f"more than one floor in {line!r}"
        if lows:
            out[canonicalize_name(requirement.name)] = lows[0]
    return out


def pins() -> dict[str, Version]:
    """Each package constraints-lowest.txt pins, with its version."""
    out: dict[str, Version] = {}
    for number, raw in enumerate(CONSTRAINTS.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"constraints-lowest.txt:{number}: pin with ==, not {line!r}"
        name = canonicalize_name(requirement.name)
        assert name not in out, f"constraints-lowest.txt:{number}: {name} pinned twice"
        out[name] = Version(spec.version)
    return out


def test_the_lowest_constraints_pin_exactly_pyprojects_floors() -> None:
    expected, pinned = floors(), pins()
    assert expected, "no floors found in pyproject.toml: the check sees nothing"
    unpinned = sorted(set(expected) - set(pinned))
    assert unpinned == [], f"floors in pyproject.toml not pinned in constraints-lowest.txt: {unpinned}"
    extra = sorted(set(pinned) - set(expected))
    assert extra == [], f"pinned in constraints-lowest.txt but no floor in pyproject.toml: {extra}"
    differ = {
        name: f"pyproject >={expected[name]}, constraints =={pinned[name]}"
        for name in expected
        if expected[name] != pinned[name]
    }
    assert differ == {}, f"the floors disagree: {differ}"


def test_each_floor_is_allowed_by_the_rest_of_its_requirement() -> None:
    """A floor above an upper bound (`>=4.10,<4`) could never be installed."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = pins()
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name in pinned:
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{line!r} does not allow its floor {pinned[name]}"
            )
