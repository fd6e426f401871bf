"""The workflow routes: which workflows this service runs, their steps, documentation schema and diagram."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from aktivitetsplikt.engine.http.context import Caller, Svc
from aktivitetsplikt.engine.http.problems import responses
from aktivitetsplikt.engine.http.schemas import StepRow, WorkflowOut
from aktivitetsplikt.engine.reports import diagram

api = APIRouter(tags=["workflows"])


@api.get("/workflows", response_model=list[WorkflowOut], summary="The workflows", responses=responses())
def workflows(svc: Svc, caller: Caller) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "version": s.version, "label": s.label, "legal_basis": s.legal_basis}
        for s in svc.engine.workflows()
    ]


@api.get("/workflows/{workflow}", response_model=list[StepRow], summary="A workflow's steps", responses=responses(404))
def workflow(workflow: str, svc: Svc, caller: Caller) -> list[dict[str, str]]:
    return diagram.rows(svc.engine.registry.spec(workflow))


@api.get("/workflows/{workflow}/schema", summary="JSON Schema of every step's documentation", responses=responses(404))
def schema(workflow: str, svc: Svc, caller: Caller) -> dict[str, Any]:
    return svc.engine.schema(workflow)


@api.get(
    "/workflows/{workflow}/diagram",
    response_class=PlainTextResponse,
    summary="The workflow as a Mermaid state diagram",
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, **responses(404)},
)
def workflow_diagram(workflow: str, svc: Svc, caller: Caller) -> str:
    return diagram.mermaid(svc.engine.registry.spec(workflow))
