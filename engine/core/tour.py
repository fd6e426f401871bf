"""A guided tour as data: the scripted cases ``aktivitetsplikt demo`` plays on a throwaway database.

The workflow packs bring their tours (the engine knows no law, so it cannot invent a case); the CLI's
demo plays any of them with a simulated clock. Times are Oslo wall-clock times in ISO 8601.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["At", "DemoTour", "Fire", "Report", "Say", "ShowStuck", "Sweep", "TourActor", "TourStep"]


@dataclass(frozen=True)
class TourActor:
    id: str
    role: str
    school: str | None = None
    described: str = ""
    """How the tour names them to the audience, e.g. "kontaktlærer t-17"."""


@dataclass(frozen=True)
class At:
    """Move the simulated clock to ``when`` and print a headline."""

    when: str
    headline: str
    nn: str = ""
    """The headline in nynorsk (``demo`` with ``--lang nn``); empty: the bokmål one."""


@dataclass(frozen=True)
class Say:
    text: str
    nn: str = ""
    """The text in nynorsk; empty: the bokmål one."""


@dataclass(frozen=True)
class Report:
    """Open a case; ``key`` names it for the steps that follow."""

    key: str
    workflow: str
    school: str
    pupil: str
    actor: TourActor
    document: dict[str, Any]


@dataclass(frozen=True)
class Fire:
    key: str
    trigger: str
    document: dict[str, Any]
    actor: TourActor


@dataclass(frozen=True)
class Sweep:
    """One sweep: print the reminders and escalations it queued, then deliver them quietly."""


@dataclass(frozen=True)
class ShowStuck:
    """Print the cases that are stuck."""


TourStep = At | Say | Report | Fire | Sweep | ShowStuck


@dataclass(frozen=True)
class DemoTour:
    """A tour: its configuration (TOML with ``{db}`` for the database path and ``{operator}`` for the
    operating-system user who runs it, the demo's IT admin), its steps and the commands it suggests at
    the end (``{config}`` is the config file it wrote)."""

    name: str
    title: str
    config: str
    start: str
    steps: tuple[TourStep, ...]
    try_next: tuple[str, ...] = ()
    title_nn: str = ""
    """The title in nynorsk; empty: the bokmål one."""
