"""The dossier of a school case, as Statsforvaltaren reads it (opplæringslova § 12-6), shared by §§ 12-4
and 12-5: its sections, and what they say in bokmål and nynorsk."""

from __future__ import annotations

from aktivitetsplikt.engine.core.dossier_layout import DossierLayout, DossierSection, DossierWords, SectionWords

DASH = "\N{EN DASH}"
PLANS = ("adopt_plan", "revise_plan")
_PHRASES = {
    "nb": {
        "title": "Dokumentasjon av aktivitetsplikten",
        "secrecy": "unntatt offentlighet, jf. offentleglova § 13 og forvaltningsloven § 13",
        "superseded": "erstattet av ny plan",
        "voice": f"Eleven hørt {{pupil_heard.at}} {DASH} føler seg trygg: {{pupil_heard.feels_safe}}",
        "evaluation": "evalueres",
        "concerns": "Gjelder",
        "notified": "Varslet",
        "serious": "Alvorlig",
        "responsible": "Saksansvarlig",
    },
    "nn": {
        "title": "Dokumentasjon av aktivitetsplikta",
        "secrecy": "unnateke frå offentlegheit, jf. offentleglova § 13 og forvaltningslova § 13",
        "superseded": "erstatta av ny plan",
        "voice": f"Eleven høyrd {{pupil_heard.at}} {DASH} kjenner seg trygg: {{pupil_heard.feels_safe}}",
        "evaluation": "skal evaluerast",
        "concerns": "Gjeld",
        "notified": "Varsla",
        "serious": "Alvorleg",
        "responsible": "Saksansvarleg",
    },
}
"""The dossier's phrases. The pupil's own voice leads every step that heard it: it is the pupil's
experience that decides whether the school environment is safe and good."""


def _words(phrases: dict[str, str]) -> DossierWords:
    voice = phrases["voice"]
    plan = f"{{measures:count}} tiltak, {phrases['evaluation']} {{evaluation_at}}"
    report = f"{phrases['concerns']} {{kinds}}; meldt av {{source}}"
    summaries = {
        "report": report,
        "reopen": report,
        "notify_principal": f"{phrases['notified']} {{notified_at}} via {{channel}}",
        "assess_seriousness": f"{phrases['serious']}: {{serious}}",
        "notify_school_owner": f"{phrases['notified']} {{notified_at}}",
        "start_investigation": f"{phrases['responsible']}: {{responsible}}",
        "conclude_investigation": f"{voice}; {{conclusion}}",
        "adopt_plan": plan,
        "revise_plan": plan,
        "evaluate": f"{voice}; {{decision}}",
        "close": voice,
        "register_enforcement": "Ref. {reference}, svarfrist {response_due_at}",
        "respond_to_statsforvalter": "Sendt {sent_at}",
    }
    return DossierWords(
        title=phrases["title"], secrecy=phrases["secrecy"], superseded=phrases["superseded"], summaries=summaries
    )


