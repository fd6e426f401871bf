"""Workflow ``skjerpa_aktivitetsplikt``: an employee offends a pupil, opplæringslova § 12-5 (spec section 3).

The same states and steps as § 12-4. The report names the accused; the school owner is always told; the
configured deadlines are the "straks" ones; and when the school's leadership is accused, the principal is
taken out of the case: the school owner is notified and acts instead (``_common.stricter_duty``).
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.pack import Edition
from aktivitetsplikt.workflows._audit import SCHOOL_AUDIT
from aktivitetsplikt.workflows._audit_2026 import SCHOOL_AUDIT_2026
from aktivitetsplikt.workflows._common import stricter_duty
from aktivitetsplikt.workflows._dossier import SKJERPA_DOSSIER
from aktivitetsplikt.workflows._dossier_2026 import SKJERPA_DOSSIER_2026
from aktivitetsplikt.workflows._school import SCHOOL, deadlines, school_labels, school_pack
from aktivitetsplikt.workflows._school_2026 import VERSION as VERSION_2026
from aktivitetsplikt.workflows._school_2026 import edition_2026

LABELS = school_labels(
    {"nb": "Skjerpet aktivitetsplikt (§ 12-5)", "nn": "Skjerpa aktivitetsplikt (§ 12-5)"},
    "opplæringslova § 12-5",
    "§ 12-5",
    stricter=True,
)

SKJERPA_AKTIVITETSPLIKT = stricter_duty(SCHOOL, "skjerpa_aktivitetsplikt", LABELS["nb"])

SKJERPA_AKTIVITETSPLIKT_2026 = edition_2026(SKJERPA_AKTIVITETSPLIKT, stricter=True)

SKJERPA_PACK = school_pack(
    (SKJERPA_AKTIVITETSPLIKT, SKJERPA_AKTIVITETSPLIKT_2026),
    LABELS,
    # Spec section 4: the "straks" deadlines of § 12-5.
    deadlines(
        notify_principal="4h",
        notify_school_owner="4h",
        start_investigation="1sd",
        conclude_investigation="5sd",
        adopt_plan="2sd",
        max_evaluation_interval="4w",
        # 2026-12: "straks" for the assessment too; a revision decided gets the same time as under § 12-4.
        assess_seriousness="4h",
        revise_plan="5sd",
    ),
    SCHOOL_AUDIT,
    SKJERPA_DOSSIER,
    {VERSION_2026: Edition(audit=SCHOOL_AUDIT_2026, dossier=SKJERPA_DOSSIER_2026)},
    stricter=True,
)
