"""`case export`: the whole documentation of one case for Statsforvalteren (§ 12-6), as HTML and as JSON.

One case is taken through every kind of step (the report with an intervention, both notices, a
seriousness assessment, the investigation, a plan and its revision, two evaluations, escalations of a
missed evaluation, notes and a correction, closing, an enforcement case and the response) on SQLite.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aktivitetsplikt.engine import Engine, FixedClock
from aktivitetsplikt.engine.app.directory import ConfigDirectory
from aktivitetsplikt.engine.bootstrap import bootstrap
from aktivitetsplikt.engine.config.settings import Settings
from aktivitetsplikt.engine.errors import ConfigError
from aktivitetsplikt.engine.reports.export import export_json, render_html, render_pdf
from aktivitetsplikt.engine.reports.export.page_words import NYNORSK
from aktivitetsplikt.engine.reports.export.render import TEMPLATES
from tests.conftest import ADMIN, HANDLER, PRINCIPAL, TEACHER, drive_to, plan_doc, pupil_heard

DASH = "\N{EN DASH}"  # bokmål typography in the page
HOSTILE = "<script>alert('elev')</script>"
CASE_URL = "https://skole.example/saker/{id}"
SECTION_TITLES = (
    "1. Saksopplysninger",
    "2. Tidslinje",
    "3. Melding om saken",
    "4. Varsel til rektor og skoleeier",
    "5. Vurdering av alvorlighet",
    "6. Undersøkelse",
    "7. Aktivitetsplan",
    "8. Evalueringer",
    "9. Avslutning",
    "10. Notater og rettelser",
    "11. Statsforvalteren",
    "12. Påminnelser og eskaleringer",
    "13. Plikter og frister",
    "14. Kontroll av hendelsesloggen",
)
SECTION_KEYS = {
    "facts",
    "timeline",
    "reports",
    "notices",
    "seriousness",
    "investigations",
    "plans",
    "evaluations",
    "closing",
    "notes",
    "enforcement",
    "escalations",
    "duties",
}
EVALUATE_SEQ = 8


def _evaluation(held_at: str, feels_safe: bool, decision: str, next_at: str, effect: str) -> dict[str, Any]:
    return {
        "held_at": held_at,
        "pupil_heard": pupil_heard(feels_safe, at=held_at),
        "effect": effect,
        "decision": decision,
        "next_evaluation_at": next_at,
    }


REVISED_PLAN = plan_doc(
    "2026-10-07T12:00",
    measures=[
        {"description": "Voksen i friminuttene", "when": "Hver dag", "responsible": "t-18"},
        {"description": "Klassesamtale om inkludering", "when": "Uke 39", "responsible": "t-20"},
    ],
    guardians_informed_at="2026-09-16T13:30",
    reason="Eleven er fortsatt alene i storefri.",
)


def full_case(engine: Engine, clock: FixedClock) -> str:
    """A § 12-4 case through every kind of step; returns its id. Seqs: 1-5 the path to an adopted plan,
    6 seriousness, 7 school owner, 8 evaluation, 9 revision, 10 note, 11 correction of 8, 12-13
    escalations of the missed evaluation, 14 late evaluation, 15 close, 16 enforcement, 17 response."""
    case_id = drive_to(
        engine,
        "measures_active",
        description=f"Eleven forteller om utestenging. {HOSTILE}",
        kinds=["bullying", "exclusion"],
        pupils_involved=["elev-4712"],
        intervention={"at": "2026-09-02T09:05", "action": "Kontaktlærer snakket med elevene med en gang."},
    )
    fire = engine.fire
    fire(case_id, "assess_seriousness", {"serious": True, "reason": "Langvarig utestenging."}, PRINCIPAL)
    fire(case_id, "notify_school_owner", {"notified_at": "2026-09-02T09:55", "summary": "Alvorlig sak."}, PRINCIPAL)
    clock.set(datetime(2026, 9, 16, 12, 0, tzinfo=UTC))
    first = _evaluation("2026-09-16T11:30", False, "revise", "2026-09-30T12:00", "Noe bedre i timene.")
    fire(case_id, "evaluate", first, HANDLER)
    fire(case_id, "revise_plan", REVISED_PLAN, HANDLER)
    fire(case_id, "add_note", {"text": f"Samtale med foresatte. {HOSTILE}"}, TEACHER)
    fire(case_id, "add_note", {"text": "Evalueringen startet 11:45.", "corrects": EVALUATE_SEQ}, HANDLER)
    clock.set(datetime(2026, 10, 9, 8, 0, tzinfo=UTC))
    engine.sweep()  # the evaluation due 7 October was missed: levels 1 and 2
    late = _evaluation("2026-10-09T09:00", True, "continue", "2026-10-23T12:00", "Eleven er med i leken igjen.")
    fire(case_id, "evaluate", late, HANDLER)
    closing = {"reason": "Eleven er trygg.", "pupil_heard": pupil_heard(True, at="2026-10-09T09:20")}
    fire(case_id, "close", closing | {"guardians_informed_at": "2026-10-09T09:40"}, PRINCIPAL)
    enforcement = {"received_at": "2026-10-09T09:50", "reference": "2026/4711", "response_due_at": "2026-10-20T12:00"}
    fire(case_id, "register_enforcement", enforcement, PRINCIPAL)
    fire(case_id, "respond_to_statsforvalter", {"sent_at": "2026-10-09T09:55", "summary": "Sendt."}, PRINCIPAL)
    return case_id


@pytest.fixture
def case_id(engine: Engine, clock: FixedClock) -> str:
    return full_case(engine, clock)


@pytest.fixture
def html(engine: Engine, case_id: str) -> str:
    return render_html(engine, engine.get(case_id, actor=ADMIN))


def tamper(db: Path, case_id: str, seq: int) -> None:
    """Change a stored document behind the engine's back, as an attacker with database access would."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE case_events SET document = json_set(document, '$.responsible', 't-20') "
            "WHERE case_id = ? AND seq = ?",
            (case_id, seq),
        )
    conn.close()