SECTIONS = (
    DossierSection(
        key="reports",
        anchor="melding",
        triggers=("report", "reopen"),
        words={
            "nb": SectionWords(
                title="Melding om saken",
                intro="Det som ble meldt: en ansatt vet om eller mistenker at eleven ikke har et trygt og godt "
                "skolemiljø.",
                empty="Ingen melding er dokumentert.",
                headings={"report": "Melding", "reopen": "Gjenåpning av saken"},
            ),
            "nn": SectionWords(
                title="Melding om saka",
                intro="Det som vart meldt: ein tilsett veit om eller har mistanke om at eleven ikkje har eit trygt "
                "og godt skulemiljø.",
                empty="Inga melding er dokumentert.",
                headings={"report": "Melding", "reopen": "Saka opna på nytt"},
            ),
        },
    ),
    DossierSection(
        key="notices",
        anchor="varsler",
        kind="groups",
        groups={"principal": ("notify_principal",), "school_owner": ("notify_school_owner",)},
        words={
            "nb": SectionWords(
                title="Varsel til rektor og skoleeier",
                groups={"principal": "Rektor", "school_owner": "Skoleeier"},
                group_empty={"principal": "Rektor er ikke varslet.", "school_owner": "Skoleeier er ikke varslet."},
            ),
            "nn": SectionWords(
                title="Varsel til rektor og skuleeigar",
                groups={"principal": "Rektor", "school_owner": "Skuleeigar"},
                group_empty={"principal": "Rektor er ikkje varsla.", "school_owner": "Skuleeigar er ikkje varsla."},
            ),
        },
    ),
    DossierSection(
        key="seriousness",
        anchor="alvorlighet",
        triggers=("assess_seriousness",),
        words={
            "nb": SectionWords(
                title="Vurdering av alvorlighet",
                intro="I alvorlige tilfeller skal rektor varsle skoleeier (opplæringslova § 12-4).",
                empty="Ingen vurdering av alvorlighet er dokumentert.",
            ),
            "nn": SectionWords(
                title="Vurdering av kor alvorleg saka er",
                intro="I alvorlege tilfelle skal rektor varsle skuleeigaren (opplæringslova § 12-4).",
                empty="Det er ikkje dokumentert noka vurdering av kor alvorleg saka er.",
            ),
        },
    ),
    DossierSection(
        key="investigations",
        anchor="undersokelse",
        kind="pairs",
        triggers=("start_investigation", "conclude_investigation"),
        pair_keys=("start", "conclusion"),
        words={
            "nb": SectionWords(
                title="Undersøkelse",
                intro="Skolen skal undersøke saken snarest. Det er elevens egen opplevelse som avgjør om "
                "skolemiljøet er trygt og godt.",
                empty="Ingen undersøkelse er dokumentert.",
                entry="Undersøkelse {number}",
                headings={"start_investigation": "Start", "conclude_investigation": "Konklusjon"},
                unfinished="Undersøkelsen er ikke konkludert.",
            ),
            "nn": SectionWords(
                title="Undersøking",
                intro="Skulen skal undersøkje saka snarast. Det er eleven si eiga oppleving som avgjer om "
                "skulemiljøet er trygt og godt.",
                empty="Inga undersøking er dokumentert.",
                entry="Undersøking {number}",
                headings={"start_investigation": "Start", "conclude_investigation": "Konklusjon"},
                unfinished="Undersøkinga er ikkje konkludert.",
            ),
        },
    ),
    DossierSection(
        key="plans",
        anchor="aktivitetsplan",
        kind="versions",
        triggers=PLANS,
        words={
            "nb": SectionWords(
                title="Aktivitetsplan",
                intro="Den skriftlige planen (opplæringslova § 12-4): problemet tiltakene skal løse, tiltakene, "
                "når de skal gjennomføres, hvem som har ansvaret, og når de skal evalueres. Hver versjon vises "
                "slik den ble vedtatt.",
                empty="Ingen aktivitetsplan er vedtatt.",
                headings={
                    "adopt_plan": f"Versjon {{version}} {DASH} vedtatt {{occurred_at}}",
                    "revise_plan": f"Versjon {{version}} {DASH} revidert {{occurred_at}}",
                },
            ),
            "nn": SectionWords(
                title="Aktivitetsplan",
                intro="Den skriftlege planen (opplæringslova § 12-4): problemet tiltaka skal løyse, tiltaka, når "
                "dei skal gjennomførast, kven som har ansvaret, og når dei skal evaluerast. Kvar versjon blir "
                "vist slik han vart vedteken.",
                empty="Ingen aktivitetsplan er vedteken.",
                headings={
                    "adopt_plan": f"Versjon {{version}} {DASH} vedteken {{occurred_at}}",
                    "revise_plan": f"Versjon {{version}} {DASH} revidert {{occurred_at}}",
                },
            ),
        },
    ),
    DossierSection(
        key="evaluations",
        anchor="evalueringer",
        triggers=("evaluate",),
        words={
            "nb": SectionWords(
                title="Evalueringer",
                empty="Ingen evaluering er dokumentert.",
                entry=f"Evaluering {{number}} {DASH} {{held_at}}",
            ),
            "nn": SectionWords(
                title="Evalueringar",
                empty="Inga evaluering er dokumentert.",
                entry=f"Evaluering {{number}} {DASH} {{held_at}}",
            ),
        },
    ),
    DossierSection(
        key="closing",
        anchor="avslutning",
        kind="closing",
        words={
            "nb": SectionWords(
                title="Avslutning",
                intro="Plikten varer til eleven har et trygt og godt skolemiljø igjen.",
                empty="Saken er ikke avsluttet.",
                entry="Avsluttet {occurred_at} ({trigger_label})",
            ),
            "nn": SectionWords(
                title="Avslutning",
                intro="Plikta varer til eleven har eit trygt og godt skulemiljø igjen.",
                empty="Saka er ikkje avslutta.",
                entry="Avslutta {occurred_at} ({trigger_label})",
            ),
        },
    ),
    DossierSection(
        key="notes",
        anchor="notater",
        triggers=("add_note",),
        words={
            "nb": SectionWords(title="Notater og rettelser", empty="Ingen notater."),
            "nn": SectionWords(title="Notat og rettingar", empty="Ingen notat."),
        },
    ),
    DossierSection(
        key="enforcement",
        anchor="statsforvalteren",
        kind="groups",
        groups={"registered": ("register_enforcement",), "responses": ("respond_to_statsforvalter",)},
        words={
            "nb": SectionWords(
                title="Statsforvalteren",
                intro="Håndhevingssaker etter opplæringslova § 12-6 og skolens svar.",
                groups={"registered": "Saker hos Statsforvalteren", "responses": "Svar til Statsforvalteren"},
                group_empty={
                    "registered": "Ingen håndhevingssak er registrert.",
                    "responses": "Ingen svar er registrert.",
                },
            ),
            "nn": SectionWords(
                title="Statsforvaltaren",
                intro="Handhevingssaker etter opplæringslova § 12-6 og svaret frå skulen.",
                groups={"registered": "Saker hos Statsforvaltaren", "responses": "Svar til Statsforvaltaren"},
                group_empty={
                    "registered": "Inga handhevingssak er registrert.",
                    "responses": "Ingen svar er registrerte.",
                },
            ),
        },
    ),
)

SCHOOL_DOSSIER = DossierLayout(sections=SECTIONS, words={lang: _words(phrases) for lang, phrases in _PHRASES.items()})

SKJERPA_DOSSIER = SCHOOL_DOSSIER.model_copy(
    update={
        "case_attributes": ("accused_staff", "accused_is_leadership"),
        # The accused's place in the leadership is shown on the accused, as the flag "i skolens ledelse".
        "flags": {"accused_is_leadership": "accused_staff"},
    }
)
