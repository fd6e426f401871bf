"""The case routes: open a case, take a step (one path per trigger), read a case, list cases.

Each route turns the caller into an Actor at the case's unit and calls the library; whether the actor
may do it is the engine's answer. Steps answer with the case after the step (its log is left out:
``GET /cases/{ref}`` has it) and its ``ETag`` (the case's version); a step sent with ``If-Match`` is
taken only on that version (412 otherwise). A step is one transaction, no reads around it, unless the
token names several units and the case's unit must be looked up to know where the caller stands.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.core.model import Actor, Case
from aktivitetsplikt.engine.errors import InvalidInput
from aktivitetsplikt.engine.http.auth import Identity
from aktivitetsplikt.engine.http.context import Caller, Svc, etag, expected_version, json_object
from aktivitetsplikt.engine.http.openapi import DocumentSchemas
from aktivitetsplikt.engine.http.problems import responses
from aktivitetsplikt.engine.http.schemas import AccessLogOut, AllowedOut, CaseOut
from aktivitetsplikt.engine.reports.export.access import log_json

Ref = Annotated[str, "The case's id or number, e.g. HEL-2026-0001."]
IfMatch = Annotated[
    str | None, Header(description='The ETag of the case as last read ("7"): refuse with 412 if it has moved on.')
]


def _answer(engine: Engine, case: Case, actor: Actor, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = etag(case.version)
    return engine.case_json(case, actor)


def reader_at(engine: Engine, caller: Identity, ref: str) -> Actor:
    """The caller as the actor who reads or acts on case ``ref``: at the case's unit when the token names
    several (only the unit is looked up, no content is read), else where the token stands."""
    return caller.actor(engine.school_of(ref) if len(caller.units) > 1 else None)


def _after_step(engine: Engine, case: Case, actor: Actor, response: Response) -> dict[str, Any]:
    return _answer(engine, case, actor, response) | {"events": []}


def router(schemas: DocumentSchemas) -> APIRouter:
    api = APIRouter(tags=["cases"])
    _reads(api)
    api.add_api_route(
        "/cases",
        _report,
        methods=["POST"],
        status_code=201,
        response_model=CaseOut,
        summary="Open a case with its report",
        responses=responses(400, 403, 404, 409, 413, 422),
        openapi_extra=schemas.report_body(),
    )
    for trigger in schemas.triggers:
        api.add_api_route(
            f"/cases/{{ref}}/steps/{trigger}",
            _step(trigger),
            methods=["POST"],
            response_model=CaseOut,
            summary=f"Take the step '{trigger}'",
            operation_id=f"step_{trigger}",
            responses=responses(400, 403, 404, 409, 412, 413, 422),
            openapi_extra=schemas.step_body(trigger),
        )
    return api


async def _report(request: Request, response: Response, svc: Svc, caller: Caller) -> dict[str, Any]:
    body = await json_object(request)
    extra = sorted(set(body) - {"workflow", "school", "pupil", "document"})
    texts = [body.get(key) for key in ("workflow", "school", "pupil")]
    if extra or not all(isinstance(t, str) for t in texts) or not isinstance(body.get("document"), dict):
        msg = "A report is an object of workflow, school and pupil (texts) and document (an object of fields)."
        raise InvalidInput(msg)
    workflow, school, pupil = (str(t) for t in texts)
    if school not in svc.engine.settings.units():
        # The engine calls an unknown unit a configuration error (exit 5 in the CLI); here the client named it.
        msg = f"No school or kindergarten has the id '{school}' in this service's configuration."
        raise InvalidInput(msg)

    def work() -> dict[str, Any]:
        actor = caller.actor(school)
        engine = svc.engine
        case = engine.report(workflow=workflow, school=school, pupil=pupil, document=body["document"], actor=actor)
        response.headers["Location"] = f"/cases/{case.id}"
        return _after_step(engine, case, actor, response)

    return await run_in_threadpool(work)


def _step(trigger: str) -> Callable[..., Coroutine[Any, Any, dict[str, Any]]]:
    async def step(
        ref: str, request: Request, response: Response, svc: Svc, caller: Caller, if_match: IfMatch = None
    ) -> dict[str, Any]:
        document = await json_object(request)
        version = expected_version(if_match)

        def work() -> dict[str, Any]:
            engine = svc.engine
            actor = reader_at(engine, caller, ref)
            case = engine.fire(ref, trigger, document, actor, expected_version=version)
            return _after_step(engine, case, actor, response)

        return await run_in_threadpool(work)

    step.__name__ = f"step_{trigger}"
    return step


def _reads(api: APIRouter) -> None:
    @api.get("/cases", response_model=list[CaseOut], summary="List cases", responses=responses(400, 403))
    def list_cases(
        svc: Svc,
        caller: Caller,
        school: Annotated[str | None, Query(max_length=200)] = None,
        state: Annotated[str | None, Query(max_length=200)] = None,
        school_year: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{4}$")] = None,
        overdue: bool = False,
        stuck: bool = False,
        closed: Annotated[bool, Query(description="Closed cases too.")] = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        """Cases matching every filter, the most urgent first; without their event logs."""
        engine = svc.engine
        found = engine.list_cases(
            actor=caller.actor(school),
            school=school,
            state=state,
            school_year=school_year,
            overdue=overdue,
            stuck=stuck,
            open_only=not closed and state is None,
            by_urgency=True,
            limit=limit,
        )
        return [engine.case_json(case, caller.actor(case.school)) | {"events": []} for case in found]

    @api.get("/cases/{ref}", response_model=CaseOut, summary="A case with its log", responses=responses(403, 404))
    def get_case(ref: str, response: Response, svc: Svc, caller: Caller) -> dict[str, Any]:
        """The case, its duties and its whole event log; the ETag is its version."""
        actor = reader_at(svc.engine, caller, ref)
        case = svc.engine.get(ref, actor=actor, read="json")
        return _answer(svc.engine, case, actor, response)

    @api.get(
        "/cases/{ref}/allowed",
        response_model=AllowedOut,
        summary="The steps the caller may take now",
        responses=responses(403, 404),
    )
    def allowed(ref: str, svc: Svc, caller: Caller) -> dict[str, Any]:
        actor = reader_at(svc.engine, caller, ref)
        case = svc.engine.get(ref, actor=actor, events=False)
        triggers = svc.engine.allowed_triggers(case, actor)
        return {"case": case.number, "version": case.version, "allowed_triggers": triggers}

    @api.get(
        "/cases/{ref}/access-log",
        response_model=AccessLogOut,
        summary="Who has read the case, oldest first (this read included)",
        responses=responses(403, 404),
    )
    def access_log(ref: str, svc: Svc, caller: Caller) -> dict[str, Any]:
        log = svc.engine.access_log(ref, actor=reader_at(svc.engine, caller, ref))
        return log_json(svc.engine, log)

    @api.get(
        "/cases/{ref}/verify",
        summary="Check the case: its hash chain, its rows against its log, its numbering",
        responses=responses(403, 404),
    )
    def verify(ref: str, svc: Svc, caller: Caller) -> dict[str, Any]:
        return svc.engine.verify(ref, actor=reader_at(svc.engine, caller, ref)).to_json()