class TestHtml:
    def test_every_section_is_there(self, html: str) -> None:
        """The page has the heading with the case number and each section, in order."""
        assert re.search(r"<h1>Dokumentasjon av aktivitetsplikten <span class=\"nr\">Sak HEL-2026-0001</span>", html)
        positions = [html.index(f"<h2>{title}</h2>") for title in SECTION_TITLES]
        assert sorted(positions) == positions

    def test_case_facts(self, html: str, engine: Engine, case_id: str) -> None:
        """Number, school, workflow and legal basis, state, seriousness, responsible, dates and school year."""
        for fact in (
            "Hellerud videregående skole",
            "Aktivitetsplikt (§ 12-4), versjon 2024-08",
            "opplæringslova § 12-4",
            "<dt>Status</dt><dd>Avsluttet</dd>",
            "<dt>Alvorlig sak</dt><dd>ja</dd>",
            "<dt>Saksansvarlig</dt><dd>t-18</dd>",
            "<dt>Eleven (referanse)</dt><dd>elev-4711</dd>",
            "<dt>Opprettet</dt><dd>02.09.2026 kl. 10:00</dd>",
            "<dt>Avsluttet</dt><dd>09.10.2026 kl. 10:00</dd>",
            "<dt>Skoleår</dt><dd>2026-2027</dd>",
        ):
            assert fact in html

    def test_timeline_shows_who_when_in_oslo_time(self, html: str) -> None:
        """Each event: occurred and recorded in Oslo time, the step's label, the actor and the state change."""
        timeline = html[html.index('id="tidslinje"') : html.index('id="melding"')]
        assert 17 == timeline.count('<tr id="t')
        first = timeline[timeline.index('<tr id="t1">') : timeline.index('<tr id="t2">')]
        occurred, recorded = "02.09.2026 kl. 09:00", "02.09.2026 kl. 10:00"  # both in one cell, to save a column
        assert f'<td class="time">{occurred}<br><span class="muted">({recorded})</span></td>' in first
        assert "Meldt → Rektor varslet" in timeline
        assert 'Ansatt <span class="muted">(t-17)</span>' in timeline  # the directory knows no names
        assert 'Systemet <span class="muted">(aktivitetsplikt)</span>' in timeline
        assert 'rettet i <a href="#h11">#11</a>' in timeline

    def test_report_notices_and_seriousness(self, html: str) -> None:
        """The report's source, kinds (in bokmål), description and intervention; both notices; the assessment."""
        for text in (
            "eleven selv",
            "mobbing, utestenging",
            "Eleven forteller om utestenging.",
            "Kontaktlærer snakket med elevene med en gang.",
            "elev-4712",
            "via muntlig",
            "Alvorlig sak.",
            "Langvarig utestenging.",
        ):
            assert text in html

    def test_investigation_with_the_pupils_voice(self, html: str) -> None:
        """Plan, responsible, the pupil heard (feels safe and views), others heard, findings, conclusion."""
        section = html[html.index('id="undersokelse"') : html.index('id="aktivitetsplan"')]
        for text in (
            "Samtaler med eleven og klassen.",
            "Eleven hørt 02.09.2026 kl. 09:30",
            "Eleven vil ha voksne i friminuttene.",
            "kontaktlærer",
            "Utestenging.",
            "tiltak er nødvendig",
        ):
            assert text in section

    def test_every_plan_version(self, html: str) -> None:
        """The adopted plan and the revision with its reason, measures, evaluation date, participation."""
        section = html[html.index('id="aktivitetsplan"') : html.index('id="evalueringer"')]
        assert f"Versjon 1 {DASH} vedtatt 02.09.2026 kl. 10:00" in section
        assert f"Versjon 2 {DASH} revidert 16.09.2026 kl. 14:00" in section
        assert "(erstattet av hendelse #9)" in section
        assert "Eleven er fortsatt alene i storefri." in section
        assert 3 == section.count('<td class="text">Voksen i friminuttene</td>') + section.count("Klassesamtale")
        assert "Uke 39" in section
        assert "16.09.2026 kl. 12:00" in section  # the first plan's evaluation
        assert "07.10.2026 kl. 12:00" in section
        assert 2 == section.count("Eleven valgte tiltakene sammen med kontaktlærer.")
        assert "16.09.2026 kl. 13:30" in section  # guardians informed

    def test_evaluations_closing_notes_enforcement(self, html: str) -> None:
        """Both evaluations with decisions, the closing, the note and the correction, Statsforvalteren."""
        for text in (
            f"Evaluering 1 {DASH} 16.09.2026 kl. 11:30",
            "revidere planen",
            f"Evaluering 2 {DASH} 09.10.2026 kl. 09:00",
            "fortsette tiltakene",
            "Eleven er trygg.",
            "Samtale med foresatte.",
            'Rettelse til hendelse <a href="#t8">#8</a>',
            "2026/4711",
            "tirsdag 20. oktober 2026 kl. 12:00",  # a deadline, written as everywhere (texts.deadline)
            "Sendt.",
        ):
            assert text in html

    def test_escalations_and_duties(self, html: str) -> None:
        """The missed evaluation's escalations (level, recipients) and every duty with its outcome."""
        section = html[html.index('id="eskaleringer"') : html.index('id="kontroll"')]
        assert f"1 {DASH} fristen er gått ut" in section
        assert f"2 {DASH} meldt til skoleeier" in section
        assert "saksansvarlig, rektor" in section
        assert "utgangen av torsdag 3. september 2026" in section  # notify_principal: 1 school day
        assert section.count("oppfylt i tide") >= 7
        assert 1 == section.count("oppfylt for sent")
        assert "erstattet av ny plan" in section

    def test_intact_chain(self, html: str) -> None:
        """The verdict says the chain is intact and how many events it covers."""
        assert "Kjeden er intakt:</strong> alle 17 hendelser" in html

    def test_free_text_is_escaped(self, html: str) -> None:
        """Markup in free text is shown as text: the page has no script element at all."""
        assert "<script" not in html.lower()
        assert "&lt;script&gt;alert(&#39;elev&#39;)&lt;/script&gt;" in html

    def test_self_contained(self, html: str, case_id: str) -> None:
        """Nothing is fetched: the only web address is the link to the case itself."""
        assert {CASE_URL.format(id=case_id)} == set(re.findall(r"https?://[^\s\"'<>]+", html))
        for reference in ("<link", "<img", "<iframe", "src=", "@import", "url(", "@font-face"):
            assert reference not in html

    def test_confidential_printable_norwegian(self, html: str) -> None:
        """lang=nb, a confidentiality note before the heading, and compact A4 print rules: sections follow
        each other, no page for each (the page count itself is checked on the PDF, test_export_pdf.py)."""
        assert '<html lang="nb">' in html
        assert html.index("TAUSHETSBELAGT") < html.index("<h1>")
        assert "@media print" in html
        assert "size: A4" in html
        assert "break-before: page" not in html


