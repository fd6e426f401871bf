"""What ``case verify`` and the audit say of one case: its chain, and its rows against its log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aktivitetsplikt.engine.core.chain import ChainVerdict, verify_chain
from aktivitetsplikt.engine.core.model import Case, OutboxMessage, Party
from aktivitetsplikt.engine.core.numbering import NumberingFinding
from aktivitetsplikt.engine.core.projection import Difference, SpecOf, differences, replay


@dataclass(frozen=True)
class CaseVerdict:
    """The chain (every event as recorded), the projection (every stored field as the log says) and the
    numbering of the case's unit and school year (no gap, no number twice)."""

    chain: ChainVerdict
    differences: tuple[Difference, ...] = ()
    unsealed: int = 0
    """Events from before effects were recorded: the rows were compared only as far as the log shows."""
    numbering: tuple[NumberingFinding, ...] = field(default=())

    @property
    def intact(self) -> bool:
        """The chain holds, every row is what the log says, and the numbering has no gap or reuse."""
        return self.chain.intact and not self.differences and not self.numbering

    # The chain's fields, as ``verify`` returned them before it compared the rows too.
    @property
    def case_id(self) -> str:
        return self.chain.case_id

    @property
    def events(self) -> int:
        return self.chain.events

    @property
    def broken_at(self) -> int | None:
        return self.chain.broken_at

    @property
    def problem(self) -> str | None:
        return self.chain.problem

    def to_json(self) -> dict[str, Any]:
        return self.chain.to_json() | {
            "intact": self.intact,
            "chain_intact": self.chain.intact,
            "differences": [d.to_json() for d in self.differences],
            "partial": self.unsealed > 0,
            "unsealed_events": self.unsealed,
            "numbering": [n.to_json() for n in self.numbering],
        }


def check_case(
    case: Case,
    spec_of: SpecOf,
    messages: Sequence[OutboxMessage] | None = None,
    parties: Sequence[Party] | None = None,
    numbering: Sequence[NumberingFinding] = (),
) -> CaseVerdict:
    """Verify a case loaded with its ``events`` (and, to compare them too, its messages and parties)."""
    events = case.events or []
    chain = verify_chain(case.id, events, case.head_hash)
    projection = replay(events, spec_of, case)
    found = differences(projection, case, messages, parties)
    return CaseVerdict(chain, tuple(found), projection.unsealed, tuple(numbering))
