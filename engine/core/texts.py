"""Dates, times and deadlines in Norwegian bokmål: the one home of these texts (spec section 9: shown in
Oslo time). The CLI, the audit, the dossier and the notifications all write them through here.

A deadline counted in school or working days ends at 00:00 (the start of the following day), which a
reader understands as "the end of the day before" (:func:`end_of_day`). Written out by hand rather than
through ``locale`` so that the output does not depend on which locales the server has installed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)


def instant(value: datetime | str) -> datetime:
    """An aware datetime from a datetime or an ISO text; a naive value is taken to be UTC."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def day(value: date) -> str:
    """``fredag 4. september 2026``."""
    return f"{WEEKDAYS[value.weekday()]} {value.day}. {MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime | str, zone: tzinfo) -> str:
    """``fredag 4. september 2026 kl. 14:30``, in ``zone``."""
    local = instant(value).astimezone(zone)
    return f"{day(local.date())} kl. {local:%H:%M}"


def end_of_day(local: datetime) -> date | None:
    """The day a deadline at 00:00 local time closes (the day before); None for any other time."""
    return local.date() - timedelta(days=1) if local.time() == time(0) else None


def short(value: datetime | str, zone: tzinfo) -> str:
    """``04.09.2026 14:30``, in ``zone``."""
    return f"{instant(value).astimezone(zone):%d.%m.%Y %H:%M}"


def short_deadline(value: datetime | str, zone: tzinfo) -> str:
    """A deadline in a table: ``03.09.2026 24:00`` for the end of a day, else ``04.09.2026 14:30``."""
    local = instant(value).astimezone(zone)
    closes = end_of_day(local)
    return f"{closes:%d.%m.%Y} 24:00" if closes is not None else short(local, zone)


def dated_deadline(value: datetime | str, zone: tzinfo) -> str:
    """A deadline in the dossier: ``utgangen av 03.09.2026``, else ``04.09.2026 kl. 14:30``."""
    local = instant(value).astimezone(zone)
    closes = end_of_day(local)
    return f"utgangen av {closes:%d.%m.%Y}" if closes is not None else f"{local:%d.%m.%Y kl. %H:%M}"


def deadline(value: datetime | str, zone: tzinfo) -> str:
    """A deadline to follow "innen" or "Fristen var".

    A school-day deadline ends at 00:00 (spec section 9: the start of the following day), which a reader
    understands as "the end of the day before": ``utgangen av torsdag 3. september 2026``. Any other time
    is shown as it is: ``fredag 4. september 2026 kl. 14:30``.
    """
    local = instant(value).astimezone(zone)
    closes = end_of_day(local)
    return f"utgangen av {day(closes)}" if closes is not None else moment(local, zone)


def listing(items: list[str]) -> str:
    """``a``, ``a og b``, ``a, b og c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"
