"""structlog set-up for the entry points: pretty on a terminal, JSON lines otherwise, always on stderr.

Library modules only call ``structlog.get_logger()``; nothing here runs at import time.
"""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.typing import EventDict, WrappedLogger


def add_log_level(_logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
    """The log level under ``log_level``, as ``structlog.testing.capture_logs`` has it.

    structlog's own ``add_log_level`` writes ``level``, which would overwrite the escalation level that
    the dispatcher and the notifiers log under that key.
    """
    event_dict["log_level"] = "warning" if method_name == "warn" else method_name
    return event_dict


def configure_logging(*, json: bool | None = None, level: int = logging.INFO) -> None:
    as_json = (not sys.stderr.isatty()) if json is None else json
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
