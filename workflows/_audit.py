"""What the internal audit demands of a school case (spec section 7), shared by §§ 12-4 and 12-5."""

from __future__ import annotations

from aktivitetsplikt.engine.core.audit_profile import (
    AuditProfile,
    ClosingStep,
    OwnerNotice,
    RecurringDuty,
    RequiredStep,
    VoiceField,
)

SCHOOL_AUDIT = AuditProfile(
    # The fields without which a step is not documented. The pupil's voice is checked on its own.
    essential={
        "report": ("source", "occurred_at", "description", "kinds"),
        "reopen": ("source", "occurred_at", "description", "kinds"),
        "notify_principal": ("notified_at", "channel", "summary"),
        "start_investigation": ("responsible", "plan"),
        "conclude_investigation": ("findings", "conclusion"),
        "adopt_plan": ("problem", "measures", "evaluation_at"),
        "evaluate": ("held_at", "effect", "decision"),
        "close": ("reason",),
        "notify_school_owner": ("notified_at",),
    },
    required_steps=(
        RequiredStep(
            trigger="notify_principal",
            when_reached=("principal_notified", "investigating", "planning", "measures_active", "closed"),
            first_cycle_only=True,
        ),
        RequiredStep(
            trigger="start_investigation", when_reached=("investigating", "planning", "measures_active", "closed")
        ),
        RequiredStep(trigger="conclude_investigation", when_reached=("planning", "measures_active", "closed")),
        RequiredStep(trigger="adopt_plan", when_reached=("measures_active",)),
    ),
    closing_steps=(
        ClosingStep(trigger="close"),
        ClosingStep(trigger="conclude_investigation", when={"conclusion": "safe"}, documented=False),
    ),
    # § 12-4: the pupil's experience decides; §§ 10-1 and 10-2: the right to be heard.
    voice=(
        VoiceField(trigger="conclude_investigation", field="pupil_heard", subfield="views"),
        VoiceField(trigger="adopt_plan", field="pupil_participation"),
        VoiceField(trigger="revise_plan", field="pupil_participation"),
        VoiceField(trigger="evaluate", field="pupil_heard", subfield="views"),
        VoiceField(trigger="close", field="pupil_heard", subfield="views"),
    ),
    recurring=(RecurringDuty(duty="evaluate", trigger="evaluate", occurrence="Evalueringen"),),
    owner_notice=OwnerNotice(
        duty="notify_school_owner",
        notice_triggers=("notify_school_owner",),
        # § 12-5 second paragraph: with the leadership accused, the principal's notice goes to the owner.
        replaced_notice_triggers=("notify_principal",),
        notified_field="notified_at",
        serious_trigger="assess_seriousness",
        serious_field="serious",
    ),
)
