"""The dossier of a school case of version 2026-12: the 2024-08 layout with the new steps shown.

Where it happened leads the report's line, the closing says why the case closed, Statsforvaltaren's
decision and the school's reports on each imposed measure get a section, and under § 12-5 the owner's
decisions on whether the leadership is accused get one.
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection, DossierWords, SectionWords
from aktivitetsplikt.workflows._dossier import SCHOOL_DOSSIER, SKJERPA_DOSSIER

_SUMMARIES = {
    "nb": {
        "report": "Gjelder {kinds} {setting}; meldt av {source}",
        "register_decision": "Ref. {reference}, vedtak {decided_at}; brudd: {breach_found}; {measures:count} pålegg",
        "report_compliance": "Pålegg {measure} gjennomført, rapportert {reported_at}",
        "change_leadership_routing": "Ledelsen er meldt: {accused_is_leadership}",
        "close_reason": "{closing_reason}",
    },
    "nn": {
        "report": "Gjeld {kinds} {setting}; meldt av {source}",
        "register_decision": "Ref. {reference}, vedtak {decided_at}; brot: {breach_found}; {measures:count} pålegg",
        "report_compliance": "Pålegg {measure} gjennomført, rapportert {reported_at}",
        "change_leadership_routing": "Leiinga er meld: {accused_is_leadership}",
        "close_reason": "{closing_reason}",
    },
}


def _words(language: str, base: DossierWords) -> DossierWords:
    added = dict(_SUMMARIES[language])
    reason = added.pop("close_reason")
    summaries = base.summaries | added | {"reopen": added["report"], "close": f"{reason}; {base.summaries['close']}"}
    return base.model_copy(update={"summaries": summaries})


DECISIONS = DossierSection(
    key="decisions",
    anchor="vedtak",
    kind="groups",
    groups={"decisions": ("register_decision",), "compliance": ("report_compliance",)},
    words={
        "nb": SectionWords(
            title="Vedtak fra Statsforvalteren",
            intro="Statsforvalterens vedtak etter opplæringslova § 12-6, og skolens rapport om hvert pålegg.",
            groups={"decisions": "Vedtak", "compliance": "Pålegg gjennomført"},
            group_empty={"decisions": "Ingen vedtak er registrert.", "compliance": "Ingen pålegg er rapportert."},
        ),
        "nn": SectionWords(
            title="Vedtak frå Statsforvaltaren",
            intro="Vedtaket frå Statsforvaltaren etter opplæringslova § 12-6, og rapporten frå skulen om kvart pålegg.",
            groups={"decisions": "Vedtak", "compliance": "Pålegg gjennomførte"},
            group_empty={"decisions": "Ingen vedtak er registrerte.", "compliance": "Ingen pålegg er rapporterte."},
        ),
    },
)
ROUTING = DossierSection(
    key="leadership",
    anchor="ledelsen",
    triggers=("change_leadership_routing",),
    words={
        "nb": SectionWords(
            title="Skoleeiers avgjørelser om ledelsen",
            intro="Bare skoleeier avgjør om skolens ledelse er meldt, og dermed holdes utenfor saken "
            "(opplæringslova § 12-5).",
            empty="Skoleeier har ikke endret dette.",
        ),
        "nn": SectionWords(
            title="Avgjerdene til skuleeigaren om leiinga",
            intro="Berre skuleeigaren avgjer om leiinga på skulen er meld, og dermed blir halden utanfor saka "
            "(opplæringslova § 12-5).",
            empty="Skuleeigaren har ikkje endra dette.",
        ),
    },
)


def edition_dossier(base: DossierLayout, *, stricter: bool) -> DossierLayout:
    """The 2026-12 layout of a 2024-08 one: the decisions after the enforcement section, and under § 12-5
    the owner's decisions on the leadership after the notices."""
    sections: list[DossierSection] = []
    for section in base.sections:
        sections.append(section)
        if section.key == "enforcement":
            sections.append(DECISIONS)
        if section.key == "notices" and stricter:
            sections.append(ROUTING)
    words = {language: _words(language, found) for language, found in base.words.items()}
    return base.model_copy(update={"sections": tuple(sections), "words": words})


SCHOOL_DOSSIER_2026 = edition_dossier(SCHOOL_DOSSIER, stricter=False)
SKJERPA_DOSSIER_2026 = edition_dossier(SKJERPA_DOSSIER, stricter=True)
