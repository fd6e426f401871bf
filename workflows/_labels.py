"""The Norwegian words of the school workflows, in bokmål (``NB_*``) and nynorsk (``NN_*``).

The specs in ``_common.py`` take their bokmål labels from here, so each word has one home.
"""

from __future__ import annotations

from typing import TypedDict


class UnitWords(TypedDict):
    """The ``Labels`` fields that name the unit, who a case is about and the counted day."""

    unit: str
    pupil: str
    day: tuple[str, str]


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
NB_FIELDS = {
    "source": "Kilde",
    "occurred_at": "Skjedde",
    "description": "Beskrivelse",
    "kinds": "Hva gjelder det",
    "pupils_involved": "Andre elever involvert",
    "intervention": "Grep inn straks",
    "intervention.action": "Hva ble gjort",
    "at": "Tidspunkt",
    "accused_staff": "Ansatt som er meldt",
    "accused_is_leadership": "I skolens ledelse",
    "notified_at": "Varslet",
    "channel": "Kanal",
    "summary": "Sammendrag",
    "serious": "Alvorlig",
    "reason": "Begrunnelse",
    "responsible": "Saksansvarlig",
    "plan": "Plan for undersøkelsen",
    "pupil_heard": "Eleven hørt",
    "pupil_heard.at": "Hørt",
    "feels_safe": "Føler seg trygg",
    "views": "Hva eleven sier",
    "others_heard": "Andre som er hørt",
    "findings": "Funn",
    "conclusion": "Konklusjon",
    "problem": "Problemet tiltakene skal løse",
    "measures": "Tiltak",
    "measures.description": "Tiltak",
    "measures.when": "Når",
    "measures.responsible": "Ansvarlig",
    "evaluation_at": "Evalueres",
    "pupil_participation": "Elevens medvirkning",
    "guardians_informed_at": "Foresatte informert",
    "held_at": "Holdt",
    "effect": "Effekt av tiltakene",
    "decision": "Beslutning",
    "next_evaluation_at": "Neste evaluering",
    "text": "Tekst",
    "corrects": "Retter hendelse",
    "received_at": "Mottatt",
    "reference": "Referanse",
    "response_due_at": "Svarfrist",
    "sent_at": "Sendt",
}
"""Documentation fields by dotted path or name (the path wins): the dossier's labels of what was recorded."""
NN_FIELDS = {
    "source": "Kjelde",
    "occurred_at": "Skjedde",
    "description": "Skildring",
    "kinds": "Kva gjeld det",
    "pupils_involved": "Andre elevar involverte",
    "intervention": "Greip inn straks",
    "intervention.action": "Kva som vart gjort",
    "at": "Tidspunkt",
    "accused_staff": "Tilsett som er meldt",
    "accused_is_leadership": "I leiinga på skulen",
    "notified_at": "Varsla",
    "channel": "Kanal",
    "summary": "Samandrag",
    "serious": "Alvorleg",
    "reason": "Grunngiving",
    "responsible": "Saksansvarleg",
    "plan": "Plan for undersøkinga",
    "pupil_heard": "Eleven høyrd",
    "pupil_heard.at": "Høyrd",
    "feels_safe": "Kjenner seg trygg",
    "views": "Kva eleven seier",
    "others_heard": "Andre som er høyrde",
    "findings": "Funn",
    "conclusion": "Konklusjon",
    "problem": "Problemet tiltaka skal løyse",
    "measures": "Tiltak",
    "measures.description": "Tiltak",
    "measures.when": "Når",
    "measures.responsible": "Ansvarleg",
    "evaluation_at": "Skal evaluerast",
    "pupil_participation": "Medverknaden til eleven",
    "guardians_informed_at": "Føresette informerte",
    "held_at": "Halde",
    "effect": "Effekten av tiltaka",
    "decision": "Avgjerd",
    "next_evaluation_at": "Neste evaluering",
    "text": "Tekst",
    "corrects": "Rettar hending",
    "received_at": "Motteke",
    "reference": "Referanse",
    "response_due_at": "Svarfrist",
    "sent_at": "Sendt",
}
NB_SCHOOL: UnitWords = {"unit": "skole", "pupil": "eleven", "day": ("skoledag", "skoledager")}
NN_SCHOOL: UnitWords = {"unit": "skule", "pupil": "eleven", "day": ("skuledag", "skuledagar")}
