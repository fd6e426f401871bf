"""What a monitor watches, read in two aggregate queries: open, overdue and stuck duties per unit, and the
outbox by status. ``stuck`` is the escalation ladder's last level, the same as ``cases --stuck``."""

from __future__ import annotations

from dataclasses import dataclass

from aktivitetsplikt.engine.app.ports import DutyGauge
from aktivitetsplikt.engine.app.service import Engine
from aktivitetsplikt.engine.core.escalation import LAST_LEVEL


@dataclass(frozen=True)
class Gauges:
    duties: list[DutyGauge]
    outbox: dict[str, int]


def gauges(engine: Engine) -> Gauges:
    with engine.uow() as uow:
        duties = uow.reports.duty_gauges(engine.clock.now(), LAST_LEVEL)
        return Gauges(duties, uow.reports.outbox_counts())
