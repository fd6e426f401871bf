"""Operations: health and readiness (open), Prometheus metrics, and the outbox.

``/healthz`` says the process answers and, loudly, when it runs on the development key. ``/readyz`` says
the database answers and its schema is the one this code needs. ``/metrics`` carries counts per unit,
never a case or a person; it takes the scrape token of ``[http] metrics_token`` or a verified token.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from aktivitetsplikt.engine.errors import AktivitetspliktError
from aktivitetsplikt.engine.http.context import Caller, Svc, scraper
from aktivitetsplikt.engine.http.problems import responses
from aktivitetsplikt.engine.http.schemas import Health, MessageOut, Ready

api = APIRouter()
DEV_WARNING = "DEVELOPMENT MODE: tokens are signed with a static key; never use this with real cases."


@api.get("/healthz", response_model=Health, tags=["operations"], summary="The process answers")
def healthz(svc: Svc) -> dict[str, Any]:
    development = svc.verifier.development
    return {"status": "ok", "auth_mode": svc.verifier.auth.mode, "warning": DEV_WARNING if development else None}


@api.get(
    "/readyz",
    response_model=Ready,
    tags=["operations"],
    summary="The database answers and its schema is current",
    responses={503: {"model": Ready, "description": "Not ready"}},
)
def readyz(svc: Svc) -> Any:
    try:
        current, head = svc.readiness()
    except AktivitetspliktError as exc:
        return JSONResponse({"status": "not ready", "schema_revision": None, "detail": exc.message}, status_code=503)
    if current is None or current != head:
        detail = (
            f"The database schema is at {current or 'nothing'}, this version needs {head}; "
            "run 'aktivitetsplikt db upgrade'."
        )
        return JSONResponse({"status": "not ready", "schema_revision": current, "detail": detail}, status_code=503)
    return {"status": "ready", "schema_revision": current}


@api.get(
    "/metrics",
    tags=["operations"],
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, **responses()},
)
async def metrics(request: Request, _: Annotated[None, Depends(scraper)]) -> Response:
    registry = request.app.state.metrics.registry
    body = await run_in_threadpool(generate_latest, registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@api.get(
    "/outbox",
    response_model=list[MessageOut],
    tags=["outbox"],
    summary="Outbox messages, newest first",
    responses=responses(400, 403),
)
def outbox(
    svc: Svc,
    caller: Caller,
    status: Literal["pending", "sent", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    return [m.to_json() for m in svc.engine.outbox(actor=caller.actor(), status=status, limit=limit)]


@api.post(
    "/outbox/{message_id}/retry",
    response_model=MessageOut,
    tags=["outbox"],
    summary="Queue a failed message again",
    responses=responses(403, 404),
)
def retry(message_id: str, svc: Svc, caller: Caller) -> dict[str, Any]:
    return svc.engine.retry_message(message_id, actor=caller.actor()).to_json()
