"""Errors as RFC 9457 problem details (``application/problem+json``): one table from error class to status.

The body carries the typed error's class name (``error``), its one-sentence message (``detail``) and, for
:class:`DocumentationMissing`, the list of bad fields, so a client in any language can show each field's
problem next to its input. The same names are what the CLI prints with ``--json``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from aktivitetsplikt.engine.errors import (
    AktivitetspliktError,
    CaseNotFound,
    ConcurrencyConflict,
    ConfigError,
    DatabaseBusy,
    DatabaseUnavailable,
    DocumentationMissing,
    InvalidInput,
    MessageNotFound,
    NotAuthenticated,
    NotPermitted,
    SchemaOutdated,
    TransitionNotAllowed,
    WorkflowDefinitionError,
    WorkflowNotFound,
)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:aktivitetsplikt:problem:"


class BodyTooLarge(InvalidInput):
    """The request body is larger than any documentation a person writes (answered with 413)."""


STATUS: dict[type[AktivitetspliktError], int] = {
    BodyTooLarge: 413,
    InvalidInput: 400,
    NotAuthenticated: 401,
    NotPermitted: 403,
    CaseNotFound: 404,
    MessageNotFound: 404,
    WorkflowNotFound: 404,
    TransitionNotAllowed: 409,
    ConcurrencyConflict: 409,
    DocumentationMissing: 422,
    SchemaOutdated: 503,
    DatabaseBusy: 503,
    DatabaseUnavailable: 503,
    WorkflowDefinitionError: 500,
    ConfigError: 500,
    AktivitetspliktError: 400,
}
"""Every error the engine raises on purpose, by the most specific class in its MRO. A stale ``If-Match``
turns a ConcurrencyConflict into 412 (see :func:`stale`); every other conflict is 409."""

TITLES = {
    400: "Ugyldig forespørsel",
    401: "Ikke innlogget",
    403: "Ikke tillatt",
    404: "Finnes ikke",
    409: "Konflikt",
    412: "Saken er endret",
    413: "For stor forespørsel",
    422: "Dokumentasjonen er ufullstendig",
    428: "Versjon mangler",
    500: "Feil i tjenesten",
    503: "Tjenesten er ikke klar",
}


class FieldProblemOut(BaseModel):
    field: str
    problem: str


class Problem(BaseModel):
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail`` and the engine's extension members."""

    type: str = Field(description="urn:aktivitetsplikt:problem:<error class>")
    title: str
    status: int
    detail: str
    error: str = Field(description="The engine's error class, e.g. DocumentationMissing.")
    fields: list[FieldProblemOut] | None = None
    allowed: list[str] | None = Field(default=None, description="TransitionNotAllowed: the triggers allowed now.")
    current_version: int | None = Field(default=None, description="A stale If-Match: the case's version now.")


def status_of(exc: AktivitetspliktError) -> int:
    return next(STATUS[cls] for cls in type(exc).__mro__ if cls in STATUS)


def problem(status: int, error: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": TYPE_PREFIX + error,
        "title": TITLES.get(status, "Feil"),
        "status": status,
        "detail": detail,
        "error": error,
        **{k: v for k, v in extra.items() if v is not None},
    }
    headers = {"WWW-Authenticate": 'Bearer realm="aktivitetsplikt"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def from_error(exc: AktivitetspliktError) -> JSONResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, DocumentationMissing):
        extra["fields"] = [f.to_json() for f in exc.fields]
    if isinstance(exc, TransitionNotAllowed):
        extra["allowed"] = list(exc.allowed)
    return problem(status_of(exc), type(exc).__name__, exc.message, **extra)


def stale(exc: ConcurrencyConflict) -> JSONResponse:
    """412: the ``If-Match`` version is not the case's version (RFC 9110 section 13.1.1)."""
    return problem(412, type(exc).__name__, exc.message, current_version=exc.actual)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route's problems; 401 and 500 can answer any protected route."""
    schema = {"$ref": "#/components/schemas/Problem"}  # added to the components in openapi.py
    return {
        status: {"description": TITLES[status], "content": {PROBLEM_JSON: {"schema": schema}}}
        for status in sorted({*statuses, 401, 500, 503})
    }
