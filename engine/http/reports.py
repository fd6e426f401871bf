"""The report routes: the internal audit and the meeting agenda as JSON, a case's dossier as HTML or JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response

from aktivitetsplikt.engine.errors import InvalidInput
from aktivitetsplikt.engine.http.cases import reader_at
from aktivitetsplikt.engine.http.context import Caller, Svc
from aktivitetsplikt.engine.http.problems import responses
from aktivitetsplikt.engine.reports import export
from aktivitetsplikt.engine.reports.agenda import DEFAULT_DAYS, meeting_agenda
from aktivitetsplikt.engine.reports.audit import audit_school_year

api = APIRouter(tags=["reports"])
SchoolYear = Annotated[str, Query(pattern=r"^[0-9]{4}-[0-9]{4}$", description="e.g. 2025-2026")]
School = Annotated[str | None, Query(max_length=200, description="Only this unit (its id in the config).")]


@api.get("/audit", summary="Internal audit of a school year", responses=responses(400, 403))
def audit(svc: Svc, caller: Caller, school_year: SchoolYear, school: School = None) -> dict[str, Any]:
    first, second = (int(part) for part in school_year.split("-"))
    if second != first + 1:
        msg = f"school_year '{school_year}' is not a school year; write it like 2025-2026."
        raise InvalidInput(msg)
    return audit_school_year(svc.engine, school_year, school, actor=caller.actor(school)).to_json()


@api.get("/agenda", summary="The meeting agenda: duties due soon and overdue", responses=responses(400, 403))
def agenda(
    svc: Svc, caller: Caller, school: School = None, days: Annotated[int, Query(ge=0, le=366)] = DEFAULT_DAYS
) -> dict[str, Any]:
    return meeting_agenda(svc.engine, school, actor=caller.actor(school), days=days).to_json()


DOSSIER_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The dossier: one printable HTML page, or JSON.",
        "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}},
    }
}


@api.get(
    "/cases/{ref}/dossier",
    summary="The whole documentation of a case, for the supervising authority (confidential)",
    response_class=Response,
    responses={**DOSSIER_CONTENT, **responses(403, 404)},
    tags=["cases"],
)
def dossier(ref: str, svc: Svc, caller: Caller, format: Literal["html", "json"] = "html") -> Response:
    case = svc.engine.get(ref, actor=reader_at(svc.engine, caller, ref), read="export")
    # The dossier holds the pupil reference and every free text: no cache may keep it.
    headers = {"Cache-Control": "no-store"}
    if format == "json":
        return JSONResponse(export.export_json(svc.engine, case), headers=headers)
    return HTMLResponse(export.render_html(svc.engine, case), headers=headers)
