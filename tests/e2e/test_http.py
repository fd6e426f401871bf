"""The HTTP service end to end: uvicorn on 127.0.0.1, tokens signed by a test key from a local JWKS.

The engine's clock is frozen at T0 (Wednesday 2 September 2026), as in the library's own tests, so the
documents' dates mean the same here; the tokens' expiry is checked against the real time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import FixedClock, Settings
from tests.conftest import ADMIN, plan_doc, pupil_heard, report_doc
from tests.e2e.http_support import Http, http_service, new_key

TEACHER = ("t-17", "staff")
PRINCIPAL = ("rektor@hellerud.example", "principal")
HANDLER = ("t-18", "case_handler")
PROBLEM = "application/problem+json"


@pytest.fixture
def http(settings: Settings, config_file: Path, clock: FixedClock) -> Iterator[Http]:
    """The service on a fresh SQLite file (``settings`` clears the AKTIVITETSPLIKT_* environment first)."""
    with http_service(config_file, clock) as service:
        yield service


def call(http: Http, who: tuple[str, str], method: str, path: str, **kwargs: Any) -> Any:
    with http.client(*who) as client:
        return client.request(method, path, **kwargs)


def report(http: Http, **overrides: Any) -> dict[str, Any]:
    body = {"workflow": "aktivitetsplikt", "school": "hellerud", "pupil": "elev-4711", "document": report_doc()}
    response = call(http, TEACHER, "POST", "/cases", json=body | overrides)
    assert 201 == response.status_code, response.text
    return dict(response.json())


def step(http: Http, who: tuple[str, str], case: dict[str, Any], trigger: str, doc: dict[str, Any]) -> Any:
    headers = {"If-Match": f'"{case["version"]}"'}
    return call(http, who, "POST", f"/cases/{case['id']}/steps/{trigger}", json=doc, headers=headers)


CLOSE_PATH: list[tuple[tuple[str, str], str, dict[str, Any], str]] = [
    (
        TEACHER,
        "notify_principal",
        {"notified_at": "2026-09-02T09:15", "channel": "muntlig", "summary": "Melding"},
        "principal_notified",
    ),
    (PRINCIPAL, "start_investigation", {"responsible": "t-18", "plan": "Samtaler med eleven."}, "investigating"),
    (
        HANDLER,
        "conclude_investigation",
        {
            "pupil_heard": pupil_heard(),
            "others_heard": ["kontaktlærer"],
            "findings": "Utestenging.",
            "conclusion": "measures_needed",
        },
        "planning",
    ),
    (HANDLER, "adopt_plan", plan_doc(), "measures_active"),
    (PRINCIPAL, "close", {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True)}, "closed"),
]


class TestACaseOverHttp:
    def test_a_case_goes_from_report_to_close(self, http: Http) -> None:
        """Report, notify, investigate, conclude, plan and close, each step with If-Match, end closed."""
        case = report(http)
        states = [case["state"]]
        for who, trigger, doc, _ in CLOSE_PATH:
            response = step(http, who, case, trigger, doc)
            assert 200 == response.status_code, response.text
            assert f'"{response.json()["version"]}"' == response.headers["ETag"]
            case = response.json()
            states.append(case["state"])

        assert ["reported", *(state for *_, state in CLOSE_PATH)] == states
        assert [] == case["events"]  # a step answers without the log; GET has it
        shown = call(http, PRINCIPAL, "GET", f"/cases/{case['number']}").json()
        assert ["report", *(t for _, t, _, _ in CLOSE_PATH)] == [e["trigger"] for e in shown["events"]]

    def test_a_step_answers_with_the_duties_it_created(self, http: Http) -> None:
        """notify_principal meets its duty and creates start_investigation, as the answer shows."""
        case = report(http)

        answer = step(http, TEACHER, case, *CLOSE_PATH[0][1:3]).json()

        assert [("notify_principal", True), ("start_investigation", False)] == [
            (o["kind"], o["satisfied_at"] is not None) for o in answer["obligations"]
        ]

    def test_the_report_answers_with_its_location_and_etag(self, http: Http) -> None:
        """201 with Location /cases/<id> and the ETag of version 1... whatever the first version is."""
        body = {"workflow": "aktivitetsplikt", "school": "hellerud", "pupil": "elev-1", "document": report_doc()}
        response = call(http, TEACHER, "POST", "/cases", json=body)

        assert (201, f"/cases/{response.json()['id']}", f'"{response.json()["version"]}"') == (
            response.status_code,
            response.headers["Location"],
            response.headers["ETag"],
        )

    def test_the_case_list_and_allowed_steps(self, http: Http) -> None:
        """GET /cases lists the open case; /allowed names the principal's steps on it."""
        case = report(http)

        listed = call(http, PRINCIPAL, "GET", "/cases", params={"school": "hellerud"}).json()
        allowed = call(http, TEACHER, "GET", f"/cases/{case['id']}/allowed").json()

        assert [case["number"]] == [c["number"] for c in listed]
        assert "notify_principal" in allowed["allowed_triggers"]


