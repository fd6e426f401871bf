"""What every route needs: the service's parts, the verified caller, a JSON body read within bounds."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.core.limits import MAX_DOC_BYTES, MAX_DOC_DEPTH, nesting_depth
from aktivitetsplikt.engine.errors import InvalidInput, NotAuthenticated
from aktivitetsplikt.engine.http.auth import Identity, TokenVerifier
from aktivitetsplikt.engine.http.openapi import DocumentSchemas
from aktivitetsplikt.engine.http.problems import BodyTooLarge


@dataclass(frozen=True)
class Service:
    engine: Engine
    verifier: TokenVerifier
    schemas: DocumentSchemas
    readiness: Callable[[], tuple[str | None, str]]
    """The schema revision the database is at and the one this code needs; raises when it cannot be reached."""
    metrics_token: str | None = None


def service_of(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


async def service(request: Request) -> Service:
    # async: a plain attribute read, not worth the hop to the thread pool that a sync dependency takes
    return service_of(request)


_bearer = HTTPBearer(auto_error=False, description="An OIDC access token (JWT) from the identity provider.")


def identity(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Identity:
    """The verified caller; no route but the health checks answers without one."""
    if credentials is None:
        msg = "This service needs a bearer token in the Authorization header; sign in with your identity provider."
        raise NotAuthenticated(msg)
    caller = service_of(request).verifier.verify(credentials.credentials)
    request.state.actor_id = caller.id  # for the access log line, which names staff, never pupils
    return caller


def scraper(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """/metrics: the configured scrape token, else any verified caller (counts per unit, no case)."""
    expected = service_of(request).metrics_token
    given = credentials.credentials if credentials is not None else ""
    if expected is not None and hmac.compare_digest(given.encode(), expected.encode()):
        return
    identity(request, credentials)


Caller = Annotated[Identity, Depends(identity)]
Svc = Annotated[Service, Depends(service)]


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object, refused (400/413) when it is not one or is larger or deeper than any
    documentation; its fields are the engine's to judge."""
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > MAX_DOC_BYTES:
            msg = f"The body is larger than {MAX_DOC_BYTES // 1024} KiB; send only the step's fields."
            raise BodyTooLarge(msg)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        msg = "The body is not JSON in UTF-8; send the documentation as a JSON object."
        raise InvalidInput(msg) from None
    if not isinstance(data, dict):
        msg = "The body must be a JSON object of fields."
        raise InvalidInput(msg)
    if nesting_depth(data) > MAX_DOC_DEPTH:
        msg = "The body nests objects or lists too deeply; send only the step's fields."
        raise InvalidInput(msg)
    return data


_ETAG = re.compile(r'"([0-9]{1,18})"')


def expected_version(if_match: str | None) -> int | None:
    """The case version an ``If-Match`` names (``"7"``); None for no header or ``*`` (any version)."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _ETAG.fullmatch(if_match.strip())
    if found is not None:
        return int(found[1])
    msg = 'If-Match must be the ETag of the case as sent, like "7" (with the quotes), or *.'
    raise InvalidInput(msg)


def etag(version: int) -> str:
    return f'"{version}"'
