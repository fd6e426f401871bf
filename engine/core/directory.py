"""The one port the pure core needs of the people at a unit: who receives what, and who someone is."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aktivitetsplikt.engine.core.model import Case


class Directory(Protocol):
    """Resolves who a message goes to and who a ref belongs to. The default reads ``[schools.*]`` and
    ``[kindergartens.*]``; embedders plug their own."""

    def addresses(self, case: Case, role: str) -> list[str]:
        """The addresses of everyone holding ``role`` (principal, school_owner, responsible, reporter)
        on the case. A staff ref with no known address is returned as it is, so the send fails loudly."""
        ...

    def person(self, school: str, ref: str) -> str | None:
        """The canonical key of the person ``ref`` (a staff ref, an address, the configured principal,
        deputy or owner id) belongs to at the unit ``school``, or None when the directory does not know
        the ref. Two refs of one person give the same key, so checks compare people, not strings."""
        ...


@runtime_checkable
class PersonNames(Protocol):
    """What a Directory may also know: the name a person is known by. Optional: the default directory
    (the config) knows addresses, not names; an embedder's directory that knows names adds this method,
    and the dossier then shows people by name (with their role and ref beside) instead of by role."""

    def name(self, school: str, ref: str) -> str | None:
        """The full name of the person ``ref`` belongs to at the unit ``school``; None when unknown."""
        ...
