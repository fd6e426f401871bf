"""The Norwegian words version 2026-12 of the school workflows adds, in bokmål and nynorsk.

``_school.school_labels`` lays them over those of ``_labels.py``: the labels of a pack cover every id of
every version it brings.
"""

from __future__ import annotations

NB_STEPS = {
    "register_decision": "Registrere vedtak fra Statsforvalteren",
    "report_compliance": "Rapportere gjennomført pålegg",
}
NN_STEPS = {
    "register_decision": "Registrere vedtak frå Statsforvaltaren",
    "report_compliance": "Rapportere gjennomført pålegg",
}
NB_STRICTER_STEPS = {"change_leadership_routing": "Endre om ledelsen er meldt"}
NN_STRICTER_STEPS = {"change_leadership_routing": "Endre om leiinga er meld"}
"""Steps only the stricter duty (§ 12-5) has."""
NB_DUTIES = {
    "assess_seriousness": "Vurdere alvorlighet",
    "revise_plan": "Revidere aktivitetsplanen",
    "comply_with_decision": "Gjennomføre pålegg fra Statsforvalteren",
}
NN_DUTIES = {
    "assess_seriousness": "Vurdere kor alvorleg saka er",
    "revise_plan": "Revidere aktivitetsplanen",
    "comply_with_decision": "Gjennomføre pålegg frå Statsforvaltaren",
}
NB_VALUES = {
    "setting": {
        "school": "på skolen",
        "sfo": "i SFO",
        "homework_help": "i leksehjelpen",
        "school_trip": "på tur i skolens regi",
        "online": "på nett",
    },
    "status": {"carried_out": "gjennomført", "partly": "delvis gjennomført", "not_carried_out": "ikke gjennomført"},
    "closing_reason": {"pupil_safe": "eleven er trygg", "pupil_left_school": "eleven har sluttet på skolen"},
}
NN_VALUES = {
    "setting": {
        "school": "på skulen",
        "sfo": "i SFO",
        "homework_help": "i leksehjelpa",
        "school_trip": "på tur i regi av skulen",
        "online": "på nett",
    },
    "status": {"carried_out": "gjennomført", "partly": "delvis gjennomført", "not_carried_out": "ikkje gjennomført"},
    "closing_reason": {"pupil_safe": "eleven er trygg", "pupil_left_school": "eleven har slutta på skulen"},
}
NB_FIELDS = {
    "setting": "Hvor det skjedde",
    "best_interests": "Vurdering av elevens beste",
    "measures.id": "Tiltak nr.",
    "measures.status": "Status",
    "measures.note": "Merknad",
    "measures.due_at": "Frist",
    "closing_reason": "Grunn til avslutning",
    "left_school": "Eleven har sluttet",
    "new_school_told": "Ny skole informert",
    "guardians_consented": "Foresatte samtykket",
    "decided_at": "Vedtatt",
    "breach_found": "Brudd på aktivitetsplikten",
    "measure": "Pålegg nr.",
    "reported_at": "Rapportert",
}
NN_FIELDS = {
    "setting": "Kvar det skjedde",
    "best_interests": "Vurdering av det beste for eleven",
    "measures.id": "Tiltak nr.",
    "measures.status": "Status",
    "measures.note": "Merknad",
    "measures.due_at": "Frist",
    "closing_reason": "Grunn til avslutning",
    "left_school": "Eleven har slutta",
    "new_school_told": "Ny skule informert",
    "guardians_consented": "Føresette samtykte",
    "decided_at": "Vedteke",
    "breach_found": "Brot på aktivitetsplikta",
    "measure": "Pålegg nr.",
    "reported_at": "Rapportert",
}
