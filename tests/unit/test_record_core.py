"""The pure parts of the record: numbering findings, the Merkle root, and comparing with a checkpoint."""

from __future__ import annotations

from datetime import UTC, datetime

from aktivitetsplikt.engine.core.checkpoint import Head, compare, merkle_root
from aktivitetsplikt.engine.core.numbering import Numbered, numbering_findings

T = datetime(2026, 9, 2, tzinfo=UTC)


def numbered(*sequences: int, number: str | None = None) -> list[Numbered]:
    return [Numbered("hellerud", "2026-2027", s, number or f"HEL-2026-{s:04d}") for s in sequences]


def head(case_id: str, seq: int = 3, number: str = "HEL-2026-0001", opened: datetime = T) -> Head:
    return Head(case_id, number, "hellerud", "2026-2027", opened.isoformat(), seq, f"h{case_id}{seq}")


class TestNumbering:
    def test_gap_free_numbers_are_no_finding(self) -> None:
        """1, 2, 3: nothing to say."""
        assert [] == numbering_findings(numbered(1, 2, 3))

    def test_a_gap_names_the_missing_number(self) -> None:
        """1, 3: number 2 is missing."""
        assert [("missing", "HEL-2026-0002")] == [(f.code, f.number) for f in numbering_findings(numbered(1, 3))]

    def test_a_number_twice_is_found(self) -> None:
        """Two cases with sequence 2: both are named as a duplicate."""
        found = numbering_findings(numbered(1, 2) + numbered(2, number="HEL-2026-0002"))
        assert [("duplicate", "HEL-2026-0002")] == [(f.code, f.number) for f in found]


class TestMerkle:
    def test_the_root_does_not_depend_on_the_order(self) -> None:
        """The heads are sorted by case id before hashing."""
        heads = [head("a"), head("b"), head("c")]
        assert merkle_root(heads) == merkle_root(list(reversed(heads)))

    def test_any_head_changes_the_root(self) -> None:
        """One event more on one case: another root."""
        assert merkle_root([head("a"), head("b")]) != merkle_root([head("a"), head("b", seq=4)])


class TestCompare:
    def test_each_kind_of_change_has_its_code(self) -> None:
        """Removed, rewritten, back-dated and a reused number; a case that only went on is no finding."""
        then = [head("a"), head("b", number="HEL-2026-0002"), head("c", number="HEL-2026-0003")]
        now = [
            head("a", seq=5),
            head("c", number="HEL-2026-0003"),
            head("d", number="HEL-2026-0002", opened=T.replace(day=1)),
        ]
        hashes = {("a", 3): "ha3", ("c", 3): "forged"}
        found = [(f.code, f.case_id) for f in compare(then, T, now, hashes)]
        assert [("removed", "b"), ("rewritten", "c"), ("number_reused", "d"), ("backdated", "d")] == found
