"""``aktivitetsplikt demo``: a guided tour on a throwaway SQLite, with a simulated clock.

The tours are data of the workflow packs (:class:`DemoTour`, see ``aktivitetsplikt.workflows.tours``);
this module plays one: cases opened and moved, the clock moved forward, each sweep's reminders and
escalations printed, and the tour ends with the cases that are stuck. The database and a config stay in
a temporary folder so the other commands can be tried on them.

An entry point like the rest of the CLI: it sees every layer (storage through ``bootstrap``, notifiers
to render).
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aktivitetsplikt.engine.app.clock import FixedClock
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.bootstrap import bootstrap, builtin_tours
from aktivitetsplikt.engine.cli import views
from aktivitetsplikt.engine.config.settings import load_settings
from aktivitetsplikt.engine.core import i18n, texts
from aktivitetsplikt.engine.core.documents import OSLO
from aktivitetsplikt.engine.core.i18n import _
from aktivitetsplikt.engine.core.model import Actor
from aktivitetsplikt.engine.core.tour import At, DemoTour, Fire, Report, Say, ShowStuck, Sweep, TourActor
from aktivitetsplikt.engine.errors import ConfigError


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
                case At(when, headline, nn):
                    self.at(when, nn if nn and i18n.current() == "nn" else headline)
                case Say(text, nn):
                    self.console.print(nn if nn and i18n.current() == "nn" else text)
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
        local = texts.moment(self.clock.now(), self.engine.decider.calendar.tz)
        self.console.rule(f"[bold]{local}[/]  {headline}", align="left")

    def sweep(self) -> None:
        steps = self.engine.sweep()
        if not steps:
            self.console.print("  " + _("Deadline check: no deadlines to give notice of now."))
            return
        table = Table(title=_("Deadline check: notices queued"), title_justify="left")
        for column in (_("Case"), _("Duty"), _("Level"), _("To"), _("Subject")):
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
            words = views.words_of(self.engine, case.workflow)
            table.add_row(
                step.case_number,
                words.duties.get(step.obligation, step.obligation),
                views.level_text(step.level, words),
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
        label = views.words_of(self.engine, step.workflow).workflow
        by = step.actor.described or step.actor.id
        opened = {"number": f"[bold]{case.number}[/]", "workflow": label, "pupil": step.pupil, "by": by}
        self.console.print("  " + _("New case %(number)s (%(workflow)s): %(pupil)s, reported by %(by)s.") % opened)

    def fire(self, case_id: str, trigger: str, document: dict[str, Any], actor: Actor) -> None:
        case = self.engine.fire(case_id, trigger, document, actor)
        words = views.words_of(self.engine, case.workflow)
        label = words.steps.get(trigger, trigger)
        role = words.roles.get(actor.role, actor.role)
        state = words.states.get(case.state, case.state)
        self.console.print(f"  {case.number}: {label.lower()} ({actor.id}, {role}) -> {state}")

    def show_stuck(self) -> None:
        stuck_title = _("Cases that are stuck")
        self.console.rule(f"[bold]{stuck_title}[/]", align="left")
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

    # The tour's mails are shown in the language the tour speaks (--lang), whatever its config says.
    lang = i18n.current()
    speaking = {
        "schools": {k: v.model_copy(update={"language": lang}) for k, v in engine.settings.schools.items()},
        "kindergartens": {k: v.model_copy(update={"language": lang}) for k, v in engine.settings.kindergartens.items()},
    }
    return Renderer(engine.settings.model_copy(update=speaking), engine.registry.words).render


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
    title = script.title_nn if script.title_nn and i18n.current() == "nn" else script.title
    where = _("(simulated clock, demo database in %(folder)s)") % {"folder": folder}
    console.print(f"[bold]{title}[/] {where}")
    player.play()
    commands = "".join(f"  {runnable(command)}\n" for command in script.try_next)
    console.print(
        "\n"
        + _("Try it yourself on the demo database (the clock is now the real one, so all that is open is late):")
        + f"\n  export AKTIVITETSPLIKT_CONFIG={player.config}\n{escape(commands)}"
    )
    return folder


def runnable(command: str) -> str:
    """A suggested ``aktivitetsplikt ...`` command as it runs from this very environment: the console
    script beside this Python (a virtual environment need not be activated), else ``python -m``; with
    ``--lang`` when the tour spoke nynorsk."""
    script = Path(sys.executable).parent / ("aktivitetsplikt.exe" if sys.platform == "win32" else "aktivitetsplikt")
    program = (
        shlex.quote(str(script)) if script.is_file() else f"{shlex.quote(sys.executable)} -m aktivitetsplikt.engine.cli"
    )
    rest = command.removeprefix("aktivitetsplikt").strip()
    lang = f" --lang {i18n.current()}" if i18n.current() != i18n.DEFAULT else ""
    return f"{program}{lang} {rest}"
