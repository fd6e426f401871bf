"""The dossier of a kindergarten case (barnehageloven §§ 42 and 43): its sections, and what they say in
bokmål and nynorsk.

As a school's, without Statsforvaltaren's enforcement: parents who think the duty was not met turn to
the municipality as the kindergarten authority, which supervises the kindergarten, not the single case.
The child's voice leads every step that heard it, with how it was heard (a conversation, or for the
youngest what the staff observed). The evaluations and the notes read as a school's.
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection, DossierWords, SectionWords
from aktivitetsplikt.workflows._dossier import DASH, SECTIONS

_SCHOOL = {section.key: section for section in SECTIONS}
_VOICE = {
    "nb": f"Barnet hørt {{child_heard.at}} ({{child_heard.how}}) {DASH} trygt: {{child_heard.feels_safe}}",
    "nn": f"Barnet høyrt {{child_heard.at}} ({{child_heard.how}}) {DASH} trygt: {{child_heard.feels_safe}}",
}
_PHRASES = {
    "nb": {
        "title": "Dokumentasjon av aktivitetsplikten i barnehagen",
        "secrecy": "unntatt offentlighet, jf. offentleglova § 13 og forvaltningsloven § 13",
        "superseded": "erstattet av ny plan",
        "evaluation": "evalueres",
        "concerns": "Gjelder",
        "reported_by": "meldt av",
        "notified": "Varslet",
        "serious": "Alvorlig",
        "responsible": "Saksansvarlig",
    },
    "nn": {
        "title": "Dokumentasjon av aktivitetsplikta i barnehagen",
        "secrecy": "unnateke frå offentlegheit, jf. offentleglova § 13 og forvaltningslova § 13",
        "superseded": "erstatta av ny plan",
        "evaluation": "skal evaluerast",
        "concerns": "Gjeld",
        "reported_by": "meldt av",
        "notified": "Varsla",
        "serious": "Alvorleg",
        "responsible": "Saksansvarleg",
    },
}


def _words(language: str) -> DossierWords:
    phrases, voice = _PHRASES[language], _VOICE[language]
    plan = f"{{measures:count}} tiltak, {phrases['evaluation']} {{evaluation_at}}"
    report = f"{phrases['concerns']} {{kinds}}; {phrases['reported_by']} {{source}}"
    summaries = {
        "report": report,
        "reopen": report,
        "notify_director": f"{phrases['notified']} {{notified_at}} via {{channel}}",
        "assess_seriousness": f"{phrases['serious']}: {{serious}}",
        "notify_owner": f"{phrases['notified']} {{notified_at}}",
        "start_investigation": f"{phrases['responsible']}: {{responsible}}",
        "conclude_investigation": f"{voice}; {{conclusion}}",
        "adopt_plan": plan,
        "revise_plan": plan,
        "evaluate": f"{voice}; {{decision}}",
        "close": voice,
    }
    return DossierWords(
        title=phrases["title"], secrecy=phrases["secrecy"], superseded=phrases["superseded"], summaries=summaries
    )


SECTION_WORDS = {
    "reports": {
        "nb": SectionWords(
            title="Melding om saken",
            intro="Det som ble meldt: en ansatt vet om eller mistenker at barnet ikke har et trygt og godt "
            "barnehagemiljø.",
            empty="Ingen melding er dokumentert.",
            headings={"report": "Melding", "reopen": "Gjenåpning av saken"},
        ),
        "nn": SectionWords(
            title="Melding om saka",
            intro="Det som vart meldt: ein tilsett veit om eller har mistanke om at barnet ikkje har eit trygt "
            "og godt barnehagemiljø.",
            empty="Inga melding er dokumentert.",
            headings={"report": "Melding", "reopen": "Saka opna på nytt"},
        ),
    },
    "notices": {
        "nb": SectionWords(
            title="Varsel til styrer og barnehageeier",
            groups={"principal": "Styrer", "school_owner": "Barnehageeier"},
            group_empty={"principal": "Styrer er ikke varslet.", "school_owner": "Barnehageeier er ikke varslet."},
        ),
        "nn": SectionWords(
            title="Varsel til styrar og barnehageeigar",
            groups={"principal": "Styrar", "school_owner": "Barnehageeigar"},
            group_empty={"principal": "Styrar er ikkje varsla.", "school_owner": "Barnehageeigar er ikkje varsla."},
        ),
    },
    "seriousness": {
        "nb": SectionWords(
            title="Vurdering av alvorlighet",
            intro="I alvorlige tilfeller skal styreren varsle barnehageeieren (barnehageloven § 42).",
            empty="Ingen vurdering av alvorlighet er dokumentert.",
        ),
        "nn": SectionWords(
            title="Vurdering av kor alvorleg saka er",
            intro="I alvorlege tilfelle skal styraren varsle barnehageeigaren (barnehageloven § 42).",
            empty="Det er ikkje dokumentert noka vurdering av kor alvorleg saka er.",
        ),
    },
    "investigations": {
        "nb": SectionWords(
            title="Undersøkelse",
            intro="Barnehagen skal undersøke saken snarest. Barnets uttrykk, etter alder og modenhet, er det som "
            "avgjør om barnehagemiljøet er trygt og godt.",
            empty="Ingen undersøkelse er dokumentert.",
            entry="Undersøkelse {number}",
            headings={"start_investigation": "Start", "conclude_investigation": "Konklusjon"},
            unfinished="Undersøkelsen er ikke konkludert.",
        ),
        "nn": SectionWords(
            title="Undersøking",
            intro="Barnehagen skal undersøkje saka snarast. Uttrykket til barnet, etter alder og modning, er det "
            "som avgjer om barnehagemiljøet er trygt og godt.",
            empty="Inga undersøking er dokumentert.",
            entry="Undersøking {number}",
            headings={"start_investigation": "Start", "conclude_investigation": "Konklusjon"},
            unfinished="Undersøkinga er ikkje konkludert.",
        ),
    },
    "plans": {
        "nb": SectionWords(
            title="Skriftlig plan",
            intro="Den skriftlige planen (barnehageloven § 42): problemet tiltakene skal løse, tiltakene, når de "
            "skal gjennomføres, hvem som har ansvaret, og når de skal evalueres. Hver versjon vises slik den ble "
            "vedtatt.",
            empty="Ingen skriftlig plan er vedtatt.",
            headings={
                "adopt_plan": f"Versjon {{version}} {DASH} vedtatt {{occurred_at}}",
                "revise_plan": f"Versjon {{version}} {DASH} revidert {{occurred_at}}",
            },
        ),
        "nn": SectionWords(
            title="Skriftleg plan",
            intro="Den skriftlege planen (barnehageloven § 42): problemet tiltaka skal løyse, tiltaka, når dei skal "
            "gjennomførast, kven som har ansvaret, og når dei skal evaluerast. Kvar versjon blir vist slik han "
            "vart vedteken.",
            empty="Ingen skriftleg plan er vedteken.",
            headings={
                "adopt_plan": f"Versjon {{version}} {DASH} vedteken {{occurred_at}}",
                "revise_plan": f"Versjon {{version}} {DASH} revidert {{occurred_at}}",
            },
        ),
    },
    "closing": {
        "nb": SectionWords(
            title="Avslutning",
            intro="Plikten varer til barnet har et trygt og godt barnehagemiljø igjen.",
            empty="Saken er ikke avsluttet.",
            entry="Avsluttet {occurred_at} ({trigger_label})",
        ),
        "nn": SectionWords(
            title="Avslutning",
            intro="Plikta varer til barnet har eit trygt og godt barnehagemiljø igjen.",
            empty="Saka er ikkje avslutta.",
            entry="Avslutta {occurred_at} ({trigger_label})",
        ),
    },
}
"""The words of every section a kindergarten says its own way, by section key and language."""


def _section(key: str, **layout: object) -> DossierSection:
    """The school's section of ``key`` with the kindergarten's layout changes and words."""
    return _SCHOOL[key].model_copy(update={**layout, "words": SECTION_WORDS[key]})


KINDERGARTEN_DOSSIER = DossierLayout(
    sections=(
        _section("reports"),
        _section("notices", groups={"principal": ("notify_director",), "school_owner": ("notify_owner",)}),
        _section("seriousness"),
        _section("investigations"),
        _section("plans", anchor="skriftlig-plan"),
        _SCHOOL["evaluations"],
        _section("closing"),
        _SCHOOL["notes"],
    ),
    words={language: _words(language) for language in _PHRASES},
)
"""The dossier of a § 42 case."""

OFFENCE_DOSSIER = KINDERGARTEN_DOSSIER.model_copy(
    update={
        "case_attributes": ("accused_staff", "accused_is_leadership"),
        # The accused's place in the leadership is shown on the accused, as the flag "i barnehagens ledelse".
        "flags": {"accused_is_leadership": "accused_staff"},
    }
)
"""§ 43: the accused employee is among the facts."""
