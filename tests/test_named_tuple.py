"""walkbreak's NamedTuple makes what typing.NamedTuple makes, from the same class statement."""

from __future__ import annotations

import typing

import pytest

from walkbreak.core.named_tuple import NamedTuple


class Walk(NamedTuple):
    """A walk."""

    minutes: int
    note: str = ""
    parts: tuple[str, ...] = ()

    LONGEST = 60

    def longer(self, by: int) -> Walk:
        """This walk, `by` minutes longer."""
        return self._replace(minutes=self.minutes + by)

    @property
    def hours(self) -> float:
        return self.minutes / 60


class TypingWalk(typing.NamedTuple):
    minutes: int
    note: str = ""
    parts: tuple[str, ...] = ()


def test_the_same_tuple_as_typing_makes() -> None:
    walk, typed = Walk(5), TypingWalk(5)
    assert walk == typed == (5, "", ())
    assert Walk._fields == TypingWalk._fields == ("minutes", "note", "parts")
    assert Walk._field_defaults == TypingWalk._field_defaults == {"note": "", "parts": ()}
    assert isinstance(walk, tuple) and Walk.__mro__[1:] == (tuple, object)
    assert repr(Walk(5, note="x")) == "Walk(minutes=5, note='x', parts=())"
    assert Walk(minutes=3, parts=("a",)) == (3, "", ("a",))
    assert Walk._make([1, "n", ()]).note == "n"
    assert walk._asdict() == {"minutes": 5, "note": "", "parts": ()}
    with pytest.raises(TypeError):
        Walk()  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        walk.minutes = 6  # type: ignore[misc]


def test_the_class_body_is_kept() -> None:
    walk = Walk(30)
    assert Walk.__doc__ == "A walk."
    assert Walk.__module__ == __name__ and Walk.__qualname__ == "Walk"
    assert walk.longer(5) == Walk(35) and walk.hours == 0.5 and Walk.LONGEST == 60
    assert Walk.__annotations__ == {"minutes": "int", "note": "str", "parts": "tuple[str, ...]"}


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="a field without a default follows one with a default"):

        class Broken(NamedTuple):
            note: str = ""
            minutes: int  # type: ignore[misc]