class TestJson:
    def test_case_json_verdict_and_sections(self, engine: Engine, case_id: str) -> None:
        """The spec section 11 case, the chain verdict and every section, serialisable as JSON."""
        case = engine.get(case_id, actor=ADMIN)
        data = json.loads(json.dumps(export_json(engine, case)))

        assert json.loads(json.dumps(engine.case_json(case))).items() <= data.items()
        assert engine.verify(case_id, actor=ADMIN).chain.to_json() == data["verdict"]
        assert SECTION_KEYS == set(data["sections"])

    def test_sections_content(self, engine: Engine, case_id: str) -> None:
        """Plan versions, evaluations, escalations, corrections and duty outcomes in machine form."""
        sections = export_json(engine, engine.get(case_id, actor=ADMIN))["sections"]

        plans = sections["plans"]
        assert [(1, "adopt_plan", False), (2, "revise_plan", True)] == [
            (p["version"], p["trigger"], p["current"]) for p in plans
        ]
        assert "Eleven er fortsatt alene i storefri." == plans[1]["document"]["reason"]
        assert ["revise", "continue"] == [e["document"]["decision"] for e in sections["evaluations"]]
        assert [1, 2] == [e["document"]["level"] for e in sections["escalations"]]
        assert EVALUATE_SEQ == sections["notes"][1]["document"]["corrects"]
        assert [11] == sections["timeline"][EVALUATE_SEQ - 1]["corrected_by"]
        assert "Avsluttet" == sections["facts"]["state_label"]
        assert ["close"] == [c["trigger"] for c in sections["closing"]]
        statuses = {(d["kind"], d["status"]) for d in sections["duties"]}
        assert ("evaluate", "met_late") in statuses
        assert ("evaluate", "superseded") in statuses
        late = next(d for d in sections["duties"] if d["status"] == "met_late")
        assert (2, 45.0) == (late["late_school_days"], late["late_hours"])


