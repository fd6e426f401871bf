"""The definition and the pack a stored case was handled under, looked up once per workflow version."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aktivitetsplikt.engine.core.model import Case
from aktivitetsplikt.engine.errors import WorkflowDefinitionError

if TYPE_CHECKING:
    from aktivitetsplikt.engine.core.pack import WorkflowPack
    from aktivitetsplikt.engine.core.registry import WorkflowRegistry
    from aktivitetsplikt.engine.core.spec import WorkflowSpec


def spec_lookup(registry: WorkflowRegistry) -> Callable[[Case], WorkflowSpec]:
    """The definition a case was handled under; a version no longer registered falls back to the newest."""
    cache: dict[tuple[str, str], WorkflowSpec] = {}

    def spec_of(case: Case) -> WorkflowSpec:
        key = (case.workflow, case.workflow_version)
        spec = cache.get(key)
        if spec is None:
            try:
                spec = registry.spec(*key)
            except WorkflowDefinitionError:
                spec = registry.spec(case.workflow)
            cache[key] = spec
        return spec

    return spec_of


def pack_lookup(registry: WorkflowRegistry) -> Callable[[Case], WorkflowPack]:
    """The pack of a case's workflow: its audit profile and its words. A workflow registered without a pack
    is refused with :class:`WorkflowDefinitionError` rather than audited against nothing."""

    def pack_of(case: Case) -> WorkflowPack:
        return registry.pack(case.workflow)

    return pack_of
