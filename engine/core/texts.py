"""Dates, times and deadlines in bokmål and nynorsk, through Babel: the one home of these texts (spec
section 9: shown in the configured time zone). The CLI, the audit, the dossier and the notifications all
write them through here, so a deadline reads the same everywhere:

- a deadline counted in school or working days ends at 00:00 (the start of the following day), which a
  reader understands as "the end of the day before": ``utgangen av torsdag 3. september 2026``;
- any other deadline (hours: § 12-5 "straks") with its time: ``fredag 4. september 2026 kl. 14:30``.

Each function takes the language (``nb`` or ``nn``); without it, the current one of :mod:`.i18n`.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from babel.dates import format_date, format_time

from aktivitetsplikt.engine.core.i18n import Language, current, translate, translate_plural

DAY_FORMAT = "EEEE d. MMMM y"
"""``torsdag 3. september 2026`` / ``torsdag 3. september 2026`` (nn: ``måndag``, ``laurdag``)."""
SHORT_FORMAT = "dd.MM.y"
TIME_FORMAT = "HH:mm"
_HOUR = timedelta(hours=1)


def instant(value: datetime | str) -> datetime:
    """An aware datetime from a datetime or an ISO text; a naive value is taken to be UTC."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _lang(lang: Language | None) -> Language:
    return current() if lang is None else lang


def day(value: date, lang: Language | None = None) -> str:
    """``fredag 4. september 2026``."""
    return format_date(value, DAY_FORMAT, locale=_lang(lang))


def moment(value: datetime | str, zone: tzinfo, lang: Language | None = None) -> str:
    """``fredag 4. september 2026 kl. 14:30``, in ``zone``."""
    local = instant(value).astimezone(zone)
    lang = _lang(lang)
    clock = format_time(local.time(), TIME_FORMAT, locale=lang)
    return translate("%(day)s at %(time)s", lang) % {"day": day(local.date(), lang), "time": clock}


def end_of_day(local: datetime) -> date | None:
    """The day a deadline at 00:00 local time closes (the day before); None for any other time."""
    return local.date() - timedelta(days=1) if local.time() == time(0) else None


def short(value: datetime | str, zone: tzinfo, lang: Language | None = None) -> str:
    """A moment in a table (not a deadline): ``04.09.2026 14:30``, in ``zone``."""
    local = instant(value).astimezone(zone)
    lang = _lang(lang)
    return (
        f"{format_date(local.date(), SHORT_FORMAT, locale=lang)} {format_time(local.time(), TIME_FORMAT, locale=lang)}"
    )


def short_date(value: datetime | str, zone: tzinfo, lang: Language | None = None) -> str:
    """The date alone, in a table or a title: ``04.09.2026``."""
    return format_date(instant(value).astimezone(zone).date(), SHORT_FORMAT, locale=_lang(lang))


def deadline(value: datetime | str, zone: tzinfo, lang: Language | None = None) -> str:
    """A deadline, the one way everywhere (see the module docstring); it follows "innen" or "Fristen var"."""
    local = instant(value).astimezone(zone)
    lang = _lang(lang)
    closes = end_of_day(local)
    if closes is None:
        return moment(local, zone, lang)
    return translate("end of %(day)s", lang) % {"day": day(closes, lang)}


short_deadline = deadline
"""A deadline in a table: the same words as everywhere (kept for its callers)."""
dated_deadline = deadline
"""A deadline in the dossier: the same words as everywhere (kept for its callers)."""


def counted_by_days(due: datetime | str, zone: tzinfo) -> bool:
    """Whether a deadline was counted in (school, working, calendar) days: it ends at 00:00 local time."""
    return end_of_day(instant(due).astimezone(zone)) is not None


def hours(count: int, lang: Language | None = None) -> str:
    """``1 time``, ``5 timer`` (nn ``5 timar``)."""
    return translate_plural("%(count)d hour", "%(count)d hours", count, _lang(lang)) % {"count": count}


def late(
    due: datetime | str,
    actual: datetime,
    zone: tzinfo,
    days_late: int,
    day_words: tuple[str, str],
    lang: Language | None = None,
) -> str:
    """How late a duty is: in the unit's counted days (``day_words``, singular and plural) for a deadline
    counted in days, in begun hours for one counted in hours (§ 12-5 "straks": 4 hours); a day deadline
    overdue by less than one counted day (a weekend) is also given in hours, never as "0 days"."""
    if counted_by_days(due, zone) and days_late > 0:
        return f"{days_late} {day_words[0] if days_late == 1 else day_words[1]}"
    begun = max(1, math.ceil((actual - instant(due)) / _HOUR))
    return hours(begun, lang)


def listing(items: list[str], lang: Language | None = None) -> str:
    """``a``, ``a og b``, ``a, b og c``."""
    if len(items) <= 1:
        return "".join(items)
    return translate("%(first)s and %(last)s", _lang(lang)) % {"first": ", ".join(items[:-1]), "last": items[-1]}
