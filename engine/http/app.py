"""The FastAPI application: routes, the problem+json error handlers, the access log and the metrics.

Build it with :func:`create_app` from an Engine (``bootstrap``) and a :class:`TokenVerifier`;
``aktivitetsplikt serve`` does that and runs it under uvicorn.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.errors import AktivitetspliktError, ConcurrencyConflict
from aktivitetsplikt.engine.http import cases, catalog, operations, reports
from aktivitetsplikt.engine.http.auth import TokenVerifier
from aktivitetsplikt.engine.http.context import Service
from aktivitetsplikt.engine.http.metrics import Metrics
from aktivitetsplikt.engine.http.openapi import DocumentSchemas, openapi_builder
from aktivitetsplikt.engine.http.problems import from_error, problem, stale

log = structlog.get_logger(__name__)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

DESCRIPTION = """The duty to act (aktivitetsplikt) in schools and kindergartens, over HTTP.

Every route but `/healthz` and `/readyz` needs an OIDC bearer token (`/metrics` also takes the
scraper's static token). What the caller may do
and read is the engine's rule, the same as in the library and the command line. Errors are RFC 9457
`application/problem+json` with the engine's error class in `error`. A step answers with the case's
version as its `ETag`; send it back in `If-Match` to take a step on exactly that version (412 otherwise).
"""


def create_app(
    engine: Engine,
    verifier: TokenVerifier,
    readiness: Callable[[], tuple[str | None, str]],
    *,
    metrics_token: str | None = None,
) -> FastAPI:
    """The service for ``engine``; ``readiness`` gives the database's schema revision and the one needed;
    ``metrics_token`` is the Prometheus scraper's static token (else /metrics takes a verified token)."""
    app = FastAPI(title="aktivitetsplikt", version="1", docs_url="/docs", redoc_url=None)
    schemas = DocumentSchemas(engine.registry)
    app.state.service = Service(engine, verifier, schemas, readiness, metrics_token)
    app.state.metrics = metrics = Metrics(engine)
    for router in (cases.router(schemas), reports.api, catalog.api, operations.api):
        app.include_router(router)
    _handle_errors(app)
    app.add_middleware(AccessLog, metrics=metrics)
    app.openapi = openapi_builder(app, schemas, description=DESCRIPTION)  # type: ignore[method-assign]
    if verifier.development:
        log.warning("development_mode", warning=operations.DEV_WARNING)
    return app


def _handle_errors(app: FastAPI) -> None:
    async def engine_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AktivitetspliktError)
        if isinstance(exc, ConcurrencyConflict) and exc.expected is not None and "if-match" in request.headers:
            return stale(exc)
        if not (400 <= (response := from_error(exc)).status_code < 500):
            log.error("request_failed", error=type(exc).__name__, detail=exc.message)
        return response

    async def bad_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = [{"field": ".".join(str(p) for p in e["loc"]), "problem": str(e["msg"])} for e in exc.errors()]
        detail = "The request's parameters are not valid; fix the fields listed."
        return problem(400, "InvalidInput", detail, fields=fields)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        error = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HttpError")
        return problem(exc.status_code, error, str(exc.detail))

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("request_crashed", error=type(exc).__name__)
        return problem(500, "InternalError", "The service failed on this request; it is logged for the operators.")

    app.add_exception_handler(AktivitetspliktError, engine_error)
    app.add_exception_handler(RequestValidationError, bad_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


class AccessLog:
    """One line per request: method, route template, status, duration and the staff ref of the caller;
    never the path (it names cases), the query or the body (they may name pupils). Also the latency
    metric. Plain ASGI, so the answer streams through without the copy a BaseHTTPMiddleware makes."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        status = 500  # unless the app answers: an exception passes through here to the last-resort handler

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-Id", request_id)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - started
            route = str(getattr(scope.get("route"), "path", "unmatched"))
            self.metrics.requests.labels(scope["method"], route, str(status)).observe(elapsed)
            log.info(
                "http_request",
                method=scope["method"],
                route=route,
                status=status,
                ms=round(elapsed * 1000, 1),
                actor_id=scope.get("state", {}).get("actor_id"),
                request_id=request_id,
            )