class TestTampered:
    def test_broken_chain_is_shown(self, engine: Engine, case_id: str, tmp_path: Path) -> None:
        """A document changed in the database: the export still renders and names the broken event."""
        tamper(tmp_path / "aktivitetsplikt.db", case_id, 3)
        case = engine.get(case_id, actor=ADMIN)

        html = render_html(engine, case)
        data = export_json(engine, case)

        assert "Kjeden er brutt ved hendelse 3:</strong> hendelsen er endret etter at den ble registrert." in html
        assert "brutt ved hendelse 3" in html[: html.index("</header>")]
        assert {"intact": False, "broken_at": 3} == {k: data["verdict"][k] for k in ("intact", "broken_at")}


class TestOtherCases:
    def test_a_new_case_says_what_is_missing(self, engine: Engine, clock: FixedClock) -> None:
        """Steps not yet taken are shown as not documented, and a missed deadline as overdue."""
        case_id = drive_to(engine, "reported")
        clock.advance(days=10)

        html = render_html(engine, engine.get(case_id, actor=ADMIN))

        for missing in (
            "Rektor er ikke varslet.",
            "Ingen undersøkelse er dokumentert.",
            "Ingen aktivitetsplan er vedtatt.",
            "Ingen evaluering er dokumentert.",
            "Saken er ikke avsluttet.",
            "Ingen håndhevingssak er registrert.",
        ):
            assert missing in html
        assert '<span class="status overdue">forfalt</span>' in html
        assert "på overtid" in html

    def test_staff_offence_with_leadership_accused(self, engine: Engine) -> None:
        """§ 12-5: the accused employee is named and the notice is shown as sent to the school owner."""
        case_id = drive_to(
            engine,
            "principal_notified",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=True,
        )

        case = engine.get(case_id, actor=ADMIN)
        html = render_html(engine, case)
        facts = export_json(engine, case)["sections"]["facts"]

        assert "Skjerpet aktivitetsplikt (§ 12-5)" in html
        assert '<dt>Ansatt som er meldt</dt><dd>t-20 <span class="flag">i skolens ledelse</span></dd>' in html
        assert "Sendt til skoleeier i stedet for rektor" in html
        assert ("t-20", True) == (facts["accused_staff"], facts["accused_is_leadership"])


NAMES = {"t-17": "Kari Nordmann", "t-18": "Ola <Hansen>", "rektor": "Rita Rektor", "t-20": "Per Pedersen"}


class NamedDirectory(ConfigDirectory):
    """The config's directory, plus the names an embedder's staff register would know."""

    def name(self, school: str, ref: str) -> str | None:
        person = self.person(school, ref)
        return next((n for r, n in NAMES.items() if self.person(school, r) == person), None) if person else None


