"""The OpenAPI bodies come from whatever packs are registered, test packs with ids of their own included."""

from __future__ import annotations

from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.http.openapi import DocumentSchemas
from tests.machines.check_in import PACK as CHECK_IN
from tests.machines.concern import CONCERN_PACK


def schemas() -> DocumentSchemas:
    registry = WorkflowRegistry()
    registry.register_pack(CHECK_IN)
    registry.register_pack(CONCERN_PACK)
    return DocumentSchemas(registry)


class TestDocumentSchemas:
    def test_two_packs_models_of_one_name_are_named_by_workflow(self) -> None:
        """Both test packs open with a model called Raise: each keeps its own component."""
        found = schemas()

        assert {"Raise_bekymring", "Raise_check_in"} <= set(found.components)
        assert "Raise" not in found.components

    def test_the_report_is_a_union_discriminated_by_workflow(self) -> None:
        """POST /cases maps each workflow id to its own request, whose document is that pack's report."""
        found = schemas()
        union = found.report_body()["requestBody"]["content"]["application/json"]["schema"]
        request = found.components["ReportRequest_bekymring"]

        assert {
            "bekymring": "#/components/schemas/ReportRequest_bekymring",
            "check_in": "#/components/schemas/ReportRequest_check_in",
        } == union["discriminator"]["mapping"]
        assert ("bekymring", {"$ref": "#/components/schemas/Raise_bekymring"}) == (
            request["properties"]["workflow"]["const"],
            request["properties"]["document"],
        )

    def test_every_other_trigger_has_a_typed_body(self) -> None:
        """Each step but the creating one is a path of its own, its body the pack's model."""
        found = schemas()
        body = found.step_body("acknowledge")["requestBody"]["content"]["application/json"]["schema"]

        assert {"$ref": "#/components/schemas/Acknowledge"} == body
        assert "raise" not in found.triggers
