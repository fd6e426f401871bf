"""Workflow ``barnehage_aktivitetsplikt``: the duty to act in a kindergarten, barnehageloven § 42.

Everyone working in the kindergarten keeps watch, intervenes and tells the director; the director tells
the owner in serious cases; the kindergarten investigates as soon as possible, puts in measures under a
written plan when the child or the parents say the environment is not safe and good or the investigation
shows it, and documents what it does. Deadlines are working days of the kindergarten's own calendar.
"""

from __future__ import annotations

from aktivitetsplikt.workflows._barnehage import KINDERGARTEN, kindergarten_pack
from aktivitetsplikt.workflows._barnehage_dossier import KINDERGARTEN_DOSSIER
from aktivitetsplikt.workflows._barnehage_labels import kindergarten_labels
from aktivitetsplikt.workflows._common import duty_to_act
from aktivitetsplikt.workflows._school import deadlines

LABELS = kindergarten_labels(
    {"nb": "Aktivitetsplikt i barnehagen (§ 42)", "nn": "Aktivitetsplikt i barnehagen (§ 42)"},
    "barnehageloven § 42",
    "§ 42",
)

BARNEHAGE_AKTIVITETSPLIKT = duty_to_act(KINDERGARTEN, "barnehage_aktivitetsplikt", LABELS["nb"])

BARNEHAGE_PACK = kindergarten_pack(
    BARNEHAGE_AKTIVITETSPLIKT,
    LABELS,
    # The law says "snarest" for the investigation and no day counts otherwise; these mirror the school's
    # local practice (spec section 4) in working days. Configurable under [deadlines.barnehage_aktivitetsplikt].
    deadlines(
        notify_director="1wd",
        notify_owner="1wd",
        start_investigation="2wd",
        conclude_investigation="10wd",
        adopt_plan="5wd",
        max_evaluation_interval="6w",
    ),
    KINDERGARTEN_DOSSIER,
)
