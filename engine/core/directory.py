"""The one port the pure core needs: who receives what is meant for a role on a case."""

from __future__ import annotations

from typing import Protocol

from aktivitetsplikt.engine.core.model import Case


class Directory(Protocol):
    """Resolves who a message goes to. The default reads ``[schools.*]``; embedders plug their own."""

    def addresses(self, case: Case, role: str) -> list[str]:
        """The addresses of everyone holding ``role`` (principal, school_owner, responsible, reporter)
        on the case. A staff ref with no known address is returned as it is, so the send fails loudly."""
        ...