class TestReadsOverHttp:
    def test_every_read_route_is_logged_as_the_caller_through_http(self, http: Http) -> None:
        """Case, list, allowed, verify, dossier, agenda and audit each reach the access log as the caller."""
        case = report(http)
        for path, params in (
            (f"/cases/{case['id']}", {}),
            ("/cases", {"school": "hellerud"}),
            (f"/cases/{case['id']}/allowed", {}),
            (f"/cases/{case['id']}/verify", {}),
            (f"/cases/{case['id']}/dossier", {"format": "json"}),
            ("/agenda", {"school": "hellerud"}),
            ("/audit", {"school_year": "2026-2027", "school": "hellerud"}),
        ):
            assert 200 == call(http, PRINCIPAL, "GET", path, params=params).status_code, path

        reads = http.engine.access_log(case["id"], actor=ADMIN).reads
        logged = {(r.kind, r.face) for r in reads if r.actor_id == PRINCIPAL[0]}
        expected = {(kind, "http") for kind in ("json", "list", "show", "verify", "export", "agenda", "audit")}
        assert expected == logged

    def test_staff_with_no_part_in_a_case_do_not_read_it(self, http: Http) -> None:
        """Another teacher gets 403 for the case and an empty list; no read of theirs is logged."""
        case = report(http)
        stranger = ("t-20", "staff")

        shown = call(http, stranger, "GET", f"/cases/{case['id']}")
        listed = call(http, stranger, "GET", "/cases").json()

        reads = http.engine.access_log(case["id"], actor=ADMIN).reads
        assert (403, [], []) == (shown.status_code, listed, [r for r in reads if r.actor_id == "t-20"])


