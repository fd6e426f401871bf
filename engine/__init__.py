"""aktivitetsplikt: a workflow engine for a Norwegian school's duty to act (opplæringslova §§ 12-4, 12-5).

The public API. Names are imported on first use, so ``aktivitetsplikt --help`` stays quick::

    from aktivitetsplikt.engine import Actor, bootstrap, load_settings

    engine = bootstrap(load_settings("config.toml"))
    case = engine.report(workflow="aktivitetsplikt", school="hellerud", pupil="elev-4711", document=..., actor=...)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aktivitetsplikt.engine.bootstrap import bootstrap, builtin_registry, upgrade_database
    from aktivitetsplikt.engine.calendar import Duration, SchoolCalendar
    from aktivitetsplikt.engine.chain import ChainVerdict
    from aktivitetsplikt.engine.clock import FixedClock, SystemClock
    from aktivitetsplikt.engine.errors import (
        AktivitetspliktError,
        CaseNotFound,
        ConcurrencyConflict,
        ConfigError,
        DocumentationMissing,
        FieldProblem,
        NotPermitted,
        SchemaOutdated,
        TransitionNotAllowed,
        WorkflowDefinitionError,
    )
    from aktivitetsplikt.engine.model import Actor, Case, Event, Obligation, OutboxMessage
    from aktivitetsplikt.engine.ports import Clock, Directory, Notifier
    from aktivitetsplikt.engine.registry import WorkflowRegistry
    from aktivitetsplikt.engine.service import Engine
    from aktivitetsplikt.engine.settings import Settings, load_settings
    from aktivitetsplikt.engine.spec import WorkflowSpec

_EXPORTS = {
    "bootstrap": "bootstrap",
    "builtin_registry": "bootstrap",
    "upgrade_database": "bootstrap",
    "Duration": "calendar",
    "SchoolCalendar": "calendar",
    "ChainVerdict": "chain",
    "FixedClock": "clock",
    "SystemClock": "clock",
    "AktivitetspliktError": "errors",
    "CaseNotFound": "errors",
    "ConcurrencyConflict": "errors",
    "ConfigError": "errors",
    "DocumentationMissing": "errors",
    "FieldProblem": "errors",
    "NotPermitted": "errors",
    "SchemaOutdated": "errors",
    "TransitionNotAllowed": "errors",
    "WorkflowDefinitionError": "errors",
    "Actor": "model",
    "Case": "model",
    "Event": "model",
    "Obligation": "model",
    "OutboxMessage": "model",
    "Clock": "ports",
    "Directory": "ports",
    "Notifier": "ports",
    "WorkflowRegistry": "registry",
    "Engine": "service",
    "Settings": "settings",
    "load_settings": "settings",
    "WorkflowSpec": "spec",
}

__all__ = [
    "Actor",
    "AktivitetspliktError",
    "Case",
    "CaseNotFound",
    "ChainVerdict",
    "Clock",
    "ConcurrencyConflict",
    "ConfigError",
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
