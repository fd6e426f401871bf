"""The checks a pack passes when it is registered: everything it names exists in its workflow's spec.

A label, a default deadline, an audit demand or a dossier section that names a state, trigger, duty or
field the spec lacks would make the engine silently skip it; here it is a definition error instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from aktivitetsplikt.engine.core.documents import has_path
from aktivitetsplikt.engine.core.model import ROLES
from aktivitetsplikt.engine.core.pack import LANGUAGES, WorkflowPack
from aktivitetsplikt.engine.core.spec import RECIPIENT_ROLES, WorkflowSpec
from aktivitetsplikt.engine.errors import WorkflowDefinitionError

__all__ = ["check_pack"]


def _fail(pack: WorkflowPack, spec: WorkflowSpec, problem: str) -> WorkflowDefinitionError:
    return WorkflowDefinitionError(f"Workflow pack {pack.id} ({spec.version}) is invalid: {problem}; fix the pack.")


def check_pack(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    """Raise :class:`WorkflowDefinitionError` naming the first id of the pack that ``spec`` lacks.

    The audit profile and the dossier layout checked are those of ``spec``'s version (its edition). The
    labels serve every version of the pack: each must have one for every id of ``spec``, and none for an
    id that no version has."""
    _check_labels(pack, spec)
    _check_deadlines(pack, spec)
    _check_audit(pack, spec)
    _check_dossier(pack, spec)
    _check_access(pack, spec)


def _same_ids(
    pack: WorkflowPack,
    spec: WorkflowSpec,
    what: str,
    given: Iterable[str],
    wanted: Iterable[str],
    known: Iterable[str] = (),
) -> None:
    """Every id ``wanted`` is ``given``; nothing is given that is neither wanted nor ``known`` (an id of
    another version of the workflow)."""
    given, wanted = set(given), set(wanted)
    unknown = given - wanted - set(known)
    if unknown:
        raise _fail(pack, spec, f"{what} names {', '.join(sorted(unknown))}, which the spec does not have")
    if wanted - given:
        raise _fail(pack, spec, f"{what} lacks {', '.join(sorted(wanted - given))}")


def _check_labels(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    others = [other for other in pack.versions if other.version != spec.version]
    states = {s.id for other in others for s in other.states}
    steps = {t.trigger for other in others for t in other.transitions}
    duties = {o.kind for other in others for o in other.obligations}
    for language in LANGUAGES:
        labels = pack.labels.get(language)
        if labels is None:
            raise _fail(pack, spec, f"it has no labels in '{language}'")
        where = f"labels[{language}]"
        _same_ids(pack, spec, f"{where}.states", labels.states, (s.id for s in spec.states), states)
        _same_ids(pack, spec, f"{where}.steps", labels.steps, (t.trigger for t in spec.transitions), steps)
        _same_ids(pack, spec, f"{where}.duties", labels.duties, (o.kind for o in spec.obligations), duties)
        _same_ids(pack, spec, f"{where}.roles", labels.roles, {*ROLES, *RECIPIENT_ROLES})


def _check_deadlines(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    configured = {o.kind for o in spec.obligations if o.deadline == "configured"}
    missing = configured - set(pack.deadlines)
    if missing:
        raise _fail(pack, spec, f"deadlines lacks a default for {', '.join(sorted(missing))}")
    documented = {o.kind for o in spec.obligations if o.deadline == "document"}
    if documented & set(pack.deadlines):
        names = ", ".join(sorted(documented & set(pack.deadlines)))
        raise _fail(pack, spec, f"deadlines gives {names}, whose due date comes from the documentation")


def _trigger(pack: WorkflowPack, spec: WorkflowSpec, what: str, trigger: str) -> None:
    if spec.transition(trigger) is None:
        raise _fail(pack, spec, f"{what} names the trigger '{trigger}', which the spec does not have")


def _field(pack: WorkflowPack, spec: WorkflowSpec, what: str, trigger: str, field: str) -> None:
    _trigger(pack, spec, what, trigger)
    transition = spec.transition(trigger)
    assert transition is not None  # checked just above
    model = pack.documents.get(transition.document)
    if model is None or not has_path(model, field):
        raise _fail(pack, spec, f"{what} names the field '{field}' of '{trigger}', which its documentation lacks")


def _duty(pack: WorkflowPack, spec: WorkflowSpec, what: str, kind: str) -> None:
    if kind not in {o.kind for o in spec.obligations}:
        raise _fail(pack, spec, f"{what} names the duty '{kind}', which the spec does not have")


def _check_audit(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    profile = pack.audit_for(spec.version)
    states = {s.id for s in spec.states}
    for trigger, fields in profile.essential.items():
        for name in fields:
            _field(pack, spec, "audit.essential", trigger, name)
    for step in profile.required_steps:
        _trigger(pack, spec, "audit.required_steps", step.trigger)
        unknown = set(step.when_reached) - states
        if unknown:
            raise _fail(pack, spec, f"audit.required_steps names the state '{sorted(unknown)[0]}', which it lacks")
    for closing in profile.closing_steps:
        _trigger(pack, spec, "audit.closing_steps", closing.trigger)
        for name in closing.when:
            _field(pack, spec, "audit.closing_steps", closing.trigger, name)
    for voice in profile.voice:
        path = voice.field if voice.subfield is None else f"{voice.field}.{voice.subfield}"
        for name in (path, *voice.when):
            _field(pack, spec, "audit.voice", voice.trigger, name)
    for recurring in profile.recurring:
        _duty(pack, spec, "audit.recurring", recurring.duty)
        _trigger(pack, spec, "audit.recurring", recurring.trigger)
    _check_audit_additions(pack, spec)
    notice = profile.owner_notice
    if notice is not None:
        _duty(pack, spec, "audit.owner_notice", notice.duty)
        for trigger in (*notice.notice_triggers, *notice.replaced_notice_triggers):
            _field(pack, spec, "audit.owner_notice", trigger, notice.notified_field)
        if notice.serious_trigger is not None:
            _field(pack, spec, "audit.owner_notice", notice.serious_trigger, notice.serious_field or "")


def _check_audit_additions(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    """The demands before a closing, the duties met only by their own steps, and the pack's own checks."""
    profile = pack.audit_for(spec.version)
    for demand in profile.before_closing:
        for trigger in (demand.trigger, demand.closing, *demand.after):
            _trigger(pack, spec, "audit.before_closing", trigger)
        for name in demand.when:
            _field(pack, spec, "audit.before_closing", demand.closing, name)
    for kind, triggers in profile.own_steps.items():
        _duty(pack, spec, "audit.own_steps", kind)
        for trigger in triggers:
            _trigger(pack, spec, "audit.own_steps", trigger)
    for name in profile.hooks:
        if name not in pack.audit_hooks:
            known = ", ".join(pack.audit_hooks) or "none"
            raise _fail(pack, spec, f"audit.hooks names '{name}', which the pack's audit_hooks lack (known: {known})")


def _set_on_case(spec: WorkflowSpec) -> set[str]:
    return {name for t in spec.transitions for o in t.outcomes for name in o.set_case}


def _check_dossier(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    dossier = pack.dossier_for(spec.version)
    for section in dossier.sections:
        for trigger in section.all_triggers:
            _trigger(pack, spec, f"dossier section '{section.key}'", trigger)
    attributes = _set_on_case(spec)
    for name in dossier.case_attributes:
        if name not in attributes:
            raise _fail(pack, spec, f"dossier.case_attributes names '{name}', which no step sets on the case")


def _check_access(pack: WorkflowPack, spec: WorkflowSpec) -> None:
    for trigger, paths in pack.access.measure_holders.items():
        for path in paths:
            _field(pack, spec, "access.measure_holders", trigger, path)
    accused = pack.access.accused
    if accused is not None and accused not in _set_on_case(spec):
        raise _fail(pack, spec, f"access.accused names '{accused}', which no step sets on the case")
