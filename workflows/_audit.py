"""What the internal audit (spec section 7) demands of a case of the duty to act, school or kindergarten.

The demands are the same for both families (§§ 12-4 and 12-5, barnehageloven §§ 42 and 43); what differs
is their ids and where the child's or pupil's voice is kept.
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.audit_profile import (
    AuditProfile,
    ClosingStep,
    OwnerNotice,
    RecurringDuty,
    RequiredStep,
    VoiceField,
)
from aktivitetsplikt.workflows._family import Family
from aktivitetsplikt.workflows._school import SCHOOL

REPORT_FIELDS = ("source", "occurred_at", "description", "kinds")


def duty_to_act_audit(f: Family, voice: str, heard: str, participation: str) -> AuditProfile:
    """The audit of a family's cases; ``voice`` is the object whose ``heard`` field keeps what the child or
    pupil conveyed, ``participation`` the plan's field on how it shaped the measures."""
    return AuditProfile(
        # The fields without which a step is not documented. The voice is checked on its own.
        essential={
            "report": REPORT_FIELDS,
            "reopen": REPORT_FIELDS,
            f.notify_head: ("notified_at", "channel", "summary"),
            "start_investigation": ("responsible", "plan"),
            "conclude_investigation": ("findings", "conclusion"),
            "adopt_plan": ("problem", "measures", "evaluation_at"),
            "evaluate": ("held_at", "effect", "decision"),
            "close": ("reason",),
            f.notify_owner: ("notified_at",),
        },
        required_steps=(
            RequiredStep(trigger=f.notify_head, when_reached=(*f.active, "closed"), first_cycle_only=True),
            RequiredStep(trigger="start_investigation", when_reached=(*f.active[1:], "closed")),
            RequiredStep(trigger="conclude_investigation", when_reached=(*f.active[2:], "closed")),
            RequiredStep(trigger="adopt_plan", when_reached=("measures_active",)),
        ),
        closing_steps=(
            ClosingStep(trigger="close"),
            ClosingStep(trigger="conclude_investigation", when={"conclusion": "safe"}, documented=False),
        ),
        # The child's or pupil's own experience decides; the right to be heard (§§ 10-1 and 10-2,
        # barnehageloven § 3).
        voice=(
            VoiceField(trigger="conclude_investigation", field=voice, subfield=heard),
            VoiceField(trigger="adopt_plan", field=participation),
            VoiceField(trigger="revise_plan", field=participation),
            VoiceField(trigger="evaluate", field=voice, subfield=heard),
            VoiceField(trigger="close", field=voice, subfield=heard),
        ),
        recurring=(RecurringDuty(duty="evaluate", trigger="evaluate", occurrence="Evalueringen"),),
        owner_notice=OwnerNotice(
            duty=f.notify_owner,
            notice_triggers=(f.notify_owner,),
            # The stricter duty: with the leadership accused, the head's notice goes to the owner.
            replaced_notice_triggers=(f.notify_head,),
            notified_field="notified_at",
            serious_trigger="assess_seriousness",
            serious_field="serious",
        ),
    )


SCHOOL_AUDIT = duty_to_act_audit(SCHOOL, "pupil_heard", "views", "pupil_participation")
"""The audit of a school case, shared by §§ 12-4 and 12-5."""