class TestPeople:
    @pytest.fixture
    def named(self, settings: Settings, clock: FixedClock) -> Iterator[Engine]:
        built = bootstrap(settings, clock=clock, upgrade=True, directory=NamedDirectory(settings))
        yield built
        built.uow.engine.dispose()  # type: ignore[attr-defined]

    def test_by_name_and_role_with_the_ref_beside(self, named: Engine, clock: FixedClock) -> None:
        """A directory that knows names: each actor by name, the role they acted in and their ref; the
        responsible and the measure holders by name and ref; a name is escaped like any text."""
        html = render_html(named, named.get(full_case(named, clock), actor=ADMIN))
        timeline = html[html.index('id="tidslinje"') : html.index('id="melding"')]

        assert 'Kari Nordmann <span class="muted">(ansatt, t-17)</span>' in timeline
        assert 'Rita Rektor <span class="muted">(rektor, rektor)</span>' in timeline
        assert 'Ola &lt;Hansen&gt; <span class="muted">(saksbehandler, t-18)</span>' in timeline
        assert '<dt>Saksansvarlig</dt><dd>Ola &lt;Hansen&gt; <span class="muted">(t-18)</span></dd>' in html
        plans = html[html.index('id="aktivitetsplan"') : html.index('id="evalueringer"')]
        assert '<td>Ola &lt;Hansen&gt; <span class="muted">(t-18)</span></td>' in plans  # a measure's holder
        assert "Ola <Hansen>" not in html

    def test_the_accused_by_name(self, named: Engine) -> None:
        """§ 12-5: the accused employee named in the facts, with their ref."""
        case_id = drive_to(
            named,
            "principal_notified",
            workflow="skjerpa_aktivitetsplikt",
            accused_staff="t-20",
            accused_is_leadership=False,
        )

        html = render_html(named, named.get(case_id, actor=ADMIN))

        assert '<dt>Ansatt som er meldt</dt><dd>Per Pedersen <span class="muted">(t-20)</span></dd>' in html

    def test_without_names_the_role(self, html: str) -> None:
        """The config's directory knows addresses, not names: the role with the ref beside, and the head
        of the school by the role the config gives them even in a field."""
        assert 'Rektor <span class="muted">(rektor)</span>' in html
        assert "@hellerud.example" not in html  # the directory's addresses are not the page's business


BOKMAL_ONLY = (
    "ikke",
    "hendelse",
    "Hendelse",
    "Hvem",
    "Hver plikt",
    "Hver gang",
    "Saksopplysninger",
    "Påminnelser",
    "aushetsbelagt",
    "Laget",
)
"""Words of the page's frame that nynorsk writes otherwise (ikkje, hending, Kven, Kvar, ...)."""


class TestNynorsk:
    def test_every_word_of_the_page_has_its_nynorsk(self) -> None:
        """Each text the templates look up (t("...")) is in the nynorsk table, with the same slots."""
        source = "".join(path.read_text(encoding="utf-8") for path in TEMPLATES.glob("*.j2"))
        used = set(re.findall(r'\bt\("([^"]+)"', source))

        assert len(used) > 50
        assert set() == used - set(NYNORSK)
        for bokmal, nynorsk in NYNORSK.items():
            assert set(re.findall(r"\{\w+\}", bokmal)) == set(re.findall(r"\{\w+\}", nynorsk)), bokmal

    def test_the_page_in_nynorsk(self, engine: Engine, case_id: str) -> None:
        """--lang nn: the frame and the pack's words in nynorsk; no word of the frame left in bokmål."""
        page = render_html(engine, engine.get(case_id, actor=ADMIN), "nn")
        text = re.sub(r"<[^>]+>", " ", page[page.index("<body>") :])

        assert '<html lang="nn">' in page
        for word in ("TEIEPLIKTIG", "1. Saksopplysningar", "2. Tidsline", "Kven", "Kjeda er intakt:", "Tilgangslogg"):
            assert word in text
        assert "oppfylt for seint" in text
        assert "Sakshandsamar" in text or "sakshandsamar" in text  # the pack's role label in nynorsk
        for word in BOKMAL_ONLY:
            assert word not in text, word


class TestPdfWithoutWeasyPrint:
    def test_says_what_to_install(self, engine: Engine, case_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the [pdf] extra the PDF is a configuration error (exit 5) naming the extra, not a traceback."""
        monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError

        with pytest.raises(ConfigError, match=r"\[pdf\] extra"):
            render_pdf(engine, engine.get(case_id, actor=ADMIN))
