"""Workflow ``aktivitetsplikt``: the duty to act, opplæringslova § 12-4 (spec section 2)."""

from __future__ import annotations

from aktivitetsplikt.engine.core.spec import CreateObligation, WorkflowSpec
from aktivitetsplikt.workflows import _common as c
from aktivitetsplikt.workflows._audit import SCHOOL_AUDIT
from aktivitetsplikt.workflows._dossier import SCHOOL_DOSSIER
from aktivitetsplikt.workflows._school import deadlines, school_labels, school_pack

NOTIFY_PRINCIPAL_DUTY = (CreateObligation(kind="notify_principal", counted_from="occurred_at"),)

LABELS = school_labels(
    {"nb": "Aktivitetsplikt (§ 12-4)", "nn": "Aktivitetsplikt (§ 12-4)"}, "opplæringslova § 12-4", "§ 12-4"
)

AKTIVITETSPLIKT = WorkflowSpec(
    id="aktivitetsplikt",
    version=c.VERSION,
    label=LABELS["nb"].workflow,
    legal_basis=LABELS["nb"].legal_basis,
    states=c.STATES,
    obligations=c.OBLIGATIONS,
    transitions=(
        c.report("Report", set_case={}, create=NOTIFY_PRINCIPAL_DUTY),
        c.notify_principal((c.NOTIFY_PRINCIPAL_OUTCOME,)),
        *c.common_steps(),
        c.reopen("Report", set_case={}),
    ),
)

AKTIVITETSPLIKT_PACK = school_pack(
    AKTIVITETSPLIKT,
    LABELS,
    # Spec section 4: school days for everything but the evaluations, whose dates the plan sets.
    deadlines(
        notify_principal="1sd",
        notify_school_owner="1sd",
        start_investigation="2sd",
        conclude_investigation="10sd",
        adopt_plan="5sd",
        max_evaluation_interval="6w",
    ),
    SCHOOL_AUDIT,
    SCHOOL_DOSSIER,
)
