"""A step's documentation as rows people read, whatever the workflow: each field with its label.

A nested object becomes a nested list of rows, a list of objects a table, free text stays text, and every
other value reads through :meth:`Words.value` (instants, yes/no, value labels).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aktivitetsplikt.engine.reports.export.sections import CORRECTS
from aktivitetsplikt.engine.reports.export.words import Words, is_instant

MISSING = "ikke dokumentert"
NONE_LISTED = "ingen"
_SHOWN_ELSEWHERE = (CORRECTS,)
"""The correction's target is the entry's heading, not one of its fields."""


@dataclass(frozen=True)
class Row:
    """One field: ``kind`` says how the page shows it."""

    label: str
    kind: Literal["text", "value", "missing", "fields", "table", "person"]
    text: str = ""
    rows: tuple[Row, ...] = ()
    """``fields``: the nested object's fields."""
    columns: tuple[str, ...] = ()
    """``table``: the column labels."""
    cells: tuple[tuple[Row, ...], ...] = field(default=())
    """``table``: one tuple of cells (rows without a label of their own) per item."""


def rows(
    words: Words, document: Mapping[str, Any], prefix: str = "", person: Callable[[str], bool] = lambda _: False
) -> tuple[Row, ...]:
    """Every field of a documentation (or a nested object), in the order it was recorded; a field whose
    path ``person`` says names a person is a ``person`` row holding the ref."""
    return tuple(
        shown(words, prefix + name, value, person)
        for name, value in document.items()
        if not (prefix == "" and name in _SHOWN_ELSEWHERE)
    )


def shown(words: Words, path: str, value: Any, person: Callable[[str], bool] = lambda _: False) -> Row:
    label = words.field(path)
    if value is None or value in ([], ""):
        return Row(label, "missing", words.t(NONE_LISTED if isinstance(value, list) else MISSING))
    if isinstance(value, Mapping):
        return Row(label, "fields", rows=rows(words, value, path + ".", person))
    if isinstance(value, list) and all(isinstance(item, Mapping) for item in value):
        return _table(words, path, label, value, person)
    if isinstance(value, str) and person(path):
        return Row(label, "person", value)
    if isinstance(value, str) and not is_instant(path) and not words.labelled(path):
        return Row(label, "text", value)
    return Row(label, "value", words.value(path, value))


def _table(words: Words, path: str, label: str, items: list[Mapping[str, Any]], person: Callable[[str], bool]) -> Row:
    names = list(dict.fromkeys(name for item in items for name in item))
    cells = tuple(tuple(shown(words, f"{path}.{name}", item.get(name), person) for name in names) for item in items)
    return Row(label, "table", columns=tuple(words.field(f"{path}.{name}") for name in names), cells=cells)
