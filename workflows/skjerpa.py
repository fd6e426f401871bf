"""Workflow ``skjerpa_aktivitetsplikt``: an employee offends a pupil, opplæringslova § 12-5 (spec section 3).

The same states and steps as § 12-4. The report names the accused; the school owner is always told; the
configured deadlines are the "straks" ones; and when the school's leadership is accused, the principal is
taken out of the case: the school owner is notified and acts instead.
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.spec import CreateObligation, Outcome, WorkflowSpec
from aktivitetsplikt.workflows import _common as c
from aktivitetsplikt.workflows._audit import SCHOOL_AUDIT
from aktivitetsplikt.workflows._dossier import SKJERPA_DOSSIER
from aktivitetsplikt.workflows._school import deadlines, school_labels, school_pack

ACCUSED = {"accused_staff": "accused_staff", "accused_is_leadership": "accused_is_leadership"}

REPORT_DUTIES = (
    CreateObligation(kind="notify_principal", counted_from="occurred_at"),
    # § 12-5: the school owner is always told, with no seriousness assessment first.
    CreateObligation(kind="notify_school_owner", counted_from="occurred_at"),
)

# When the leadership is accused, the notice that would go to the principal goes to the school owner
# (§ 12-5 second paragraph), so it also meets the duty to notify the school owner.
LEADERSHIP_NOTICE = Outcome(
    when={"case.accused_is_leadership": True},
    dest=c.NOTIFY_PRINCIPAL_OUTCOME.dest,
    satisfy=("notify_principal", "notify_school_owner"),
    create=c.NOTIFY_PRINCIPAL_OUTCOME.create,
    notify=c.NOTIFY_PRINCIPAL_OUTCOME.notify,
)

LABELS = school_labels(
    {"nb": "Skjerpet aktivitetsplikt (§ 12-5)", "nn": "Skjerpa aktivitetsplikt (§ 12-5)"},
    "opplæringslova § 12-5",
    "§ 12-5",
)

SKJERPA_AKTIVITETSPLIKT = WorkflowSpec(
    id="skjerpa_aktivitetsplikt",
    version=c.VERSION,
    label=LABELS["nb"].workflow,
    legal_basis=LABELS["nb"].legal_basis,
    states=c.STATES,
    obligations=c.OBLIGATIONS,
    principal_replaced_when="accused_is_leadership",
    transitions=(
        c.report("StaffOffenceReport", set_case=ACCUSED, create=REPORT_DUTIES),
        c.notify_principal((LEADERSHIP_NOTICE, c.NOTIFY_PRINCIPAL_OUTCOME)),
        *c.common_steps(start_investigation_rules=("accused_not_responsible",)),
        c.reopen("StaffOffenceReport", set_case=ACCUSED),
    ),
)

SKJERPA_PACK = school_pack(
    SKJERPA_AKTIVITETSPLIKT,
    LABELS,
    # Spec section 4: the "straks" deadlines of § 12-5.
    deadlines(
        notify_principal="4h",
        notify_school_owner="4h",
        start_investigation="1sd",
        conclude_investigation="5sd",
        adopt_plan="2sd",
        max_evaluation_interval="4w",
    ),
    SCHOOL_AUDIT,
    SKJERPA_DOSSIER,
)