class TestProblems:
    def test_missing_documentation_is_422_with_the_fields(self, http: Http) -> None:
        """A report without its description: 422 DocumentationMissing listing the field."""
        doc = report_doc()
        del doc["description"]
        body = {"workflow": "aktivitetsplikt", "school": "hellerud", "pupil": "elev-4711", "document": doc}

        response = call(http, TEACHER, "POST", "/cases", json=body)

        assert (422, PROBLEM) == (response.status_code, response.headers["content-type"])
        assert ("DocumentationMissing", [{"field": "description", "problem": "is required but missing"}]) == (
            response.json()["error"],
            response.json()["fields"],
        )

    def test_a_body_that_is_not_json_is_400(self, http: Http) -> None:
        """Text that is not JSON: 400 InvalidInput."""
        case = report(http)
        with http.client(*TEACHER) as client:
            response = client.post(f"/cases/{case['id']}/steps/add_note", content=b"{not json")

        assert (400, "InvalidInput") == (response.status_code, response.json()["error"])

    def test_a_step_the_role_may_not_take_is_403(self, http: Http) -> None:
        """A teacher cannot start the investigation: 403 NotPermitted."""
        case = report(http)
        step(http, TEACHER, case, *CLOSE_PATH[0][1:3])
        case = call(http, TEACHER, "GET", f"/cases/{case['id']}").json()

        response = step(http, TEACHER, case, *CLOSE_PATH[1][1:3])

        assert (403, "NotPermitted") == (response.status_code, response.json()["error"])

    def test_an_unknown_case_is_404(self, http: Http) -> None:
        """No such case: 404 CaseNotFound."""
        response = call(http, TEACHER, "GET", "/cases/HEL-2026-9999")

        assert (404, "CaseNotFound", PROBLEM) == (
            response.status_code,
            response.json()["error"],
            response.headers["content-type"],
        )

    def test_a_step_not_allowed_in_the_state_is_409(self, http: Http) -> None:
        """Closing a case just reported: 409 TransitionNotAllowed with the steps allowed."""
        case = report(http)

        response = step(http, PRINCIPAL, case, "close", CLOSE_PATH[-1][2])

        assert (409, "TransitionNotAllowed") == (response.status_code, response.json()["error"])
        assert "notify_principal" in response.json()["allowed"]

    def test_a_stale_if_match_is_412(self, http: Http) -> None:
        """A step sent with the version before the last step: 412, and the case did not move."""
        case = report(http)
        assert 200 == step(http, TEACHER, case, "add_note", {"text": "Første notat."}).status_code

        response = step(http, TEACHER, case, "add_note", {"text": "Andre notat."})

        assert (412, "ConcurrencyConflict", case["version"] + 1) == (
            response.status_code,
            response.json()["error"],
            response.json()["current_version"],
        )

    def test_an_unknown_workflow_is_404(self, http: Http) -> None:
        """A report for a workflow nobody registered: 404 WorkflowNotFound."""
        body = {"workflow": "nope", "school": "hellerud", "pupil": "elev-4711", "document": report_doc()}

        response = call(http, TEACHER, "POST", "/cases", json=body)

        assert (404, "WorkflowNotFound") == (response.status_code, response.json()["error"])


class TestTokens:
    def test_no_token_is_401(self, http: Http) -> None:
        """Without a bearer token every route but health is 401 NotAuthenticated."""
        with http.client() as client:
            response = client.get("/cases")

        assert (401, "NotAuthenticated", PROBLEM) == (
            response.status_code,
            response.json()["error"],
            response.headers["content-type"],
        )

    def test_an_expired_token_is_401(self, http: Http) -> None:
        """A token whose exp passed (beyond the leeway) is refused."""
        token = http.token(*TEACHER, exp=int(time.time()) - 600, iat=int(time.time()) - 900)
        with http.client() as client:
            response = client.get("/cases", headers={"Authorization": f"Bearer {token}"})

        assert (401, "NotAuthenticated") == (response.status_code, response.json()["error"])
        assert "expired" in response.json()["detail"]

    def test_a_token_signed_by_a_foreign_key_is_401(self, http: Http) -> None:
        """A token with the right kid but signed by another key fails its signature."""
        token = http.token(*TEACHER, key=new_key())
        with http.client() as client:
            response = client.get("/cases", headers={"Authorization": f"Bearer {token}"})

        assert (401, "NotAuthenticated") == (response.status_code, response.json()["error"])

    @pytest.mark.parametrize(("claim", "value"), [("iss", "https://evil.example"), ("aud", "another-service")])
    def test_a_token_from_another_issuer_or_for_another_service_is_401(
        self, http: Http, claim: str, value: str
    ) -> None:
        """The issuer and the audience are checked."""
        token = http.token(*TEACHER, **{claim: value})
        with http.client() as client:
            response = client.get("/cases", headers={"Authorization": f"Bearer {token}"})

        assert 401 == response.status_code

    def test_a_token_without_a_known_role_is_403(self, http: Http) -> None:
        """A verified person whose groups map to no role may do nothing."""
        token = http.token(*TEACHER, groups=["alle"])
        with http.client() as client:
            response = client.get("/cases", headers={"Authorization": f"Bearer {token}"})

        assert (403, "NotPermitted") == (response.status_code, response.json()["error"])

    def test_a_unit_the_token_does_not_name_is_refused_by_the_engine(self, http: Http) -> None:
        """A teacher of furuset reporting at hellerud: the engine's NotPermitted, 403."""
        body = {"workflow": "aktivitetsplikt", "school": "hellerud", "pupil": "elev-4711", "document": report_doc()}
        with http.client("t-17", "staff", schools=["furuset"]) as client:
            response = client.post("/cases", json=body)

        assert (403, "NotPermitted") == (response.status_code, response.json()["error"])


