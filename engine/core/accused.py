"""The person a workflow keeps out of a case (``WorkflowSpec.accused_attribute``), known by identity.

An accused employee can be named by a staff ref, an address or a configured id; the directory says which
refs are one person (``Directory.person``). So the accused can never take a step on the case, never be
named in one of the spec's ``person_fields`` (the case's responsible, a measure's responsible), and when
the accused is the head of the unit or a deputy, the head is taken out of the case
(``principal_replaced_when``) whatever the reporter ticked.
"""

from __future__ import annotations

from typing import Any

from aktivitetsplikt.engine.core.directory import Directory
from aktivitetsplikt.engine.core.documents import Document, each_value, lookup
from aktivitetsplikt.engine.core.model import Actor, Case
from aktivitetsplikt.engine.core.policy import Unit
from aktivitetsplikt.engine.core.spec import Outcome, TransitionSpec, WorkflowSpec
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem, NotPermitted


class Accused:
    """Who is who at one unit, to keep one workflow's accused out of its cases."""

    def __init__(self, spec: WorkflowSpec, directory: Directory, unit: Unit) -> None:
        self.spec = spec
        self.directory = directory
        self.unit = unit

    def key(self, ref: str) -> str:
        """The person a ref belongs to; a ref the directory does not know stands for itself."""
        return self.directory.person(self.unit.id, ref) or ref.strip()

    def same(self, first: str, second: str) -> bool:
        return self.key(first) == self.key(second)

    def accused(self, attributes: dict[str, Any]) -> str | None:
        name = self.spec.accused_attribute
        value = attributes.get(name) if name is not None else None
        return value if isinstance(value, str) and value.strip() else None

    def leadership(self, ref: str) -> bool:
        """Whether ``ref`` is the head of the unit or one of its deputies."""
        return any(self.same(ref, lead) for lead in (self.unit.principal, *self.unit.deputies))

    def is_accused(self, case: Case, actor: Actor) -> bool:
        accused = self.accused(case.attributes)
        return accused is not None and self.same(actor.id, accused)

    def check_actor(self, case: Case, actor: Actor) -> None:
        """Refuse any step by the accused, under any ref that is theirs."""
        if self.is_accused(case, actor):
            msg = (
                f"{actor.id} is the employee accused in case {case.number}, and the accused can take no step "
                "on it; someone else must."
            )
            raise NotPermitted(msg)

    def check_fields(self, case: Case, transition: TransitionSpec, outcome: Outcome, document: Document) -> None:
        """Refuse a step naming the accused where the spec keeps them out (the responsible, a measure's), or
        turning off the routing the accused's place in the leadership demands."""
        after = self._accused_after(outcome, document) or self.accused(case.attributes)
        problems = [
            FieldProblem(path, "is the accused employee; appoint someone else")
            for path, ref in each_value(document, self.spec.person_fields)
            if isinstance(ref, str) and after is not None and self.same(ref, after)
        ]
        if after is not None and not transition.creates_case:
            problems += self._unrouting(outcome, document, after)
        if problems:
            raise DocumentationMissing(transition.trigger, problems)

    def _unrouting(self, outcome: Outcome, document: Document, accused: str) -> list[FieldProblem]:
        """A later step may not turn off the routing an accused head or deputy demands (the report may tick
        anything: the routing follows identity all the same)."""
        path = outcome.set_case.get(self.spec.principal_replaced_when or "")
        if path is None or lookup(document, path) is not False or not self.leadership(accused):
            return []
        return [
            FieldProblem(path, "cannot be false: the accused is the head of the unit or a deputy, so the owner acts")
        ]

    def _accused_after(self, outcome: Outcome, document: Document) -> str | None:
        name = self.spec.accused_attribute
        if name is None or name not in outcome.set_case:
            return None
        value = lookup(document, outcome.set_case[name])
        return value if isinstance(value, str) else None

    def route_by_identity(self, attributes: dict[str, Any]) -> None:
        """Take the head out of the case when the accused is the head or a deputy, whatever was ticked."""
        accused, replaced = self.accused(attributes), self.spec.principal_replaced_when
        if accused is not None and replaced is not None and self.leadership(accused):
            attributes[replaced] = True
