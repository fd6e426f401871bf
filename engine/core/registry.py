"""The registry of workflow packs and definitions: validated once when registered, machines built once.

A pack (:class:`WorkflowPack`) brings a workflow's versions with its documentation models, rules, labels,
default deadlines, audit profile and dossier layout; :meth:`WorkflowRegistry.register_pack` checks all of
it against the spec. A bare definition (:meth:`WorkflowRegistry.register`, e.g. a newer version loaded from
TOML or JSON) uses the models and rules of its workflow's pack, or those the registry was built with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from aktivitetsplikt.engine.core.access_profile import AccessProfile
from aktivitetsplikt.engine.core.documents import Document, has_path
from aktivitetsplikt.engine.core.machine import WorkflowMachine
from aktivitetsplikt.engine.core.pack import Labels, Language, WorkflowPack
from aktivitetsplikt.engine.core.pack_checks import check_pack
from aktivitetsplikt.engine.core.rules import Rule, wants_log
from aktivitetsplikt.engine.core.spec import NEW_STATE, TransitionSpec, WorkflowSpec
from aktivitetsplikt.engine.errors import WorkflowDefinitionError, WorkflowNotFound


def _fail(spec: WorkflowSpec, problem: str) -> WorkflowDefinitionError:
    return WorkflowDefinitionError(f"Workflow {spec.id} {spec.version} is invalid: {problem}; fix its definition.")


def _check_unique(spec: WorkflowSpec) -> None:
    for what, names in (
        ("state", [s.id for s in spec.states]),
        ("trigger", [t.trigger for t in spec.transitions]),
        ("obligation kind", [o.kind for o in spec.obligations]),
    ):
        seen: set[str] = set()
        for name in names:
            if name in seen or name == NEW_STATE:
                raise _fail(spec, f"the {what} '{name}' is declared twice or uses a reserved name")
            seen.add(name)


def _item_fields(t: TransitionSpec) -> list[str]:
    """The paths inside list items a transition names: item ids, per-item due dates and keys."""
    fields = [f"{name}.id" for name in t.identify]
    for outcome in t.outcomes:
        for c in outcome.create:
            if c.for_each is not None or c.item_due is not None or c.item_key is not None:
                fields += [f"{c.for_each}.{c.item_due}", f"{c.for_each}.{c.item_key}"]
    return fields


def _check_fields(spec: WorkflowSpec, t: TransitionSpec, model: type[Document]) -> None:
    fields = [t.occurred_field] if t.occurred_field else []
    for outcome in t.outcomes:
        fields += [c.counted_from for c in outcome.create if c.counted_from != "event" and c.for_each is None]
        fields += list(outcome.set_case.values()) + list(outcome.satisfy_key.values())
        fields += [p for p in outcome.when if not p.startswith("case.")]
    fields += _item_fields(t)
    for path in fields:
        if not has_path(model, path):
            raise _fail(spec, f"'{t.trigger}' refers to '{path}', which {model.__name__} does not have")


def _check_transition(
    spec: WorkflowSpec, t: TransitionSpec, documents: Mapping[str, type[Document]], rules: Mapping[str, Rule]
) -> None:
    states = {s.id: s for s in spec.states}
    kinds = {o.kind for o in spec.obligations}
    if t.document not in documents:
        raise _fail(spec, f"'{t.trigger}' uses the unknown documentation model '{t.document}'")
    _check_fields(spec, t, documents[t.document])
    for rule in t.rules:
        if rule not in rules:
            raise _fail(spec, f"'{t.trigger}' names the unknown rule '{rule}' (known: {', '.join(rules) or 'none'})")
    sources = spec.source_states(t)
    for source in sources:
        if source != NEW_STATE and source not in states:
            raise _fail(spec, f"'{t.trigger}' starts from the unknown state '{source}'")
    for outcome in t.outcomes:
        if outcome.dest is not None and outcome.dest not in states:
            raise _fail(spec, f"'{t.trigger}' leads to the unknown state '{outcome.dest}'")
        if t.creates_case and outcome.dest is None:
            raise _fail(spec, f"'{t.trigger}' creates a case but names no state for it")
        leaves_final = any(source in states and states[source].final for source in sources)
        if outcome.dest is not None and leaves_final and not t.reopens:
            raise _fail(spec, f"'{t.trigger}' leaves a final state without being marked 'reopens'")
        named = [c.kind for c in outcome.create] + list(outcome.satisfy) + list(outcome.supersede)
        named += list(outcome.satisfy_all_open_except or ()) + list(outcome.satisfy_key)
        for kind in named:
            if kind not in kinds:
                raise _fail(spec, f"'{t.trigger}' names the unknown obligation kind '{kind}'")


def _check_reachable(spec: WorkflowSpec) -> None:
    reached = {NEW_STATE}
    changed = True
    while changed:
        changed = False
        for t in spec.transitions:
            if not reached.intersection(spec.source_states(t)):
                continue
            for outcome in t.outcomes:
                if outcome.dest is not None and outcome.dest not in reached:
                    reached.add(outcome.dest)
                    changed = True
    for state in spec.states:
        if state.id not in reached:
            raise _fail(spec, f"the state '{state.id}' cannot be reached")


def validate_spec(
    spec: WorkflowSpec, documents: Mapping[str, type[Document]], rules: Mapping[str, Rule] | None = None
) -> None:
    """Check a definition as a whole; raise :class:`WorkflowDefinitionError` naming the first problem."""
    _check_unique(spec)
    creating = [t for t in spec.transitions if t.creates_case]
    if len(creating) != 1:
        raise _fail(spec, f"it needs exactly one transition that creates a case, not {len(creating)}")
    if len({o.dest for o in creating[0].outcomes}) != 1:
        raise _fail(spec, "the creating transition must always lead to one initial state")
    kinds = {o.kind for o in spec.obligations}
    for state in spec.states:
        if state.final or state.no_deadline_reason:
            continue
        if state.obligation is None:
            raise _fail(spec, f"the state '{state.id}' has no deadline and no reason to have none")
        if state.obligation not in kinds:
            raise _fail(spec, f"the state '{state.id}' names the unknown obligation kind '{state.obligation}'")
    for transition in spec.transitions:
        _check_transition(spec, transition, documents, rules or {})
    _check_reachable(spec)
    _check_people(spec, documents)


def _check_people(spec: WorkflowSpec, documents: Mapping[str, type[Document]]) -> None:
    """The accused is set by a step, and each person field is a field of some step's documentation."""
    if spec.accused_attribute is not None and spec.setting(spec.accused_attribute) is None:
        raise _fail(spec, f"accused_attribute '{spec.accused_attribute}' is set by no step")
    for path in spec.person_fields:
        plain = path.replace("[].", ".")
        if not any(has_path(documents[t.document], plain) for t in spec.transitions if t.document in documents):
            raise _fail(spec, f"person_fields names '{path}', which no step's documentation has")


