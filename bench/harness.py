"""Timing and reporting: medians of repeated runs after a warm-up, with min and max, as ratios."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Sample:
    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, seconds: list[float]) -> Sample:
        return cls(statistics.median(seconds), min(seconds), max(seconds), len(seconds))


def measure(action: Callable[[], Any], *, runs: int, warmup: int = 3, setup: Callable[[], Any] | None = None) -> Sample:
    """Time ``action`` ``runs`` times (after ``warmup`` untimed runs); ``setup`` runs untimed before each."""
    for _ in range(warmup):
        if setup is not None:
            setup()
        action()
    seconds: list[float] = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return Sample.of(seconds)


def measure_pair(
    first: Callable[[], Any], second: Callable[[], Any], *, runs: int, warmup: int = 3
) -> tuple[Sample, Sample]:
    """Time two actions taking turns, so that a load which comes and goes on a shared machine weighs on
    both alike; for a ratio of two small figures measured in the same run."""
    for _ in range(warmup):
        first()
        second()
    timings: tuple[list[float], list[float]] = ([], [])
    gc.collect()
    for run in range(runs):
        for action, seconds in (
            ((first, timings[0]), (second, timings[1])) if run % 2 else ((second, timings[1]), (first, timings[0]))
        ):
            start = time.perf_counter()
            action()
            seconds.append(time.perf_counter() - start)
    return Sample.of(timings[0]), Sample.of(timings[1])


@dataclass
class Figure:
    """One line of the table: a measured value, its floor (if any) and the target."""

    name: str
    value: Sample
    unit: str
    target: str
    floor: Sample | None = None
    ratio_max: float | None = None
    absolute_max: float | None = None
    rate_min: float | None = None
    items: int | None = None
    errors: int | None = None
    """Errors counted during the run (the load figure); any at all and the target is not met."""
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return None if self.floor is None else self.value.median / self.floor.median

    @property
    def rate(self) -> float | None:
        return None if self.items is None else self.items / self.value.median

    @property
    def met(self) -> bool:
        checks = []
        if self.ratio_max is not None and self.ratio is not None:
            checks.append(self.ratio <= self.ratio_max)
        if self.absolute_max is not None:
            checks.append(self.value.median <= self.absolute_max)
        if self.rate_min is not None and self.rate is not None:
            checks.append(self.rate >= self.rate_min)
        if self.errors is not None:
            checks.append(self.errors == 0)
        return all(checks)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data |= {"ratio": self.ratio, "rate": self.rate, "met": self.met}
        return data


def fmt(seconds: float, unit: str) -> str:
    if unit == "MB":
        return f"{seconds:.2f} MB"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def table(figures: list[Figure]) -> str:
    head = f"{'figure':<52} {'median (min-max)':<30} {'floor median':<14} {'ratio':>7} {'rate':>12}  target  met"
    lines = [head, "-" * len(head)]
    for f in figures:
        value = f"{fmt(f.value.median, f.unit)} ({fmt(f.value.low, f.unit)}-{fmt(f.value.high, f.unit)})"
        floor = fmt(f.floor.median, f.unit) if f.floor else "-"
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else "-"
        rate = f"{f.rate:,.0f}/s" if f.rate is not None else "-"
        lines.append(
            f"{f.name:<52} {value:<30} {floor:<14} {ratio:>7} {rate:>12}  {f.target}  {'yes' if f.met else 'NO'}"
        )
    return "\n".join(lines)
