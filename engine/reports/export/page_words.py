"""The dossier page's own words (its frame: headings of the parts every dossier has, column heads, notes)
in nynorsk. The page is written in bokmål; each of its texts is looked up here when the dossier is in
nynorsk. The words of the law come from the workflow's pack in either language, not from here.

A text with ``{name}`` slots is filled after it is looked up, so both languages have the same slots
(tests/unit/test_export.py checks that).
"""

from __future__ import annotations

from aktivitetsplikt.engine.core.pack import Language

NYNORSK: dict[str, str] = {
    # the confidential frame
    "TAUSHETSBELAGT": "TEIEPLIKTIG",
    "Taushetsbelagt": "Teiepliktig",
    "Dokumentet inneholder opplysninger om {pupil} og skal bare leses av dem som trenger det i arbeidet med "
    "saken.": "Dokumentet inneheld opplysningar om {pupil} og skal berre lesast av dei som treng det i "
    "arbeidet med saka.",
    "Dokumentet er taushetsbelagt.": "Dokumentet er teiepliktig.",
    "Laget av aktivitetsplikt {at} fra saken {number} ({id}).": "Laga av aktivitetsplikt {at} frå saka {number} "
    "({id}).",
    "Side": "Side",
    "av": "av",
    "Sak": "Sak",
    "sak": "sak",
    # the summary and the facts
    "Innhold": "Innhald",
    "Status": "Status",
    "Alvorlig sak": "Alvorleg sak",
    "ikke oppnevnt": "ikkje oppnemnd",
    "Opprettet": "Oppretta",
    "Avsluttet": "Avslutta",
    "nei": "nei",
    "nei, saken er åpen": "nei, saka er open",
    "Hendelsesloggen": "Hendingsloggen",
    "intakt ({events} hendelser)": "intakt ({events} hendingar)",
    "brutt ved hendelse {seq}": "broten ved hending {seq}",
    "Saksopplysninger": "Saksopplysningar",
    "Saksnummer": "Saksnummer",
    "Sakstype": "Sakstype",
    "versjon": "versjon",
    "Hjemmel": "Heimel",
    "(referanse)": "(referanse)",
    "Det meldte skjedde": "Det melde skjedde",
    "Saken i fagsystemet": "Saka i fagsystemet",
    "Utskrift laget": "Utskrift laga",
    "Alle tidspunkter er norsk tid (Europe/Oslo). «Skjedde» er når noe ble gjort; «registrert» er når det ble "
    "dokumentert i systemet.": "Alle tidspunkt er norsk tid (Europe/Oslo). «Skjedde» er når noko vart gjort; "
    "«registrert» er når det vart dokumentert i systemet.",
    # the timeline and the entries
    "Tidslinje": "Tidsline",
    "Hver dokumenterte hendelse i saken, i den rekkefølgen den ble registrert. Ingenting kan slettes eller "
    "endres; rettelser er egne notater som viser til hendelsen de retter.": "Kvar dokumenterte hending i saka, "
    "i den rekkjefølgja ho vart registrert. Ingenting kan slettast eller endrast; rettingar er eigne notat som "
    "viser til hendinga dei rettar.",
    "Skjedde": "Skjedde",
    "(registrert)": "(registrert)",
    "Steg": "Steg",
    "Hvem": "Kven",
    "Detaljer": "Detaljar",
    "retter": "rettar",
    "rettet i": "retta i",
    "Hendelse": "Hending",
    "skjedde": "skjedde",
    "registrert": "registrert",
    "Sendt til {owner} i stedet for {head}": "Sendt til {owner} i staden for {head}",
    "Ingenting er dokumentert.": "Ingenting er dokumentert.",
    "{group}: ingenting er dokumentert.": "{group}: ingenting er dokumentert.",
    "Rettelse til hendelse": "Retting til hending",
    "gjeldende": "gjeldande",
    "(erstattet av hendelse #{seq})": "(erstatta av hending #{seq})",
    "Nr.": "Nr.",
    # reminders and escalations, duties
    "Påminnelser og eskaleringer": "Påminningar og eskaleringar",
    "Påminnelser før en frist og varsler når en frist er gått ut, sendt automatisk.": "Påminningar før ein "
    "frist og varsel når ein frist er gått ut, sende automatisk.",
    "Tidspunkt": "Tidspunkt",
    "Plikt": "Plikt",
    "Frist": "Frist",
    "Nivå": "Nivå",
    "Til": "Til",
    "Ingen påminnelser eller eskaleringer.": "Ingen påminningar eller eskaleringar.",
    "Plikter og frister": "Plikter og fristar",
    "Hver plikt saken har hatt, fristen og om den ble oppfylt i tide. Forsinkelse er regnet i {days}.": "Kvar "
    "plikt saka har hatt, fristen og om ho vart oppfylt i tide. Forseinking er rekna i {days}.",
    "Ansvar": "Ansvar",
    "Oppfylt": "Oppfylt",
    "Eskalert": "Eskalert",
    "{hours} timer for sent": "{hours} timar for seint",
    "{hours} timer på overtid": "{hours} timar på overtid",
    "nivå {level}": "nivå {level}",
    "Ingen plikter.": "Ingen plikter.",
    # the hash chain and the access log
    "Kontroll av hendelsesloggen": "Kontroll av hendingsloggen",
    "Hver hendelse er lenket til den forrige med en SHA-256-hash. Endres, fjernes eller byttes en hendelse, "
    "brytes kjeden fra det punktet.": "Kvar hending er lenkja til den førre med ein SHA-256-hash. Blir ei "
    "hending endra, fjerna eller bytt ut, blir kjeda broten frå det punktet.",
    "Kjeden er intakt:": "Kjeda er intakt:",
    "alle {events} hendelser er slik de ble registrert.": "alle {events} hendingane er slik dei vart registrerte.",
    "Kjeden er brutt ved hendelse {seq}:": "Kjeda er broten ved hending {seq}:",
    "Hendelser fra og med #{seq} kan ikke regnes som uendret dokumentasjon.": "Hendingar frå og med #{seq} kan "
    "ikkje reknast som uendra dokumentasjon.",
    "Hash": "Hash",
    "Tilgangslogg": "Tilgangslogg",
    "Hver gang innholdet i saken er lest: av hvem, når, hva og hvordan. Denne eksporten er med.": "Kvar gong "
    "innhaldet i saka er lese: av kven, når, kva og korleis. Denne eksporten er med.",
    "Lest av": "Lese av",
    "Rolle": "Rolle",
    "Hva": "Kva",
    "Hvordan": "Korleis",
    "Ingen registrerte lesinger.": "Ingen registrerte lesingar.",
    # the access log's words (engine/core/access.py), as the dossier shows them
    "visning": "vising",
    "visning (JSON)": "vising (JSON)",
    "eksport": "eksport",
    "saksliste": "saksliste",
    "møteliste": "møteliste",
    "internrevisjon": "internrevisjon",
    "utboks": "utboks",
    "kontroll av loggen": "kontroll av loggen",
    "tilgangslogg": "tilgangslogg",
    "bibliotek": "bibliotek",
    "kommandolinje": "kommandolinje",
    "tjeneste": "teneste",
    "HTTP": "HTTP",
    "IT-drift": "IT-drift",
    # the words of words.py, fields.py, sections.py and render.py
    "oppfylt i tide": "oppfylt i tide",
    "oppfylt for sent": "oppfylt for seint",
    "erstattet": "erstatta",
    "åpen": "open",
    "forfalt": "forfalle",
    "påminnelse før fristen": "påminning før fristen",
    "fristen er gått ut": "fristen er gått ut",
    "meldt til {owner}": "meldt til {owner}",
    "ja": "ja",
    "ikke dokumentert": "ikkje dokumentert",
    "ingen": "ingen",
    "Påminnelse": "Påminning",
    "Eskalering": "Eskalering",
    "Dokumentasjon av saken": "Dokumentasjon av saka",
    "koblingen til forrige hendelse er brutt": "koplinga til den førre hendinga er broten",
    "hendelsen er endret etter at den ble registrert": "hendinga er endra etter at ho vart registrert",
    "hendelser etter den siste er fjernet": "hendingar etter den siste er fjerna",
    "hendelse {seq} mangler": "hending {seq} manglar",
}


def page_word(text: str, language: Language, **values: object) -> str:
    """``text`` (bokmål) in ``language``, its ``{name}`` slots filled from ``values``."""
    shown = NYNORSK.get(text, text) if language == "nn" else text
    return shown.format(**values) if values else shown
