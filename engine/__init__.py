"""aktivitetsplikt: a workflow engine for the duty to act; the law comes as workflow packs.

The public API. Names are imported on first use, so ``aktivitetsplikt --help`` stays quick::

    from aktivitetsplikt.engine import Actor, bootstrap, load_settings

    engine = bootstrap(load_settings("config.toml"))
    case = engine.report(workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=..., actor=...)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aktivitetsplikt.engine.app.clock import FixedClock, SystemClock
    from aktivitetsplikt.engine.app.ports import Clock, Directory, Notifier
    from aktivitetsplikt.engine.app.service import Engine
    from aktivitetsplikt.engine.bootstrap import bootstrap, builtin_registry, upgrade_database
    from aktivitetsplikt.engine.config.settings import Settings, load_settings
    from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar
    from aktivitetsplikt.engine.core.chain import ChainVerdict
    from aktivitetsplikt.engine.core.model import Actor, Case, Event, Obligation, OutboxMessage
    from aktivitetsplikt.engine.core.registry import WorkflowRegistry
    from aktivitetsplikt.engine.core.spec import WorkflowSpec
    from aktivitetsplikt.engine.core.verdict import CaseVerdict
    from aktivitetsplikt.engine.errors import (
        AktivitetspliktError,
        CaseNotFound,
        ConcurrencyConflict,
        ConfigError,
        DatabaseBusy,
        DatabaseUnavailable,
        DocumentationMissing,
        FieldProblem,
        NotPermitted,
        SchemaOutdated,
        TransitionNotAllowed,
        WorkflowDefinitionError,
    )

_EXPORTS = {
    "bootstrap": "bootstrap",
    "builtin_registry": "bootstrap",
    "upgrade_database": "bootstrap",
    "Duration": "core.calendar",
    "SchoolCalendar": "core.calendar",
    "ChainVerdict": "core.chain",
    "CaseVerdict": "core.verdict",
    "FixedClock": "app.clock",
    "SystemClock": "app.clock",
    "AktivitetspliktError": "errors",
    "CaseNotFound": "errors",
    "ConcurrencyConflict": "errors",
    "ConfigError": "errors",
    "DatabaseBusy": "errors",
    "DatabaseUnavailable": "errors",
    "DocumentationMissing": "errors",
    "FieldProblem": "errors",
    "NotPermitted": "errors",
    "SchemaOutdated": "errors",
    "TransitionNotAllowed": "errors",
    "WorkflowDefinitionError": "errors",
    "Actor": "core.model",
    "Case": "core.model",
    "Event": "core.model",
    "Obligation": "core.model",
    "OutboxMessage": "core.model",
    "Clock": "app.ports",
    "Directory": "app.ports",
    "Notifier": "app.ports",
    "WorkflowRegistry": "core.registry",
    "Engine": "app.service",
    "Settings": "config.settings",
    "load_settings": "config.settings",
    "WorkflowSpec": "core.spec",
}

__all__ = [
    "Actor",
    "AktivitetspliktError",
    "Case",
    "CaseNotFound",
    "CaseVerdict",
    "ChainVerdict",
    "Clock",
    "ConcurrencyConflict",
    "ConfigError",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "Directory",
    "DocumentationMissing",
    "Duration",
    "Engine",
    "Event",
    "FieldProblem",
    "FixedClock",
    "NotPermitted",
    "Notifier",
    "Obligation",
    "OutboxMessage",
    "SchemaOutdated",
    "SchoolCalendar",
    "Settings",
    "SystemClock",
    "TransitionNotAllowed",
    "WorkflowDefinitionError",
    "WorkflowRegistry",
    "WorkflowSpec",
    "bootstrap",
    "builtin_registry",
    "load_settings",
    "upgrade_database",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'aktivitetsplikt.engine' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f"aktivitetsplikt.engine.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