class WorkflowRegistry:
    """Validated workflow packs and definitions and their machines, by id (the newest version) or (id, version)."""

    def __init__(
        self, documents: Mapping[str, type[Document]] | None = None, rules: Mapping[str, Rule] | None = None
    ) -> None:
        self._base_documents = dict(documents or {})
        self._base_rules = dict(rules or {})
        self._packs: dict[str, WorkflowPack] = {}
        self._specs: dict[tuple[str, str], WorkflowSpec] = {}
        self._latest: dict[str, WorkflowSpec] = {}
        self._machines: dict[tuple[str, str], WorkflowMachine] = {}

    def register_pack(self, pack: WorkflowPack) -> None:
        """Register a pack and every version it brings; raise :class:`WorkflowDefinitionError` naming the
        first id the pack names that its spec lacks. A refused pack leaves the registry as it was."""
        if not pack.versions:
            msg = f"The workflow pack {pack.id} brings no version; give it at least one WorkflowSpec."
            raise WorkflowDefinitionError(msg)
        unknown = sorted(set(pack.editions) - {spec.version for spec in pack.versions})
        if unknown:
            msg = f"The workflow pack {pack.id} has an edition for {unknown[0]}, which is none of its versions."
            raise WorkflowDefinitionError(msg)
        for spec in pack.versions:
            if spec.id != pack.id:
                msg = f"The workflow pack {pack.id} brings a definition of '{spec.id}'; give it only {pack.id}."
                raise WorkflowDefinitionError(msg)
            validate_spec(spec, pack.documents, pack.rules)
            check_pack(pack, spec)
        self._packs[pack.id] = pack
        for spec in pack.versions:
            self._add(spec)

    def register(self, spec: WorkflowSpec) -> None:
        """Register one definition with the models and rules of its pack (or of this registry)."""
        validate_spec(spec, self._documents_of(spec.id), self._rules_of(spec.id))
        pack = self._packs.get(spec.id)
        if pack is not None:
            check_pack(pack, spec)
        self._add(spec)

    def _add(self, spec: WorkflowSpec) -> None:
        key = (spec.id, spec.version)
        self._specs[key] = spec
        self._machines[key] = WorkflowMachine(spec)
        current = self._latest.get(spec.id)
        if current is None or current.version <= spec.version:
            self._latest[spec.id] = spec

    def _documents_of(self, workflow: str) -> Mapping[str, type[Document]]:
        pack = self._packs.get(workflow)
        return pack.documents if pack is not None else self._base_documents

    def _rules_of(self, workflow: str) -> Mapping[str, Rule]:
        pack = self._packs.get(workflow)
        return pack.rules if pack is not None else self._base_rules

    def register_data(self, data: Mapping[str, Any]) -> WorkflowSpec:
        """Register a definition given as data (parsed TOML or JSON); never executes code."""
        try:
            spec = WorkflowSpec.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            msg = f"The workflow definition is invalid at '{where}': {first['msg']}; fix it and load it again."
            raise WorkflowDefinitionError(msg) from None
        self.register(spec)
        return spec

    def register_all(self, specs: Iterable[WorkflowSpec]) -> None:
        for spec in specs:
            self.register(spec)

    def spec(self, workflow: str, version: str | None = None) -> WorkflowSpec:
        found = self._latest.get(workflow) if version is None else self._specs.get((workflow, version))
        if found is None:
            known = ", ".join(sorted(self._latest)) or "none"
            wanted = workflow if version is None else f"{workflow} {version}"
            msg = f"Unknown workflow '{wanted}'; use one of: {known}."
            raise WorkflowNotFound(msg)
        return found

    def pack(self, workflow: str) -> WorkflowPack:
        """The pack of a workflow; a workflow registered without one has none."""
        found = self._packs.get(workflow)
        if found is None:
            self.spec(workflow)  # an unknown workflow is named as such
            msg = f"Workflow '{workflow}' was registered without a pack; register it with register_pack()."
            raise WorkflowDefinitionError(msg)
        return found

    def access(self, workflow: str) -> AccessProfile:
        """The pack's access profile; a workflow registered without a pack names no parties."""
        pack = self._packs.get(workflow)
        return pack.access if pack is not None else AccessProfile()

    def hiding_attributes(self) -> tuple[str, ...]:
        """Every registered version's ``principal_replaced_when``: the case attributes that hide a case
        from the unit's leadership."""
        return tuple(sorted({s.principal_replaced_when for s in self._specs.values() if s.principal_replaced_when}))

    def packs(self) -> list[WorkflowPack]:
        return [self._packs[k] for k in sorted(self._packs)]

    def words(self, workflow: str, language: Language = "nb") -> Labels | None:
        """The pack's labels of a workflow in ``language``; None for a workflow registered without a pack."""
        pack = self._packs.get(workflow)
        return pack.labels[language] if pack is not None else None

    def rule(self, spec: WorkflowSpec, name: str) -> Rule:
        return self._rules_of(spec.id)[name]

    def needs_log(self, spec: WorkflowSpec, trigger: str) -> bool:
        """Whether one of the rules of ``trigger`` reads the case log (so the step must load the events)."""
        transition = spec.transition(trigger)
        if transition is None:
            return False
        return any(wants_log(self.rule(spec, name)) for name in transition.rules)

    def machine(self, workflow: str, version: str) -> WorkflowMachine:
        self.spec(workflow, version)
        return self._machines[(workflow, version)]

    def document_model(self, spec: WorkflowSpec, trigger: str) -> type[Document]:
        transition = spec.transition(trigger)
        if transition is None:
            msg = f"Workflow {spec.id} has no trigger '{trigger}'."
            raise WorkflowDefinitionError(msg)
        return self._documents_of(spec.id)[transition.document]

    def json_schema(self, workflow: str, version: str | None = None) -> dict[str, Any]:
        """JSON Schema of every trigger's documentation in a workflow version (by default its newest)."""
        spec = self.spec(workflow, version)
        documents = self._documents_of(workflow)
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"{spec.id} {spec.version}: documentation per trigger",
            "workflow": spec.id,
            "version": spec.version,
            "triggers": {
                t.trigger: documents[t.document].model_json_schema(mode="validation") for t in spec.transitions
            },
        }

    def workflows(self) -> list[WorkflowSpec]:
        return [self._latest[k] for k in sorted(self._latest)]

    def versions(self) -> list[WorkflowSpec]:
        """Every version of every workflow, by workflow id, the newest of each first (cases keep theirs)."""
        return [s for latest in self.workflows() for s in (latest, *self._older(latest))]

    def _older(self, latest: WorkflowSpec) -> list[WorkflowSpec]:
        older = [s for (w, v), s in self._specs.items() if w == latest.id and v != latest.version]
        return sorted(older, key=lambda s: s.version, reverse=True)
