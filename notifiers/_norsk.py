"""Dates and times in Norwegian bokmål, as the templates show them (spec section 9: shown in Oslo time).

Written out by hand rather than through ``locale`` so that the output does not depend on which locales
the server happens to have installed.
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
ROLE_LABELS = {
    "responsible": "saksansvarlig",
    "principal": "rektor",
    "deputy": "rektors stedfortreder",
    "school_owner": "skoleeier",
    "reporter": "melder",
    "case_handler": "saksbehandler",
    "staff": "ansatt",
}
"""Who a message is for, as the reader calls them."""


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


def deadline(value: datetime | str, zone: tzinfo) -> str:
    """A deadline to follow "innen" or "Fristen var".

    A school-day deadline ends at 00:00 (spec section 9: the start of the following day), which a reader
    understands as "the end of the day before": ``utgangen av torsdag 3. september 2026``. Any other time
    is shown as it is: ``fredag 4. september 2026 kl. 14:30``.
    """
    local = instant(value).astimezone(zone)
    if local.time() == time(0):
        return f"utgangen av {day(local.date() - timedelta(days=1))}"
    return moment(local, zone)


def role(value: str) -> str:
    """The Norwegian name of a recipient role; an unknown role is shown as it is."""
    return ROLE_LABELS.get(value, value)


def listing(items: list[str]) -> str:
    """``a``, ``a og b``, ``a, b og c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"
