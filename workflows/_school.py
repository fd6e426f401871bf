"""The pieces both school packs (§§ 12-4 and 12-5) share: rules, words, audit profile, dossier."""

from __future__ import annotations

from collections.abc import Mapping

from aktivitetsplikt.engine.core.audit_profile import AuditProfile
from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout
from aktivitetsplikt.engine.core.pack import Labels, Language, WorkflowPack
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.workflows import _labels as words
from aktivitetsplikt.workflows._common import access
from aktivitetsplikt.workflows._family import Family
from aktivitetsplikt.workflows._rules import RULES
from aktivitetsplikt.workflows.documents import DOCUMENTS

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


def school_labels(workflow: Mapping[Language, str], legal_basis: str, section: str) -> dict[Language, Labels]:
    """The labels of a school workflow in both languages; only its name and legal basis differ."""
    return {
        "nb": Labels(
            workflow=workflow["nb"],
            states=words.NB_STATES,
            steps=words.NB_STEPS,
            duties=words.NB_DUTIES,
            roles=words.NB_ROLES,
            values=words.NB_VALUES,
            fields=words.NB_FIELDS,
            legal_basis=legal_basis,
            section=section,
            **words.NB_SCHOOL,
        ),
        "nn": Labels(
            workflow=workflow["nn"],
            states=words.NN_STATES,
            steps=words.NN_STEPS,
            duties=words.NN_DUTIES,
            roles=words.NN_ROLES,
            values=words.NN_VALUES,
            fields=words.NN_FIELDS,
            legal_basis=legal_basis,
            section=section,
            **words.NN_SCHOOL,
        ),
    }


def deadlines(**texts: str) -> dict[str, Duration]:
    """Default durations (spec section 4) from their texts: ``deadlines(adopt_plan="5sd", ...)``."""
    return {name: Duration.parse(text) for name, text in texts.items()}


def school_pack(
    spec: WorkflowSpec,
    labels: Mapping[Language, Labels],
    defaults: Mapping[str, Duration],
    audit: AuditProfile,
    dossier: DossierLayout,
    *,
    stricter: bool = False,
) -> WorkflowPack:
    """A school workflow's pack; ``stricter``: the duty when an employee offends (§ 12-5)."""
    return WorkflowPack(
        id=spec.id,
        institution="school",
        versions=(spec,),
        documents=DOCUMENTS,
        labels=labels,
        deadlines=defaults,
        audit=audit,
        dossier=dossier,
        rules=RULES,
        access=access(stricter=stricter),
    )
