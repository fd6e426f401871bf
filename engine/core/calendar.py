"""Deadline arithmetic in hours, calendar days and open days (spec section 9).

Every instant going in must be timezone-aware and every instant coming out is aware UTC. Clock durations
(``s``, ``m``, ``h``) are exact; calendar durations (``d``, ``w``) keep the wall-clock time in the
calendar's zone; open days end at 00:00 local time of the next calendar day.

An open day is Monday to Friday, not a Norwegian public holiday and not inside one of the calendar's
closed ranges. Both day units count the open days of the calendar they are added on: ``sd`` (school
days) is written for schools, whose closed ranges are the school holidays; ``wd`` (working days) for
kindergartens, whose closed ranges are their own closed days. Which calendar a unit has is the policy's
business (:meth:`Policy.calendar_of`), not the unit letter's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = ["DAY_UNITS", "Duration", "DurationUnit", "SchoolCalendar"]

DurationUnit = Literal["s", "m", "h", "d", "w", "sd", "wd"]
DAY_UNITS: tuple[DurationUnit, ...] = ("sd", "wd")
"""The units counted in open days of a calendar: school days and working days."""

_UNITS: tuple[str, ...] = get_args(DurationUnit)
_UNIT_LIST = "s, m, h, d, w, sd or wd"
_PATTERN = re.compile(r"([0-9]+)(sd|wd|s|m|h|d|w)")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_ONE_DAY = timedelta(days=1)
# A run of closed days longer than this means the closed ranges are misconfigured; stop looking rather
# than loop for ever.
_MAX_GAP_DAYS = 366
_HOLIDAY_COUNTRY = "NO"


@dataclass(frozen=True)
class Duration:
    """A deadline length: a whole number of seconds, minutes, hours, days, weeks, school or working days.

    Written as text like ``"4h"``, ``"3d"``, ``"2sd"`` or ``"5wd"`` in ``config.toml``; pydantic models
    accept either a ``Duration`` or such a text.
    """

    amount: int
    unit: DurationUnit

    EXPECTED: ClassVar[str] = "a duration like '4h', '3d' or '2sd'"

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            msg = f"A duration's amount must be a whole number of at least 0, not {self.amount!r}."
            raise ValueError(msg)
        if self.unit not in _UNITS:
            msg = f"A duration's unit must be one of {_UNIT_LIST}, not {self.unit!r}."
            raise ValueError(msg)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``"4h"``, ``"3d"``, ``"2sd"``, ``"5wd"``, ``"6w"``, ``"60s"`` or ``"15m"``; else raise ValueError."""
        match = _PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            msg = (
                f"{text!r} is not a duration; write a whole number followed by {_UNIT_LIST}, "
                "like '4h', '3d', '2sd' (school days) or '5wd' (working days)"
            )
            raise ValueError(msg)
        unit: DurationUnit = match.group(2)  # type: ignore[assignment]  # the pattern allows only units
        return cls(int(match.group(1)), unit)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def counts_open_days(self) -> bool:
        """Whether this duration counts the open days of a calendar (``sd`` or ``wd``)."""
        return self.unit in DAY_UNITS

    def total_seconds(self) -> float:
        """Length in seconds; a day counts 86400 s and a week 7 days (approximate across DST changes)."""
        if self.counts_open_days:
            days = "school days" if self.unit == "sd" else "working days"
            msg = f"{self} is counted in {days} and has no fixed length in seconds."
            raise ValueError(msg)
        return float(self.amount * _SECONDS[self.unit])

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema  # keeps pydantic out of plain imports

        return core_schema.no_info_plain_validator_function(
            cls._from_config, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": r"^[0-9]+(s|m|h|d|w|sd|wd)$", "examples": ["4h", "3d", "2sd", "5wd"]}

    @classmethod
    def _from_config(cls, value: object) -> Duration:
        from pydantic_core import PydanticCustomError  # see above

        if isinstance(value, Duration):
            return value
        if isinstance(value, str):
            try:
                return cls.parse(value)
            except ValueError:
                pass
        error_type, msg = "duration_parsing", "expected " + cls.EXPECTED
        raise PydanticCustomError(error_type, msg)


class SchoolCalendar:
    """Open days and deadlines in one time zone, with the closed ranges of one unit.

    A school's calendar is closed in its school holidays; a kindergarten's on its own closed days
    (planning days, summer weeks). ``sd`` and ``wd`` both count the open days of the calendar they are
    added on.
    """

    def __init__(
        self,
        timezone: str = "Europe/Oslo",
        school_holidays: Sequence[tuple[date, date]] = (),
        *,
        configured_in: str = "the school holidays in [calendar] of config.toml",
    ) -> None:
        """``school_holidays`` are the closed ranges, both ends included; ``configured_in`` says where
        they come from, for the message when they leave no open day."""
        self.tz = ZoneInfo(timezone)
        for start, end in school_holidays:
            if end < start:
                msg = f"The closed range {start}..{end} ends before it starts; swap the dates."
                raise ValueError(msg)
        self.school_holidays: tuple[tuple[date, date], ...] = tuple(school_holidays)
        self.configured_in = configured_in

    def __repr__(self) -> str:
        return f"SchoolCalendar({self.tz.key!r}, school_holidays={list(self.school_holidays)!r})"

    def is_school_day(self, day: date) -> bool:
        """An open day: Monday to Friday, not a Norwegian public holiday and not inside a closed range."""
        if day.weekday() >= 5:
            return False
        if day in _public_holidays(day.year):
            return False
        return not any(start <= day <= end for start, end in self.school_holidays)

    def local(self, instant: datetime) -> datetime:
        """The same instant in the calendar's time zone."""
        _require_aware(instant, "instant")
        return instant.astimezone(self.tz)

    def add(self, start: datetime, duration: Duration) -> datetime:
        """The instant ``duration`` after ``start`` (spec section 9), as aware UTC.

        ``Nsd`` and ``Nwd`` end at 00:00 local time after the Nth open day following the starting day;
        the starting day never counts, even from 00:00, and ``0sd`` is the end of the starting day.
        """
        _require_aware(start, "start")
        if duration.counts_open_days:
            day = start.astimezone(self.tz).date()
            return self._end_of(self._step_school_days(day, duration.amount, step=1))
        return self._shift(start, duration, sign=1)

    def subtract(self, instant: datetime, duration: Duration) -> datetime:
        """The instant ``duration`` before ``instant``, counted backwards like :meth:`add`.

        For ``Nsd`` (and ``Nwd``) the day containing ``instant`` is the reference, where 00:00 local
        belongs to the day before (it is that day's end); the result is the end of the Nth open day before
        it. ``0sd`` returns ``instant`` itself: counting backwards never moves later.
        """
        _require_aware(instant, "instant")
        if not duration.counts_open_days:
            return self._shift(instant, duration, sign=-1)
        if duration.amount == 0:
            return instant.astimezone(UTC)
        local = instant.astimezone(self.tz)
        day = local.date()
        if local.time() == time(0):
            day -= _ONE_DAY
        return self._end_of(self._step_school_days(day, duration.amount, step=-1))

    def school_days_late(self, due: datetime, actual: datetime) -> int:
        """How many open days began while the duty was overdue; 0 when ``actual <= due``.

        Counts the open days whose start (00:00 local) lies in ``[due, actual)``. A duty due at the end
        of Tuesday and met on Wednesday morning is 1 school day late; one met over the weekend after a
        Friday deadline is 0.
        """
        _require_aware(due, "due")
        _require_aware(actual, "actual")
        if actual <= due:
            return 0
        day = due.astimezone(self.tz).date()
        last = actual.astimezone(self.tz).date()
        count = 0
        while day <= last:
            if self.is_school_day(day) and due <= self._start_of(day) < actual:
                count += 1
            day += _ONE_DAY
        return count

    def _shift(self, instant: datetime, duration: Duration, sign: int) -> datetime:
        if duration.unit in ("d", "w"):
            days = duration.amount * (7 if duration.unit == "w" else 1)
            wall = instant.astimezone(self.tz).replace(tzinfo=None) + sign * timedelta(days=days)
            # fold=0: an ambiguous wall time takes the first (summer) offset; a skipped one the offset
            # before the gap, which lands one hour later on the wall clock.
            return wall.replace(tzinfo=self.tz, fold=0).astimezone(UTC)
        return instant.astimezone(UTC) + sign * timedelta(seconds=duration.total_seconds())

    def _step_school_days(self, day: date, count: int, step: int) -> date:
        """The ``count``-th open day after (step 1) or before (step -1) ``day``; ``day`` itself if 0."""
        for _ in range(count):
            day = self._next_school_day(day, step)
        return day

    def _next_school_day(self, day: date, step: int) -> date:
        candidate = day
        for _ in range(_MAX_GAP_DAYS):
            candidate += step * _ONE_DAY
            if self.is_school_day(candidate):
                return candidate
        msg = f"There is no open day within {_MAX_GAP_DAYS} days of {day}; check {self.configured_in}."
        raise ValueError(msg)

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC)

    def _end_of(self, day: date) -> datetime:
        return self._start_of(day + _ONE_DAY)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Norwegian public holidays of a year, computed once per process for every calendar."""
    import holidays  # imported on first use: it is slow and rarely needed at start

    return frozenset(holidays.country_holidays(_HOLIDAY_COUNTRY, years=year).keys())


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name} must be a timezone-aware datetime, got the naive {value.isoformat()}; attach a tzinfo."
        raise ValueError(msg)
