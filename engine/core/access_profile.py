"""A workflow pack's access profile: where its law names the people with a part in a case.

Data of the pack, read by the generic access policy (``access.py``, ``identity.py``): which documentation
fields name the staff who hold a measure (they may read the case) and which case attribute names an
accused employee (who never reads it). When the leadership itself is accused is the spec's
``principal_replaced_when``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessProfile:
    """Where a workflow's law names people; the default names nobody."""

    measure_holders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Trigger -> dotted documentation paths naming the staff who hold a measure (through lists:
    ``measures.responsible``). They may read the case."""
    accused: str | None = None
    """The case attribute naming the employee accused in the case. They never read it."""
