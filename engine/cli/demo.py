"""``aktivitetsplikt demo``: a scripted tour on a throwaway SQLite, with a simulated clock.

Three pupils at the demo school, autumn 2026. One case is handled well, one is never passed on to the
principal, and one (§ 12-5) accuses the school's leadership. The clock moves across the autumn break;
each sweep prints who is reminded and escalated, and the tour ends with the cases that are stuck. The
database and a config stay in a temporary folder so the other commands can be tried on them.

An entry point like ``cli.py``: it sees every layer (storage through ``bootstrap``, notifiers to render).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from aktivitetsplikt.engine.app.clock import FixedClock
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.bootstrap import bootstrap
from aktivitetsplikt.engine.config.settings import load_settings
from aktivitetsplikt.engine.core.documents import OSLO
from aktivitetsplikt.engine.core.model import Actor

DEMO_CONFIG = """\
# The demo's configuration (written by `aktivitetsplikt demo`).
[database]
url = "sqlite:///{db}"

[notifiers]
channels = ["console"]

[links]
case_url = "https://hellerud.example/saker/{{id}}"

[calendar]
timezone = "Europe/Oslo"
[[calendar.school_holidays]]
name = "Høstferie"
start = "2026-09-28"
end = "2026-10-02"

[schools.hellerud]
name = "Hellerud videregående skole"
code = "HEL"
principal = "rektor@hellerud.example"
school_owner = "skoleeier@oslo.kommune.example"
deputies = []
[schools.hellerud.staff]
"t-17" = "kontaktlarer@hellerud.example"
"t-18" = "miljoterapeut@hellerud.example"
"t-20" = "laerer20@hellerud.example"
"""

TEACHER = Actor(id="t-17", role="staff", school="hellerud")
PRINCIPAL = Actor(id="rektor", role="principal", school="hellerud")
HANDLER = Actor(id="t-18", role="case_handler", school="hellerud")
OWNER = Actor(id="skoleeier@oslo.kommune.example", role="school_owner")

LEVELS = {0: "påminnelse før fristen", 1: "fristen har gått ut", 2: "meldt til skoleeier"}


ROLES = {"reporter": "melder", "principal": "rektor", "responsible": "ansvarlig", "school_owner": "skoleeier"}


def oslo(text: str) -> datetime:
    """An Oslo wall-clock time, as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO).astimezone(UTC)


class Tour:
    def __init__(self, folder: Path, console: Console) -> None:
        self.folder = folder
        self.console = console
        config = folder / "config.toml"
        config.write_text(DEMO_CONFIG.format(db=folder / "demo.db"), encoding="utf-8")
        self.config = config
        self.clock = FixedClock(oslo("2026-09-23T08:00"))
        self.engine: Engine = bootstrap(load_settings(config), clock=self.clock, upgrade=True)
        self.render: Callable[[Any], Any] = _renderer(self.engine)

    def say(self, text: str) -> None:
        self.console.print(text)

    def at(self, when: str, headline: str) -> None:
        self.clock.set(oslo(when))
        local = self.clock.now().astimezone(self.engine.decider.calendar.tz)
        self.console.rule(f"[bold]{local.strftime('%d.%m.%Y kl. %H:%M')}[/]  {headline}", align="left")

    def sweep(self) -> None:
        steps = self.engine.sweep()
        if not steps:
            self.say("  Sveip: ingen frister å varsle om nå.")
            return
        table = Table(title="Sveip: varsler lagt i kø", title_justify="left")
        for column in ("Sak", "Plikt", "Nivå", "Til", "Emne"):
            table.add_column(column)
        messages = [m for m in self.engine.outbox(status="pending") if m.level is not None]
        for step in steps:
            matching = [
                m
                for m in messages
                if m.payload["case_number"] == step.case_number
                and m.level == step.level
                and m.obligation == step.obligation
            ]
            subject = self.render(matching[0]).subject if matching else ""
            case = self.engine.get(step.case_id, events=False)
            duty = self.engine.registry.spec(case.workflow, case.workflow_version).obligation(step.obligation)
            table.add_row(
                step.case_number,
                duty.label,
                f"{step.level} ({LEVELS[step.level]})",
                ", ".join(ROLES.get(r, r) for r in step.recipients),
                subject,
            )
        self.console.print(table)
        self.engine.dispatcher(_quiet()).dispatch()

    def report(self, workflow: str, pupil: str, occurred: str, kinds: list[str], **extra: Any) -> str:
        case = self.engine.report(
            workflow=workflow,
            school="hellerud",
            pupil=pupil,
            actor=TEACHER,
            document={
                "source": "staff_observation",
                "occurred_at": occurred,
                "kinds": kinds,
                "description": "(fritekst om hendelsen: vises aldri i varsler eller logger)",
            }
            | extra,
        )
        label = self.engine.registry.spec(workflow).label
        self.say(f"  Ny sak [bold]{case.number}[/] ({label}): {pupil}, meldt av kontaktlærer t-17.")
        return case.id

    def fire(self, case_id: str, trigger: str, document: dict[str, Any], actor: Actor) -> None:
        case = self.engine.fire(case_id, trigger, document, actor)
        spec = self.engine.registry.spec(case.workflow, case.workflow_version)
        self.say(
            f"  {case.number}: {spec.transition(trigger).label.lower()} ({actor.id}) "  # type: ignore[union-attr]
            f"-> {spec.state(case.state).label}"
        )


