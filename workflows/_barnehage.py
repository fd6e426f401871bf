"""The pieces both kindergarten packs (barnehageloven §§ 42 and 43) share: their names in the machine of
the duty to act, rules, audit profile and the pack itself (the dossier is in ``_barnehage_dossier.py``).

Where the law differs from the school's: the director (styrer, role ``principal``) and the kindergarten
owner (barnehageeier, role ``school_owner``) are told; the child's voice is the child's expression, by age
and maturity; deadlines run in working days of the kindergarten's own calendar; and no step answers
Statsforvaltaren, who has no enforcement scheme for single kindergarten cases (parents turn to the
municipality as the kindergarten authority).
"""

from __future__ import annotations

from collections.abc import Mapping

from aktivitetsplikt.engine.core.calendar import Duration
from aktivitetsplikt.engine.core.dossier_layout import DossierLayout
from aktivitetsplikt.engine.core.pack import Labels, Language, WorkflowPack
from aktivitetsplikt.engine.core.rules import Rule
from aktivitetsplikt.engine.core.spec import WorkflowSpec
from aktivitetsplikt.workflows import _barnehage_labels as words
from aktivitetsplikt.workflows._audit import duty_to_act_audit
from aktivitetsplikt.workflows._common import RETENTION, access
from aktivitetsplikt.workflows._family import Family
from aktivitetsplikt.workflows._rules import SHARED_RULES, owner_told_before_close, safe_conclusion, safe_to_close
from aktivitetsplikt.workflows.barnehage_documents import DOCUMENTS

KINDERGARTEN = Family(
    version="2021-01",  # barnehageloven chapter VIII came into force on 1 January 2021
    head_notified="director_notified",
    notify_head="notify_director",
    notify_owner="notify_owner",
    documents={
        "report": "Report",
        "offence_report": "StaffOffenceReport",
        "notify_head": "NotifyDirector",
        "notify_owner": "NotifyOwner",
    },
    rules={
        "safe_conclusion": "conclusion_safe_requires_feels_safe",
        "safe_to_close": "child_feels_safe_to_close",
        "owner_told": "owner_notified_before_close",
    },
    states=words.NB_STATES,
    steps=words.NB_STEPS,
    duties=words.NB_DUTIES,
    enforcement=False,
)
"""The kindergarten's names in the machine of the duty to act."""

RULES: dict[str, Rule] = {
    "conclusion_safe_requires_feels_safe": safe_conclusion("child_heard"),
    "child_feels_safe_to_close": safe_to_close("child_heard"),
    "owner_notified_before_close": owner_told_before_close("notify_owner", "the kindergarten owner"),
    **SHARED_RULES,
}

KINDERGARTEN_AUDIT = duty_to_act_audit(KINDERGARTEN, "child_heard", "expression", "child_participation")


def kindergarten_pack(
    spec: WorkflowSpec,
    labels: Mapping[Language, Labels],
    defaults: Mapping[str, Duration],
    dossier: DossierLayout,
    *,
    stricter: bool = False,
) -> WorkflowPack:
    """A kindergarten workflow's pack; ``stricter``: the duty when an employee offends (§ 43)."""
    return WorkflowPack(
        id=spec.id,
        institution="kindergarten",
        versions=(spec,),
        documents=DOCUMENTS,
        labels=labels,
        deadlines=defaults,
        audit=KINDERGARTEN_AUDIT,
        dossier=dossier,
        rules=RULES,
        access=access(stricter=stricter),
        retention=RETENTION,
    )
