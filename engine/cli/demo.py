"""``aktivitetsplikt demo``: a guided tour on a throwaway SQLite, with a simulated clock.

The tours are data of the workflow packs (:class:`DemoTour`, see ``aktivitetsplikt.workflows.tours``);
this module plays one: cases opened and moved, the clock moved forward, each sweep's reminders and
escalations printed, and the tour ends with the cases that are stuck. The database and a config stay in
a temporary folder so the other commands can be tried on them.

An entry point like the rest of the CLI: it sees every layer (storage through ``bootstrap``, notifiers
to render).
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
from aktivitetsplikt.engine.bootstrap import bootstrap, builtin_tours
from aktivitetsplikt.engine.config.settings import load_settings
from aktivitetsplikt.engine.core.documents import OSLO
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL
from aktivitetsplikt.engine.core.model import Actor
from aktivitetsplikt.engine.core.tour import At, DemoTour, Fire, Report, Say, ShowStuck, Sweep, TourActor
from aktivitetsplikt.engine.errors import ConfigError

LEVELS = {0: "påminnelse før fristen", 1: "fristen har gått ut"}
"""What the levels below the last mean; the last names the owner in the case's own words."""


def oslo(text: str) -> datetime:
    """An Oslo wall-clock time, as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO).astimezone(UTC)


class Tour:
    """Plays a :class:`DemoTour` against a fresh engine in ``folder``."""

    def __init__(self, tour: DemoTour, folder: Path, console: Console) -> None:
        self.tour = tour
        self.folder = folder
        self.console = console
        config = folder / "config.toml"
        operator = _operator()
        config.write_text(tour.config.format(db=folder / "demo.db", operator=operator), encoding="utf-8")
        self.config = config
        self.clock = FixedClock(oslo(tour.start))
        self.engine: Engine = bootstrap(load_settings(config), clock=self.clock, upgrade=True, face="cli")
        self.reader = Actor(id=operator, role="it_admin")
        """Who the tour reads as: the person running it, the demo's IT admin (the suggested commands too)."""
        self.render: Callable[[Any], Any] = _renderer(self.engine)
        self.cases: dict[str, str] = {}

    def play(self) -> None:
        for step in self.tour.steps:
            match step:
                case At(when, headline):
                    self.at(when, headline)
                case Say(text):
                    self.console.print(text)
                case Report():
                    self.report(step)
                case Fire(key, trigger, document, actor):
                    self.fire(self.cases[key], trigger, document, _actor(actor))
                case Sweep():
                    self.sweep()
                case ShowStuck():
                    self.show_stuck()

    def at(self, when: str, headline: str) -> None:
        self.clock.set(oslo(when))
        local = self.clock.now().astimezone(self.engine.decider.calendar.tz)
        self.console.rule(f"[bold]{local.strftime('%d.%m.%Y kl. %H:%M')}[/]  {headline}", align="left")

    def sweep(self) -> None:
        steps = self.engine.sweep()
        if not steps:
            self.console.print("  Sveip: ingen frister å varsle om nå.")
            return
        table = Table(title="Sveip: varsler lagt i kø", title_justify="left")
        for column in ("Sak", "Plikt", "Nivå", "Til", "Emne"):
            table.add_column(column)
        messages = [m for m in self.engine.outbox(actor=self.reader, status="pending") if m.level is not None]
        for step in steps:
            matching = [
                m
                for m in messages
                if m.payload["case_number"] == step.case_number
                and m.level == step.level
                and m.obligation == step.obligation
            ]
            subject = self.render(matching[0]).subject if matching else ""
            case = self.engine.get(step.case_id, actor=self.reader, events=False)
            words = self.engine.registry.pack(case.workflow).label("nb")
            levels = LEVELS | {LAST_LEVEL: f"meldt til {words.roles['school_owner']}"}
            table.add_row(
                step.case_number,
                words.duties.get(step.obligation, step.obligation),
                f"{step.level} ({levels[step.level]})",
                ", ".join(words.roles.get(r, r) for r in step.recipients),
                subject,
            )
        self.console.print(table)
        self.engine.dispatcher(_quiet()).dispatch()

    def report(self, step: Report) -> None:
        actor = _actor(step.actor)
        case = self.engine.report(
            workflow=step.workflow, school=step.school, pupil=step.pupil, actor=actor, document=step.document
        )
        self.cases[step.key] = case.id
        label = self.engine.registry.spec(step.workflow).label
        by = step.actor.described or step.actor.id
        self.console.print(f"  Ny sak [bold]{case.number}[/] ({label}): {step.pupil}, meldt av {by}.")

    def fire(self, case_id: str, trigger: str, document: dict[str, Any], actor: Actor) -> None:
        case = self.engine.fire(case_id, trigger, document, actor)
        spec = self.engine.registry.spec(case.workflow, case.workflow_version)
        step = spec.transition(trigger)
        label = step.label if step is not None else trigger
        self.console.print(f"  {case.number}: {label.lower()} ({actor.id}) -> {spec.state(case.state).label}")

    def show_stuck(self) -> None:
        from aktivitetsplikt.engine.cli import views

        self.console.rule("[bold]Saker som står fast[/]", align="left")
        stuck = self.engine.list_cases(actor=self.reader, stuck=True, by_urgency=True, open_only=True)
        views.print_cases(self.engine, stuck, limit=100, stuck=True)


def _operator() -> str:
    import getpass

    try:
        return getpass.getuser() or "demo"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "demo"


def _actor(actor: TourActor) -> Actor:
    return Actor(id=actor.id, role=actor.role, school=actor.school)  # type: ignore[arg-type]  # tours are data


def _renderer(engine: Engine) -> Callable[[Any], Any]:
    from aktivitetsplikt.notifiers.render import Renderer

    return Renderer(engine.settings, engine.registry.words).render


class _quiet:
    """The demo's own notifier: messages count as delivered; their subjects were shown in the table."""

    def send(self, message: Any) -> None:
        return None


def tour_named(name: str) -> DemoTour:
    tours = builtin_tours()
    if name not in tours:
        msg = f"There is no tour '{name}'; use one of: {', '.join(sorted(tours))}."
        raise ConfigError(msg)
    return tours[name]


def run(console: Console | None = None, folder: Path | None = None, tour: str = "skole") -> Path:
    """Play the tour named ``tour``; returns the folder holding the demo database and config."""
    script = tour_named(tour)
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal or console.width < 120:
            console = Console(highlight=False, width=140)
    folder = folder or Path(tempfile.mkdtemp(prefix="aktivitetsplikt-demo-"))
    player = Tour(script, folder, console)
    console.print(f"[bold]{script.title}[/] (simulert klokke, demodatabase i {folder})")
    player.play()
    commands = "".join(f"  {command}\n" for command in script.try_next)
    console.print(
        "\nPrøv selv på demodatabasen (klokken er nå den virkelige, så alt som er åpent er forsinket):\n"
        f"  export AKTIVITETSPLIKT_CONFIG={player.config}\n{commands}"
    )
    return folder
