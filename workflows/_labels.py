"""The Norwegian words of the school workflows, in bokmål (``NB_*``) and nynorsk (``NN_*``).

The specs in ``_common.py`` take their bokmål labels from here, so each word has one home.
"""

from __future__ import annotations

NB_STATES = {
    "reported": "Meldt",
    "principal_notified": "Rektor varslet",
    "investigating": "Undersøkes",
    "planning": "Tiltak planlegges",
    "measures_active": "Tiltak pågår",
    "closed": "Avsluttet",
}
NN_STATES = {
    "reported": "Meldt",
    "principal_notified": "Rektor varsla",
    "investigating": "Blir undersøkt",
    "planning": "Tiltak blir planlagde",
    "measures_active": "Tiltak pågår",
    "closed": "Avslutta",
}
NB_STEPS = {
    "report": "Melde",
    "notify_principal": "Varsle rektor",
    "assess_seriousness": "Vurdere alvorlighet",
    "notify_school_owner": "Varsle skoleeier",
    "start_investigation": "Starte undersøkelse",
    "conclude_investigation": "Konkludere undersøkelsen",
    "adopt_plan": "Vedta aktivitetsplan",
    "evaluate": "Evaluere tiltakene",
    "revise_plan": "Revidere aktivitetsplanen",
    "close": "Avslutte saken",
    "reopen": "Gjenåpne saken",
    "add_note": "Notat",
    "register_enforcement": "Registrere sak hos Statsforvalteren",
    "respond_to_statsforvalter": "Svare Statsforvalteren",
}
NN_STEPS = {
    "report": "Melde",
    "notify_principal": "Varsle rektor",
    "assess_seriousness": "Vurdere kor alvorleg saka er",
    "notify_school_owner": "Varsle skuleeigar",
    "start_investigation": "Starte undersøking",
    "conclude_investigation": "Konkludere undersøkinga",
    "adopt_plan": "Vedta aktivitetsplan",
    "evaluate": "Evaluere tiltaka",
    "revise_plan": "Revidere aktivitetsplanen",
    "close": "Avslutte saka",
    "reopen": "Opne saka på nytt",
    "add_note": "Notat",
    "register_enforcement": "Registrere sak hos Statsforvaltaren",
    "respond_to_statsforvalter": "Svare Statsforvaltaren",
}
NB_DUTIES = {
    "notify_principal": "Varsle rektor",
    "notify_school_owner": "Varsle skoleeier",
    "start_investigation": "Starte undersøkelse",
    "conclude_investigation": "Avslutte undersøkelsen",
    "adopt_plan": "Vedta aktivitetsplan",
    "evaluate": "Evaluere tiltakene",
    "respond_to_statsforvalter": "Svare Statsforvalteren",
}
NN_DUTIES = {
    "notify_principal": "Varsle rektor",
    "notify_school_owner": "Varsle skuleeigar",
    "start_investigation": "Starte undersøking",
    "conclude_investigation": "Avslutte undersøkinga",
    "adopt_plan": "Vedta aktivitetsplan",
    "evaluate": "Evaluere tiltaka",
    "respond_to_statsforvalter": "Svare Statsforvaltaren",
}
NB_ROLES = {
    "staff": "ansatt",
    "case_handler": "saksbehandler",
    "principal": "rektor",
    "deputy": "rektors stedfortreder",
    "school_owner": "skoleeier",
    "system": "systemet",
    "reporter": "melder",
    "responsible": "saksansvarlig",
}
NN_ROLES = {
    "staff": "tilsett",
    "case_handler": "sakshandsamar",
    "principal": "rektor",
    "deputy": "stedfortredar for rektor",
    "school_owner": "skuleeigar",
    "system": "systemet",
    "reporter": "meldar",
    "responsible": "saksansvarleg",
}
NB_VALUES = {
    "source": {
        "staff_observation": "observert av ansatt",
        "pupil": "eleven selv",
        "guardian": "foresatte",
        "other": "annet",
    },
    "kinds": {
        "bullying": "mobbing",
        "violence": "vold",
        "discrimination": "diskriminering",
        "harassment": "trakassering",
        "exclusion": "utestenging",
        "offensive_words": "krenkende ord",
        "other": "annet",
    },
    "conclusion": {"measures_needed": "tiltak er nødvendig", "safe": "eleven har et trygt og godt skolemiljø"},
    "decision": {"continue": "fortsette tiltakene", "revise": "revidere planen"},
}
NN_VALUES = {
    "source": {
        "staff_observation": "observert av tilsett",
        "pupil": "eleven sjølv",
        "guardian": "føresette",
        "other": "anna",
    },
    "kinds": {
        "bullying": "mobbing",
        "violence": "vald",
        "discrimination": "diskriminering",
        "harassment": "trakassering",
        "exclusion": "utestenging",
        "offensive_words": "krenkjande ord",
        "other": "anna",
    },
    "conclusion": {"measures_needed": "tiltak er naudsynte", "safe": "eleven har eit trygt og godt skulemiljø"},
    "decision": {"continue": "halde fram med tiltaka", "revise": "revidere planen"},
}
NB_SCHOOL = {"unit": "skole", "pupil": "eleven", "day": ("skoledag", "skoledager")}
NN_SCHOOL = {"unit": "skule", "pupil": "eleven", "day": ("skuledag", "skuledagar")}
