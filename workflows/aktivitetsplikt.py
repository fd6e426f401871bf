"""Workflow ``aktivitetsplikt``: the duty to act, opplæringslova § 12-4 (spec section 2)."""

from __future__ import annotations

from aktivitetsplikt.engine.spec import CreateObligation, WorkflowSpec
from aktivitetsplikt.workflows import _common as c

NOTIFY_PRINCIPAL_DUTY = (CreateObligation(kind="notify_principal", counted_from="occurred_at"),)

AKTIVITETSPLIKT = WorkflowSpec(
    id="aktivitetsplikt",
    version=c.VERSION,
    label="Aktivitetsplikt (§ 12-4)",
    legal_basis="opplæringslova § 12-4",
    states=c.STATES,
    obligations=c.OBLIGATIONS,
    transitions=(
        c.report("Report", set_case={}, create=NOTIFY_PRINCIPAL_DUTY),
        c.notify_principal((c.NOTIFY_PRINCIPAL_OUTCOME,)),
        *c.common_steps(),
        c.reopen("Report", set_case={}),
    ),
)
