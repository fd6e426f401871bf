"""How large and how deep a step's documentation may be, for every face that reads it from outside.

Pure constants and one function, no pydantic: the command line imports this before its ``--help``.
"""

from __future__ import annotations

from typing import Any

MAX_DOC_BYTES = 1024 * 1024
"""A step's documentation is text a person wrote: a megabyte is far more than any real one."""
MAX_DOC_DEPTH = 16
"""The deepest documentation model nests objects in lists a few levels; anything deeper is not ours."""


def nesting_depth(value: Any) -> int:
    """How deep objects and lists nest in ``value`` (iteratively: a deep value must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
