"""The pieces both school packs (§§ 12-4 and 12-5) share: rules, words, audit profile, dossier."""

from __future__ import annotations

from collections.abc import Mapping

from aktivitetsplikt.engine.core.audit_profile import AuditProfile
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout
from aktivitetsplikt.engine.core.pack import Edition, Labels, Language, WorkflowPack
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.workflows import _labels as words
from aktivitetsplikt.workflows import _labels_2026 as added
from aktivitetsplikt.workflows._audit_hooks import AUDIT_HOOKS
from aktivitetsplikt.workflows._common import RETENTION, access
from aktivitetsplikt.workflows._family import Family
from aktivitetsplikt.workflows._rules import RULES
from aktivitetsplikt.workflows._rules_2026 import RULES_2026
from aktivitetsplikt.workflows.documents import DOCUMENTS
from aktivitetsplikt.workflows.documents_2026 import DOCUMENTS_2026

SCHOOL = Family(
    version="2024-08",
    head_notified="principal_notified",
    notify_head="notify_principal",
    notify_owner="notify_school_owner",
    documents={
        "report": "Report",
        "offence_report": "StaffOffenceReport",
        "notify_head": "NotifyPrincipal",
        "notify_owner": "NotifySchoolOwner",
    },
    rules={
        "safe_conclusion": "conclusion_safe_requires_feels_safe",
        "safe_to_close": "pupil_feels_safe_to_close",
        "owner_told": "school_owner_notified_before_close",
    },
    states=words.NB_STATES,
    steps=words.NB_STEPS,
    duties=words.NB_DUTIES,
    enforcement=True,
)
"""The school's names in the machine of the duty to act (opplæringslova chapter 12)."""


def school_labels(
    workflow: Mapping[Language, str], legal_basis: str, section: str, *, stricter: bool = False
) -> dict[Language, Labels]:
    """The labels of a school workflow in both languages, for every version; only its name and legal basis
    differ between the workflows."""
    return {
        "nb": Labels(
            workflow=workflow["nb"],
            states=words.NB_STATES,
            steps=words.NB_STEPS | added.NB_STEPS | (added.NB_STRICTER_STEPS if stricter else {}),
            duties=words.NB_DUTIES | added.NB_DUTIES,
            roles=words.NB_ROLES,
            values=words.NB_VALUES | added.NB_VALUES,
            fields=words.NB_FIELDS | added.NB_FIELDS,
            legal_basis=legal_basis,
            section=section,
            **words.NB_SCHOOL,
        ),
        "nn": Labels(
            workflow=workflow["nn"],
            states=words.NN_STATES,
            steps=words.NN_STEPS | added.NN_STEPS | (added.NN_STRICTER_STEPS if stricter else {}),
            duties=words.NN_DUTIES | added.NN_DUTIES,
            roles=words.NN_ROLES,
            values=words.NN_VALUES | added.NN_VALUES,
            fields=words.NN_FIELDS | added.NN_FIELDS,
            legal_basis=legal_basis,
            section=section,
            **words.NN_SCHOOL,
        ),
    }


def deadlines(**texts: str) -> dict[str, Duration]:
    """Default durations (spec section 4) from their texts: ``deadlines(adopt_plan="5sd", ...)``."""
    return {name: Duration.parse(text) for name, text in texts.items()}


def school_pack(
    specs: tuple[WorkflowSpec, ...],
    labels: Mapping[Language, Labels],
    defaults: Mapping[str, Duration],
    audit: AuditProfile,
    dossier: DossierLayout,
    editions: Mapping[str, Edition],
    *,
    stricter: bool = False,
) -> WorkflowPack:
    """A school pack with every version's documentation models and rules; ``audit`` and ``dossier`` serve
    the versions ``editions`` does not name; ``stricter``: the duty when an employee offends (§ 12-5)."""
    return WorkflowPack(
        id=specs[0].id,
        institution="school",
        versions=specs,
        documents=DOCUMENTS | DOCUMENTS_2026,
        labels=labels,
        deadlines=defaults,
        audit=audit,
        dossier=dossier,
        rules=RULES | RULES_2026,
        editions=editions,
        audit_hooks=AUDIT_HOOKS,
        access=access(stricter=stricter),
        retention=RETENTION,
    )
