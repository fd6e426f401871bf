"""What the internal audit demands of a school case of version 2026-12, beyond the 2024-08 profile.

The engine refuses most of these breaches on 2026-12 cases; the audit checks the log anyway (a log is
evidence, whatever wrote it), and finds what is not refused: a measure never carried out, a closing
because the pupil left the school (listed apart), a duty still open past its deadline. New finding codes:

- ``seriousness_not_assessed``: a cycle went past the investigation without an assessment (rule 4);
- ``closed_without_evaluation``: closed as safe with no evaluation after the latest plan (rule 2);
- ``school_owner_not_notified_in_cycle``: a reopened cycle that needed the owner told was not (rules 4, 5);
- ``duty_met_without_its_step``: Statsforvaltaren's deadline or an imposed measure "met" by closing (rule 7);
- ``pupil_heard_outdated``: the pupil's voice dated before the step it must follow (rule 1);
- ``measure_not_carried_out``: a measure every evaluation found not carried out (rule 10);
- ``accused_took_part``: the accused took a step or was made responsible, under any ref of theirs (rule 6).

The last three are the pack's own checks (``_audit_hooks.py``).
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.audit_profile import BeforeClosing, ClosingStep, RequiredStep, VoiceField
from aktivitetsplikt.workflows._audit import SCHOOL_AUDIT
from aktivitetsplikt.workflows._rules_2026 import LEFT_SCHOOL, PUPIL_SAFE

AFTER_INVESTIGATION = ("planning", "measures_active", "closed")
SAFE_CLOSING_VOICE = VoiceField(
    trigger="close", field="pupil_heard", subfield="views", when={"closing_reason": PUPIL_SAFE}
)
OWNER_NOTICE = SCHOOL_AUDIT.owner_notice.model_copy(update={"per_cycle": True}) if SCHOOL_AUDIT.owner_notice else None


def _essential() -> dict[str, tuple[str, ...]]:
    essential = dict(SCHOOL_AUDIT.essential)
    for trigger in ("conclude_investigation", "adopt_plan", "close"):
        essential[trigger] = (*essential[trigger], "best_interests")  # rule 9
    essential["evaluate"] = (*essential["evaluate"], "measures")  # rule 10
    essential["register_decision"] = ("reference", "decided_at")
    essential["report_compliance"] = ("measure", "summary")
    return essential


SCHOOL_AUDIT_2026 = SCHOOL_AUDIT.model_copy(
    update={
        "essential": _essential(),
        "required_steps": (
            *SCHOOL_AUDIT.required_steps,
            RequiredStep(
                trigger="assess_seriousness", when_reached=AFTER_INVESTIGATION, code="seriousness_not_assessed"
            ),
        ),
        "closing_steps": (
            ClosingStep(trigger="close", when={"closing_reason": LEFT_SCHOOL}, listed_apart=LEFT_SCHOOL),
            *SCHOOL_AUDIT.closing_steps,
        ),
        # The pupil who left the school is not heard on closing; every other closing hears the pupil.
        "voice": (*(v for v in SCHOOL_AUDIT.voice if v.trigger != "close"), SAFE_CLOSING_VOICE),
        "owner_notice": OWNER_NOTICE,
        "before_closing": (
            BeforeClosing(
                trigger="evaluate",
                after=("adopt_plan", "revise_plan"),
                closing="close",
                when={"closing_reason": PUPIL_SAFE},
                code="closed_without_evaluation",
            ),
        ),
        "own_steps": {
            "respond_to_statsforvalter": ("respond_to_statsforvalter",),
            "comply_with_decision": ("report_compliance",),
        },
        "hooks": ("pupil_heard_in_time", "measures_carried_out", "accused_kept_out"),
    }
)
