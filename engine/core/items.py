"""Items of a list in the documentation that later steps refer to one by one.

A plan's measures or the measures an authority imposed are followed up item by item: each item gets a
stable id (``TransitionSpec.identify``), may carry a duty of its own (``CreateObligation.for_each``), and
a later step meets the duty of the item it names (``Outcome.satisfy_key``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from aktivitetsplikt.engine.core.documents import Document, lookup
from aktivitetsplikt.engine.core.model import Case, Obligation
from aktivitetsplikt.engine.core.spec import CreateObligation, Outcome, TransitionSpec
from aktivitetsplikt.engine.errors import DocumentationMissing, FieldProblem

ID_FIELD = "id"


def identify(transition: TransitionSpec, document: Document, seq: int) -> Document:
    """The document with an id on every item of the transition's ``identify`` lists that had none.

    An id is ``<first letter of the list>-<seq of the step>-<place in the list>`` (``m-7-2``): short, and
    unique within the case because the step's seq is. An id repeated within one list is refused.
    """
    updates: dict[str, list[Any]] = {}
    for name in transition.identify:
        items = lookup(document, name) or []
        seen: set[str] = set()
        for place, item in enumerate(items):
            if item.id in seen:
                problem = FieldProblem(f"{name}.{place}.{ID_FIELD}", f"repeats the id '{item.id}'; give each its own")
                raise DocumentationMissing(transition.trigger, [problem])
            if item.id is not None:
                seen.add(item.id)
        updates[name] = [
            item if item.id is not None else item.model_copy(update={ID_FIELD: f"{name[0]}-{seq}-{place}"})
            for place, item in enumerate(items, start=1)
        ]
    return document.model_copy(update=updates) if updates else document


def items_of(rule: CreateObligation, document: Document) -> Iterator[tuple[str, datetime]]:
    """The (key, due instant) of each item a per-item duty is created for."""
    assert rule.for_each is not None and rule.item_due is not None and rule.item_key is not None
    for item in lookup(document, rule.for_each) or []:
        yield str(lookup(item, rule.item_key)), lookup(item, rule.item_due)


def keyed(trigger: str, case: Case, outcome: Outcome, document: Document) -> list[Obligation]:
    """The open duties ``outcome.satisfy_key`` names by the document's keys; refused, naming the field,
    when a key matches no open duty of its kind."""
    found: list[Obligation] = []
    for kind, path in outcome.satisfy_key.items():
        key = lookup(document, path)
        match = [o for o in case.open_obligations(kind) if o.key is not None and o.key == str(key)]
        if not match:
            open_keys = ", ".join(o.key for o in case.open_obligations(kind) if o.key is not None) or "none"
            problem = FieldProblem(path, f"names no open '{kind}' of this case (open: {open_keys})")
            raise DocumentationMissing(trigger, [problem])
        found.extend(match)
    return found


def met(duties: list[Obligation], at: datetime, seq: int) -> list[Obligation]:
    """The duties as met at ``at`` by the step ``seq``."""
    return [replace(o, satisfied_at=at, satisfied_by_seq=seq, next_escalation_at=None) for o in duties]