def _renderer(engine: Engine) -> Callable[[Any], Any]:
    from aktivitetsplikt.notifiers.render import Renderer

    return Renderer(engine.settings, engine.registry.words).render


class _quiet:
    """The demo's own notifier: messages count as delivered; their subjects were shown in the table."""

    def send(self, message: Any) -> None:
        return None


def heard(at: str, safe: bool, views: str) -> dict[str, Any]:
    return {"at": at, "feels_safe": safe, "views": views}


def run(console: Console | None = None, folder: Path | None = None) -> Path:
    """Play the tour; returns the folder holding the demo database and config."""
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal or console.width < 120:
            console = Console(highlight=False, width=140)
    folder = folder or Path(tempfile.mkdtemp(prefix="aktivitetsplikt-demo-"))
    tour = Tour(folder, console)
    console.print("[bold]aktivitetsplikt: en omvisning[/] (simulert klokke, demodatabase i " + str(folder) + ")")

    tour.at("2026-09-23T10:00", "onsdag: tre bekymringer")
    well = tour.report("aktivitetsplikt", "elev-A", "2026-09-23T09:40", ["bullying", "offensive_words"])
    tour.fire(
        well,
        "notify_principal",
        {"notified_at": "2026-09-23T09:55", "channel": "muntlig", "summary": "Kontaktlærer varslet rektor i gangen."},
        TEACHER,
    )
    tour.report("aktivitetsplikt", "elev-B", "2026-09-23T08:15", ["exclusion"])
    tour.say("  (ingen varsler rektor om saken til elev-B)")
    leadership = tour.report(
        "skjerpa_aktivitetsplikt",
        "elev-C",
        "2026-09-23T09:00",
        ["offensive_words"],
        accused_staff="rektor",
        accused_is_leadership=True,
    )
    tour.say("  § 12-5-saken gjelder skolens ledelse: rektor holdes utenfor, skoleeier overtar.")
    tour.sweep()

    tour.at("2026-09-23T14:00", "etter skoletid")
    tour.fire(
        well, "start_investigation", {"responsible": "t-18", "plan": "Samtaler med eleven og klassen."}, PRINCIPAL
    )
    tour.fire(
        leadership,
        "notify_principal",
        {"notified_at": "2026-09-23T13:30", "channel": "e-post", "summary": "Varsel sendt direkte til skoleeier."},
        TEACHER,
    )
    tour.sweep()

    tour.at("2026-09-25T09:00", "fredag: fristen for å varsle rektor om elev-B har gått ut")
    tour.sweep()

    tour.at("2026-10-05T08:00", "mandag etter høstferien (28.9.-2.10. teller ikke som skoledager)")
    tour.fire(
        well,
        "conclude_investigation",
        {
            "pupil_heard": heard("2026-10-05T07:45", False, "Eleven vil ha en voksen ute i friminuttene."),
            "others_heard": ["kontaktlærer", "to medelever"],
            "findings": "Gjentatt utfrysing og kallenavn.",
            "conclusion": "measures_needed",
        },
        HANDLER,
    )
    tour.fire(
        well,
        "adopt_plan",
        {
            "problem": "Eleven blir frosset ut og kalt stygge ting i friminuttene.",
            "measures": [
                {"description": "Voksen ute i alle friminutt", "when": "Fra i dag", "responsible": "t-18"},
                {"description": "Klassemøte om språkbruk", "when": "Uke 41", "responsible": "t-17"},
            ],
            "evaluation_at": "2026-10-19T12:00",
            "pupil_participation": "Eleven valgte selv hvilke friminutt som er vanskeligst.",
        },
        HANDLER,
    )
    tour.sweep()

    tour.at("2026-10-06T09:00", "tirsdag: elev-B-saken har stått i en skoledag etter fristen")
    tour.sweep()

    tour.at("2026-10-20T09:00", "evalueringen av elev-A sin plan skulle vært holdt i går")
    tour.sweep()
    tour.fire(
        well,
        "evaluate",
        {
            "held_at": "2026-10-20T08:30",
            "pupil_heard": heard("2026-10-20T08:15", True, "Det er bedre nå."),
            "effect": "Ingen nye hendelser; eleven leker med andre.",
            "decision": "continue",
            "next_evaluation_at": "2026-11-03T12:00",
        },
        HANDLER,
    )
    tour.at("2026-11-03T13:00", "ny evaluering: eleven er trygg")
    tour.fire(
        well,
        "close",
        {
            "reason": "Eleven opplever skolemiljøet som trygt og godt.",
            "pupil_heard": heard("2026-11-03T12:30", True, "Jeg har det bra på skolen."),
        },
        PRINCIPAL,
    )
    tour.sweep()

    from aktivitetsplikt.engine.cli import views

    tour.console.rule("[bold]Saker som står fast[/]", align="left")
    views.print_cases(
        tour.engine, tour.engine.list_cases(stuck=True, by_urgency=True, open_only=True), limit=100, stuck=True
    )
    console.print(
        "\nPrøv selv på demodatabasen (klokken er nå den virkelige, så alt som er åpent er forsinket):\n"
        f"  export AKTIVITETSPLIKT_CONFIG={tour.config}\n"
        "  aktivitetsplikt cases --stuck\n"
        "  aktivitetsplikt case show HEL-2026-0002\n"
        "  aktivitetsplikt agenda\n"
        "  aktivitetsplikt audit --school-year 2026-2027\n"
    )
    return folder