class TestReadScope:
    def test_a_leadership_case_is_invisible_to_the_principal(self, http: Http) -> None:
        """A § 12-5 case accusing the leadership: not in the principal's list, 403 by its number."""
        doc = report_doc(accused_staff="t-20", accused_is_leadership=True)
        body = {"workflow": "skjerpa_aktivitetsplikt", "school": "hellerud", "pupil": "elev-2", "document": doc}
        leadership = call(http, TEACHER, "POST", "/cases", json=body).json()
        ordinary = report(http)

        listed = call(http, PRINCIPAL, "GET", "/cases").json()
        shown = call(http, PRINCIPAL, "GET", f"/cases/{leadership['number']}")
        owner = call(http, ("skoleeier@kommune.example", "school_owner"), "GET", f"/cases/{leadership['number']}")

        assert [ordinary["number"]] == [c["number"] for c in listed]
        assert (403, "NotPermitted") == (shown.status_code, shown.json()["error"])
        assert 200 == owner.status_code

    def test_every_read_over_http_is_in_the_access_log(self, http: Http) -> None:
        """A GET by the principal and the log's own read are recorded with the face http."""
        case = report(http)
        call(http, PRINCIPAL, "GET", f"/cases/{case['id']}")

        log = call(http, PRINCIPAL, "GET", f"/cases/{case['number']}/access-log").json()

        assert [("rektor@hellerud.example", "json", "http"), ("rektor@hellerud.example", "access_log", "http")] == [
            (r["actor_id"], r["kind"], r["face"]) for r in log["reads"]
        ]


class TestOperations:
    def test_health_and_readiness_are_open(self, http: Http) -> None:
        """/healthz and /readyz answer without a token; the schema is current."""
        with http.client() as client:
            health, ready = client.get("/healthz"), client.get("/readyz")

        assert (200, "oidc", None) == (health.status_code, health.json()["auth_mode"], health.json()["warning"])
        assert (200, "ready") == (ready.status_code, ready.json()["status"])

    def test_metrics_count_the_open_duties_per_school(self, http: Http) -> None:
        """After one report, hellerud has one open duty (notify the principal), none overdue yet."""
        report(http)
        text = call(http, TEACHER, "GET", "/metrics").text

        assert 'aktivitetsplikt_duties_open{school="hellerud"} 1.0' in text
        assert 'aktivitetsplikt_duties_overdue{school="hellerud"} 0.0' in text
        assert 'aktivitetsplikt_outbox_messages{status="pending"}' in text
        assert "aktivitetsplikt_http_request_seconds_bucket" in text

    def test_metrics_are_not_anonymous(self, http: Http) -> None:
        """Without a token /metrics is 401, like everything but the health checks."""
        with http.client() as client:
            assert 401 == client.get("/metrics").status_code

    def test_the_openapi_document_types_every_step(self, http: Http) -> None:
        """Each trigger has its path with the pack's model as its body; the report is a union by workflow."""
        with http.client() as client:
            document = client.get("/openapi.json").json()

        body = document["paths"]["/cases/{ref}/steps/adopt_plan"]["post"]["requestBody"]["content"]["application/json"]
        report_body = document["paths"]["/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        plans = [document["components"]["schemas"][ref["$ref"].rpartition("/")[2]] for ref in body["schema"]["anyOf"]]
        # One model per pack version that defines adopt_plan, each typed: the schools' 2024-08 and 2026-12
        # plans (a case keeps the version it was opened on) and the kindergartens'.
        assert 3 == len(plans)
        assert all({"problem", "measures", "evaluation_at"} <= set(plan["required"]) for plan in plans)
        assert "workflow" == report_body["discriminator"]["propertyName"]
