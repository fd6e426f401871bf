"""References from the embedding system (staff refs, pupil refs, school ids): bounded, printable text.

A reference is stored in indexed columns and shown in tables, so it must be short, must hold no control
characters (an ESC would drive a terminal) and must be valid Unicode (a lone surrogate cannot be stored
as UTF-8). A refusal names what is wrong, never the value: a pupil ref is personal data.
"""

from __future__ import annotations

import re

__all__ = ["EMPTY", "MAX_REF_LENGTH", "ref_problem", "text_problem"]

MAX_REF_LENGTH = 200
EMPTY = "is empty"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """What makes ``value`` unusable as stored text, or None."""
    if _SURROGATE.search(value):
        return "contains characters that are not valid Unicode text; send it as UTF-8"
    if _CONTROL.search(value):
        return "contains control characters; remove them"
    return None


def ref_problem(value: object) -> str | None:
    """What makes ``value`` unusable as a reference, or None."""
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if not value.strip():
        return EMPTY
    if len(value) > MAX_REF_LENGTH:
        return f"is longer than {MAX_REF_LENGTH} characters"
    return text_problem(value)
