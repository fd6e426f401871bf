"""Case numbers are gap-free per unit and school year: 1, 2, 3 ... A gap means a case was removed; a
number (or sequence) held by two cases means one was reused or forged. Both are findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Numbered:
    """One stored case as numbering sees it."""

    school: str
    school_year: str
    sequence: int
    number: str


@dataclass(frozen=True)
class NumberingFinding:
    """A gap (``missing``) or a number used twice (``duplicate``) in one unit's school year."""

    code: str
    school: str
    school_year: str
    number: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "school": self.school, "school_year": self.school_year, "number": self.number}


def _number(prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:04d}"


def numbering_findings(cases: Iterable[Numbered]) -> list[NumberingFinding]:
    """Gaps and reuses in the numbering of each (unit, school year) among ``cases``."""
    groups: dict[tuple[str, str], list[Numbered]] = {}
    for case in cases:
        groups.setdefault((case.school, case.school_year), []).append(case)
    found: list[NumberingFinding] = []
    for (school, year), members in sorted(groups.items()):
        numbers = Counter(c.number for c in members)
        sequences = Counter(c.sequence for c in members)
        for c in members:
            suffix = c.number.rsplit("-", 1)[-1]
            if numbers[c.number] > 1 or sequences[c.sequence] > 1 or not suffix.isdigit() or int(suffix) != c.sequence:
                found.append(NumberingFinding("duplicate", school, year, c.number))
        prefix = members[0].number.rsplit("-", 1)[0]
        for missing in sorted(set(range(1, max(sequences) + 1)) - set(sequences)):
            found.append(NumberingFinding("missing", school, year, _number(prefix, missing)))
    return sorted(set(found), key=lambda f: (f.school, f.school_year, f.number, f.code))
