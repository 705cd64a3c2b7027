"""`NamedTuple` for walkbreak's record types, without importing `typing` when the program runs.

mypy reads typing's own NamedTuple (the TYPE_CHECKING branch). When the program runs, a class
statement on this one makes the same `collections.namedtuple` from the class's annotations and
defaults, but leaves the annotations as the strings `from __future__ import annotations` made
them. typing's compiles each into a ForwardRef, and importing typing at all costs a tenth of
`walkbreak status`, a command status bars run every few seconds.

`TYPE_CHECKING = False` is the spelling of `typing.TYPE_CHECKING` that mypy also understands,
without the import.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    class _Fields(type):
        """Turns `class Name(NamedTuple): field: type = default ...` into a named tuple."""

        def __new__(cls, name, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(cls, name, bases, namespace)
            fields = namespace.get("__annotations__", {})
            defaults = [namespace[field] for field in fields if field in namespace]
            if any(field not in namespace for field in list(fields)[len(fields) - len(defaults) :]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            made = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
            made.__annotations__ = fields
            for key, value in namespace.items():  # the docstring, methods and class constants
                if key not in fields and key not in ("__module__", "__annotations__"):
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_Fields):
        """The base of a class statement that makes a named tuple."""
