"""Workflow ``skjerpa_barnehage_aktivitetsplikt``: someone who works in the kindergarten offends a child,
barnehageloven § 43.

The same states and steps as § 42. The report names the accused employee; the director is told at once
("straks") and the owner is always told, with no seriousness assessment first; investigation and plan
follow at once; and when someone in the kindergarten's leadership is the offender, the owner is told
directly and acts in the director's place (``_common.stricter_duty``).
"""

from __future__ import annotations

from aktivitetsplikt.workflows._barnehage import KINDERGARTEN, kindergarten_pack
from aktivitetsplikt.workflows._barnehage_dossier import OFFENCE_DOSSIER
from aktivitetsplikt.workflows._barnehage_labels import kindergarten_labels
from aktivitetsplikt.workflows._common import stricter_duty
from aktivitetsplikt.workflows._school import deadlines

LABELS = kindergarten_labels(
    {"nb": "Skjerpet aktivitetsplikt i barnehagen (§ 43)", "nn": "Skjerpa aktivitetsplikt i barnehagen (§ 43)"},
    "barnehageloven § 43",
    "§ 43",
)

SKJERPA_BARNEHAGE_AKTIVITETSPLIKT = stricter_duty(KINDERGARTEN, "skjerpa_barnehage_aktivitetsplikt", LABELS["nb"])

SKJERPA_BARNEHAGE_PACK = kindergarten_pack(
    SKJERPA_BARNEHAGE_AKTIVITETSPLIKT,
    LABELS,
    # "Straks": the notices within hours, investigation and plan within days (as § 12-5's defaults).
    deadlines(
        notify_director="4h",
        notify_owner="4h",
        start_investigation="1wd",
        conclude_investigation="5wd",
        adopt_plan="2wd",
        max_evaluation_interval="4w",
    ),
    OFFENCE_DOSSIER,
    stricter=True,
)
