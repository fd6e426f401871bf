"""The ``aktivitetsplikt`` command line (spec section 8).

Heavy imports (SQLAlchemy, pydantic, the workflows) happen inside commands, so ``--help`` stays quick.
Exit codes: 0 ok, 1 refused by the rules, 2 usage, 3 not found, 4 conflict, 5 configuration or database.
The console script is ``aktivitetsplikt.engine.cli:main``.
"""

from __future__ import annotations

# Importing the command modules registers their commands on the apps of ``_app``.
from aktivitetsplikt.engine.cli import (
    access,
    agenda,
    cases,
    export,
    operations,
    record,
    reports,
    retention,
    serve,
    workflows,
)
from aktivitetsplikt.engine.cli._app import app

__all__ = [
    "access",
    "agenda",
    "app",
    "cases",
    "export",
    "main",
    "operations",
    "record",
    "reports",
    "retention",
    "serve",
    "workflows",
]


def main() -> None:
    app()
