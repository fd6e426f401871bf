"""The OpenAPI document's request bodies, generated from the workflow packs' documentation models.

Opening a case (``POST /cases``) takes a union discriminated by ``workflow``: each member carries that
workflow's own report model. Every other trigger has a path of its own (``POST /cases/{ref}/steps/<trigger>``)
whose body is that trigger's model, or any of them where workflows give the same trigger different models.
So a client generator types every field of every step. The service still validates with the engine
itself (one validator, with the case's dates as context): the schema describes, the engine decides.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from aktivitetsplikt.engine.core.documents import Document
from aktivitetsplikt.engine.core.registry import WorkflowRegistry
from aktivitetsplikt.engine.http.problems import Problem

REF = "#/components/schemas/{model}"
REF_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}


class DocumentSchemas:
    """The packs' documentation models as OpenAPI components, and the bodies that refer to them."""

    def __init__(self, registry: WorkflowRegistry) -> None:
        self.reports: dict[str, type[Document]] = {}
        self.steps: dict[str, list[type[Document]]] = {}
        self._workflows_of: dict[str, list[type[Document]]] = {}
        # Every version's steps: a case keeps the version it was opened on, so an older version's steps
        # are still taken; a report opens a case on the newest version.
        for spec in registry.versions():
            creating = spec.creating_transition.trigger
            for transition in spec.transitions:
                model = registry.document_model(spec, transition.trigger)
                self._workflows_of.setdefault(spec.id, []).append(model)
                if transition.trigger == creating:
                    self.reports.setdefault(spec.id, model)
                elif model not in (known := self.steps.setdefault(transition.trigger, [])):
                    known.append(model)
        every = list(dict.fromkeys([*self.reports.values(), *(m for ms in self.steps.values() for m in ms)]))
        keys, defs = models_json_schema([(m, "validation") for m in every], ref_template=REF)
        # Two packs' models of one name get pydantic's module-path names; name them by workflow instead.
        renamed = {
            keys[(m, "validation")]["$ref"]: REF.format(model=f"{m.__name__}_{self._first_workflow(m)}")
            for m in every
            if "__" in keys[(m, "validation")]["$ref"]
        }
        text = json.dumps({"keys": [keys[(m, "validation")] for m in every], "defs": defs.get("$defs", {})})
        for old, new in renamed.items():
            text = text.replace(f'"{old}"', f'"{new}"')
        shown = json.loads(text)
        self._refs = dict(zip(every, shown["keys"], strict=True))
        self.components: dict[str, Any] = {
            renamed.get(REF.format(model=name), REF.format(model=name)).rpartition("/")[2]: schema
            for name, schema in shown["defs"].items()
        }
        for workflow, model in self.reports.items():
            self.components[_report_name(workflow)] = _report_request(workflow, self._refs[model])

    def _first_workflow(self, model: type[Document]) -> str:
        for workflow, report in self.reports.items():
            if report is model:
                return workflow
        return next(w for w, ms in self._workflows_of.items() if model in ms)

    @property
    def triggers(self) -> list[str]:
        return sorted(self.steps)

    def step_body(self, trigger: str) -> dict[str, Any]:
        refs = [self._refs[m] for m in self.steps[trigger]]
        schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
        return _body(schema, f"The documentation of '{trigger}', as the case's workflow defines it.")

    def report_body(self) -> dict[str, Any]:
        mapping = {workflow: REF.format(model=_report_name(workflow)) for workflow in sorted(self.reports)}
        union = {
            "oneOf": [{"$ref": ref} for ref in mapping.values()],
            "discriminator": {"propertyName": "workflow", "mapping": mapping},
        }
        return _body(union, "The workflow, the unit, the pupil's reference and the report's documentation.")


def _problems_instead_of_fastapi_422(document: dict[str, Any]) -> None:
    """FastAPI documents a 422 of its own on every route with parameters; this service answers a bad
    parameter with a 400 problem instead (and 422 only for documentation, as each route declares)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422", {})
            if "application/json" in answer.get("content", {}):
                del operation["responses"]["422"]
    for name in ("HTTPValidationError", "ValidationError"):
        document["components"]["schemas"].pop(name, None)


def _report_name(workflow: str) -> str:
    return "ReportRequest_" + workflow


def _report_request(workflow: str, document: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "title": f"Report ({workflow})",
        "required": ["workflow", "school", "pupil", "document"],
        "additionalProperties": False,
        "properties": {
            "workflow": {"type": "string", "const": workflow},
            "school": {**REF_TEXT, "description": "The unit's id in the configuration."},
            "pupil": {**REF_TEXT, "description": "The pupil's (or child's) reference in your system, never a name."},
            "document": document,
        },
    }


def _body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def openapi_builder(app: FastAPI, schemas: DocumentSchemas, *, description: str) -> Callable[[], dict[str, Any]]:
    """``app.openapi``: FastAPI's document with the packs' models and the problem type in its components."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=description, routes=app.routes)
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(schemas.components)
            problem = Problem.model_json_schema(ref_template=REF)
            components.update(problem.pop("$defs", {}))
            components["Problem"] = problem
            _problems_instead_of_fastapi_422(document)
            app.openapi_schema = document
        return app.openapi_schema

    return build
