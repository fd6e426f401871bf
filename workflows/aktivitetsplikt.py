"""Workflow ``aktivitetsplikt``: the duty to act, opplæringslova § 12-4 (spec section 2)."""

from __future__ import annotations

from aktivitetsplikt.engine.core.pack import Edition
from aktivitetsplikt.workflows._audit import SCHOOL_AUDIT
from aktivitetsplikt.workflows._audit_2026 import SCHOOL_AUDIT_2026
from aktivitetsplikt.workflows._common import duty_to_act
from aktivitetsplikt.workflows._dossier import SCHOOL_DOSSIER
from aktivitetsplikt.workflows._dossier_2026 import SCHOOL_DOSSIER_2026
from aktivitetsplikt.workflows._school import SCHOOL, deadlines, school_labels, school_pack
from aktivitetsplikt.workflows._school_2026 import VERSION as VERSION_2026
from aktivitetsplikt.workflows._school_2026 import edition_2026

LABELS = school_labels(
    {"nb": "Aktivitetsplikt (§ 12-4)", "nn": "Aktivitetsplikt (§ 12-4)"}, "opplæringslova § 12-4", "§ 12-4"
)

AKTIVITETSPLIKT = duty_to_act(SCHOOL, "aktivitetsplikt", LABELS["nb"])

AKTIVITETSPLIKT_2026 = edition_2026(AKTIVITETSPLIKT, stricter=False)

AKTIVITETSPLIKT_PACK = school_pack(
    (AKTIVITETSPLIKT, AKTIVITETSPLIKT_2026),
    LABELS,
    # Spec section 4: school days for everything but the evaluations, whose dates the plan sets.
    deadlines(
        notify_principal="1sd",
        notify_school_owner="1sd",
        start_investigation="2sd",
        conclude_investigation="10sd",
        adopt_plan="5sd",
        max_evaluation_interval="6w",
        # 2026-12: counted from the start of the investigation, and from the evaluation that decided to revise.
        assess_seriousness="1sd",
        revise_plan="5sd",
    ),
    SCHOOL_AUDIT,
    SCHOOL_DOSSIER,
    {VERSION_2026: Edition(audit=SCHOOL_AUDIT_2026, dossier=SCHOOL_DOSSIER_2026)},
)
