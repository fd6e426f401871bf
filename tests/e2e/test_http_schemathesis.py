"""Schemathesis against the running service's /openapi.json: whatever a client sends that the document
allows (and much that it does not), the service answers without a 5xx, with a status, a content type
and a body the document declares.

Bounded for CI: a few examples per operation (a few hundred requests in all), on SQLite. Every path
with a case ref is pointed at one real case, so the generated steps reach the engine's own validation
and rules, not only "no such case".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from aktivitetsplikt.engine import FixedClock, Settings
from tests.conftest import report_doc
from tests.e2e.http_support import Http, http_service

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = 10
SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


@pytest.fixture
def served(settings: Settings, config_file: Path, clock: FixedClock) -> Iterator[tuple[Http, str]]:
    with http_service(config_file, clock) as http, http.client("rektor@hellerud.example", "principal") as client:
        body = {"workflow": "aktivitetsplikt", "school": "hellerud", "pupil": "elev-1", "document": report_doc()}
        case = client.post("/cases", json=body).json()
        yield http, case["number"]


@pytest.mark.e2e
def test_the_service_keeps_its_openapi_document(served: tuple[Http, str]) -> None:
    """No 5xx; every status, content type, header and body as /openapi.json declares, on every operation."""
    http, number = served
    api = schemathesis.openapi.from_url(f"{http.url}/openapi.json")
    headers = {"Authorization": f"Bearer {http.token('rektor@hellerud.example', 'principal')}"}
    failures: list[str] = []
    operations = [result.ok() for result in api.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=SLOW)
        def exchange(case: Any) -> None:
            if case.path_parameters and "ref" in case.path_parameters:
                case.path_parameters["ref"] = number
            case.call_and_validate(base_url=http.url, headers=headers, checks=CHECKS)

        try:
            exchange()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; the test lists each one that failed
            failures.append(f"{operation.label}: {str(exc)[:2000]}")

    assert (True, []) == (len(operations) > 25, failures)
