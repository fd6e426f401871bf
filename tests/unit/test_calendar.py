"""School-day deadline arithmetic (spec section 9)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aktivitetsplikt.engine.core.calendar import Duration, SchoolCalendar

OSLO = ZoneInfo("Europe/Oslo")
AUTUMN_BREAK_2026 = (date(2026, 9, 28), date(2026, 10, 2))


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def calendar() -> SchoolCalendar:
    return SchoolCalendar()


class TestDurationParse:
    @pytest.mark.parametrize(
        ("text", "amount", "unit"),
        [
            ("4h", 4, "h"),
            ("3d", 3, "d"),
            ("2sd", 2, "sd"),
            ("6w", 6, "w"),
            ("60s", 60, "s"),
            ("15m", 15, "m"),
        ],
    )
    def test_parses_each_unit(self, text: str, amount: int, unit: str) -> None:
        """Every unit of the spec parses to its amount and unit."""
        assert Duration(amount, unit) == Duration.parse(text)  # type: ignore[arg-type]

    @pytest.mark.parametrize("text", ["0sd", "1sd", "10sd", "4h", "0s", "6w", "100d"])
    def test_round_trips_through_text(self, text: str) -> None:
        """str() gives back the text a duration was parsed from."""
        assert text == str(Duration.parse(text))

    @pytest.mark.parametrize("text", ["3x", "", "sd", "-1d", "1.5h", "4 h", "4H", "2 sd", "h4", "٣d"])
    def test_refuses_what_is_not_a_duration(self, text: str) -> None:
        """Anything but a whole number and a unit is refused with the format that is expected."""
        with pytest.raises(ValueError, match=r"is not a duration; write a whole number followed by s, m, h"):
            Duration.parse(text)

    def test_refusal_quotes_the_text(self) -> None:
        """The message names the text and gives examples."""
        expected = "'3x' is not a duration; write a whole number followed by s, m, h, d, w, sd or wd, like '4h'"
        with pytest.raises(ValueError, match=expected):
            Duration.parse("3x")

    def test_refuses_a_negative_amount_when_built_directly(self) -> None:
        """A Duration cannot be built with a negative amount."""
        with pytest.raises(ValueError, match="whole number of at least 0"):
            Duration(-1, "h")


class TestDurationTotalSeconds:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [("60s", 60.0), ("15m", 900.0), ("4h", 14400.0), ("3d", 259200.0), ("1w", 604800.0)],
    )
    def test_clock_and_calendar_units(self, text: str, seconds: float) -> None:
        """s, m, h, d and w have a length in seconds (a day is 86400 s)."""
        assert seconds == Duration.parse(text).total_seconds()

    def test_school_days_have_no_length(self) -> None:
        """A school-day duration has no fixed length and says so."""
        with pytest.raises(ValueError, match="counted in school days"):
            Duration.parse("2sd").total_seconds()


class TestIsSchoolDay:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (date(2026, 4, 1), True),  # Wednesday before Easter
            (date(2026, 4, 2), False),  # Maundy Thursday (skjærtorsdag)
            (date(2026, 4, 3), False),  # Good Friday
            (date(2026, 4, 6), False),  # Easter Monday
            (date(2026, 4, 4), False),  # Saturday
            (date(2026, 5, 1), False),  # Labour Day, a Friday
            (date(2026, 5, 14), False),  # Ascension Day (Kristi himmelfartsdag)
            (date(2026, 5, 25), False),  # Whit Monday (2. pinsedag)
            (date(2027, 5, 17), False),  # Constitution Day on a Monday (also Whit Monday in 2027)
            (date(2027, 5, 18), True),
            (date(2026, 12, 25), False),  # Christmas Day
            (date(2027, 1, 1), False),  # New Year's Day
        ],
    )
    def test_public_holidays_and_weekends(self, calendar: SchoolCalendar, day: date, expected: bool) -> None:
        """Weekends and Norwegian public holidays are not school days."""
        assert expected == calendar.is_school_day(day)

    @pytest.mark.parametrize("day", [date(2026, 12, 24), date(2026, 12, 31)])
    def test_christmas_eve_and_new_years_eve_are_not_public_holidays(self, calendar: SchoolCalendar, day: date) -> None:
        """The holidays package (NO) has no holiday on 24 or 31 Dec; only a school holiday skips them."""
        assert calendar.is_school_day(day)

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (date(2026, 9, 25), True),  # the Friday before
            (date(2026, 9, 28), False),  # first day (inclusive)
            (date(2026, 9, 30), False),
            (date(2026, 10, 2), False),  # last day (inclusive)
            (date(2026, 10, 5), True),  # the Monday after
        ],
    )
    def test_configured_school_holiday_is_skipped(self, day: date, expected: bool) -> None:
        """A day inside a configured school holiday range, both ends included, is not a school day."""
        calendar = SchoolCalendar(school_holidays=[AUTUMN_BREAK_2026])
        assert expected == calendar.is_school_day(day)

    def test_refuses_a_school_holiday_that_ends_before_it_starts(self) -> None:
        """A reversed range is a configuration mistake, not an empty holiday."""
        with pytest.raises(ValueError, match="ends before it starts"):
            SchoolCalendar(school_holidays=[(date(2026, 10, 2), date(2026, 9, 28))])


class TestAddSchoolDays:
    def test_easter_2026_example_from_the_spec(self, calendar: SchoolCalendar) -> None:
        """Spec section 9: Wed 1 April 2026 10:00 + 1sd is due at the end of Tue 7 April 2026."""
        # 2, 3 and 6 April are public holidays, 4 and 5 April a weekend.
        expected = utc(2026, 4, 7, 22)  # 2026-04-08T00:00 Oslo (CEST)
        assert expected == calendar.add(oslo(2026, 4, 1, 10), Duration.parse("1sd"))

    def test_result_is_aware_utc(self, calendar: SchoolCalendar) -> None:
        """Results come back in UTC."""
        expected = UTC
        assert expected == calendar.add(oslo(2026, 4, 1, 10), Duration.parse("1sd")).tzinfo

    def test_starting_day_never_counts_even_from_midnight(self, calendar: SchoolCalendar) -> None:
        """From Mon 20 April 2026 00:00, 1sd is the end of Tuesday, not of Monday."""
        expected = oslo(2026, 4, 22)
        assert expected == calendar.add(oslo(2026, 4, 20), Duration.parse("1sd"))

    def test_zero_school_days_is_the_end_of_the_starting_day(self, calendar: SchoolCalendar) -> None:
        """0sd from Wed 1 April 2026 10:00 is that day's end, 2 April 00:00 Oslo."""
        expected = oslo(2026, 4, 2)
        assert expected == calendar.add(oslo(2026, 4, 1, 10), Duration.parse("0sd"))

    def test_start_on_a_saturday(self, calendar: SchoolCalendar) -> None:
        """From Saturday 18 April 2026, 1sd is the end of Monday 20 April."""
        expected = oslo(2026, 4, 21)
        assert expected == calendar.add(oslo(2026, 4, 18, 10), Duration.parse("1sd"))

    def test_several_school_days_skip_a_weekend(self, calendar: SchoolCalendar) -> None:
        """From Thu 16 April 2026, 2sd is Fri 17 and Mon 20: due at the end of Monday."""
        expected = oslo(2026, 4, 21)
        assert expected == calendar.add(oslo(2026, 4, 16, 14), Duration.parse("2sd"))

    def test_ascension_day_2026(self, calendar: SchoolCalendar) -> None:
        """Wed 13 May 2026 + 1sd skips Ascension Day (Thu 14 May): due at the end of Fri 15 May."""
        expected = oslo(2026, 5, 16)
        assert expected == calendar.add(oslo(2026, 5, 13, 9), Duration.parse("1sd"))

    def test_whit_monday_2026(self, calendar: SchoolCalendar) -> None:
        """Fri 22 May 2026 + 1sd skips the weekend and Whit Monday (25 May): due at the end of Tue 26 May."""
        expected = oslo(2026, 5, 27)
        assert expected == calendar.add(oslo(2026, 5, 22, 9), Duration.parse("1sd"))

    def test_constitution_day_2027_on_a_monday(self, calendar: SchoolCalendar) -> None:
        """Fri 14 May 2027 + 1sd skips Mon 17 May: due at the end of Tue 18 May."""
        expected = oslo(2027, 5, 19)
        assert expected == calendar.add(oslo(2027, 5, 14, 9), Duration.parse("1sd"))

    def test_christmas_2026(self, calendar: SchoolCalendar) -> None:
        """Wed 23 Dec 2026 + 2sd counts Thu 24 Dec (no public holiday) and Mon 28 Dec (25 Dec is one)."""
        expected = utc(2026, 12, 28, 23)  # 2026-12-29T00:00 Oslo (CET)
        assert expected == calendar.add(oslo(2026, 12, 23, 10), Duration.parse("2sd"))

    def test_new_year_2027(self, calendar: SchoolCalendar) -> None:
        """Thu 31 Dec 2026 + 1sd skips New Year's Day and the weekend: due at the end of Mon 4 Jan 2027."""
        expected = oslo(2027, 1, 5)
        assert expected == calendar.add(oslo(2026, 12, 31, 12), Duration.parse("1sd"))

    def test_configured_autumn_break_is_skipped(self) -> None:
        """Fri 25 Sep 2026 + 1sd skips the autumn break 28 Sep-2 Oct: due at the end of Mon 5 Oct."""
        calendar = SchoolCalendar(school_holidays=[AUTUMN_BREAK_2026])
        expected = utc(2026, 10, 5, 22)
        assert expected == calendar.add(oslo(2026, 9, 25, 10), Duration.parse("1sd"))

    def test_start_given_in_utc_counts_from_the_oslo_day(self, calendar: SchoolCalendar) -> None:
        """Tue 21 April 2026 22:30 UTC is already Wednesday in Oslo, so 1sd ends on Thursday."""
        expected = oslo(2026, 4, 24)
        assert expected == calendar.add(utc(2026, 4, 21, 22, 30), Duration.parse("1sd"))


class TestAddClockAndCalendarDurations:
    def test_days_keep_the_wall_clock_across_spring_forward(self, calendar: SchoolCalendar) -> None:
        """Fri 27 March 2026 10:00 + 3d is Mon 30 March 10:00 Oslo, across the DST change on 29 March."""
        expected = utc(2026, 3, 30, 8)
        assert expected == calendar.add(oslo(2026, 3, 27, 10), Duration.parse("3d"))

    def test_weeks_keep_the_wall_clock_across_fall_back(self, calendar: SchoolCalendar) -> None:
        """Mon 19 Oct 2026 10:00 + 1w is Mon 26 Oct 10:00 Oslo, after DST ended on 25 Oct."""
        expected = utc(2026, 10, 26, 9)
        assert expected == calendar.add(oslo(2026, 10, 19, 10), Duration.parse("1w"))

    def test_hours_are_real_hours_across_spring_forward(self, calendar: SchoolCalendar) -> None:
        """29 March 2026 00:30 Oslo + 4h is exactly 4 real hours later (05:30 on the wall clock)."""
        start = oslo(2026, 3, 29, 0, 30)
        actual = calendar.add(start, Duration.parse("4h"))
        assert (timedelta(hours=4), oslo(2026, 3, 29, 5, 30)) == (actual - start, actual)

    @pytest.mark.parametrize(("text", "delta"), [("60s", timedelta(seconds=60)), ("15m", timedelta(minutes=15))])
    def test_seconds_and_minutes_are_exact(self, calendar: SchoolCalendar, text: str, delta: timedelta) -> None:
        """s and m add exactly that much real time, even into the hour that spring forward skips."""
        start = oslo(2026, 3, 29, 1, 59)
        assert start.astimezone(UTC) + delta == calendar.add(start, Duration.parse(text))


class TestSubtract:
    def test_school_day_back_from_the_easter_deadline(self, calendar: SchoolCalendar) -> None:
        """The end of Tue 7 April 2026 minus 1sd is the end of Wed 1 April (2 April 00:00 Oslo)."""
        expected = oslo(2026, 4, 2)
        assert expected == calendar.subtract(oslo(2026, 4, 8), Duration.parse("1sd"))

    def test_a_daytime_instant_counts_back_from_its_own_day(self, calendar: SchoolCalendar) -> None:
        """Tue 21 April 2026 10:00 minus 1sd is the end of Mon 20 April."""
        expected = oslo(2026, 4, 21)
        assert expected == calendar.subtract(oslo(2026, 4, 21, 10), Duration.parse("1sd"))

    def test_counting_back_skips_weekends(self, calendar: SchoolCalendar) -> None:
        """The end of Mon 20 April 2026 minus 2sd is the end of Thu 16 April."""
        expected = oslo(2026, 4, 17)
        assert expected == calendar.subtract(oslo(2026, 4, 21), Duration.parse("2sd"))

    def test_zero_school_days_is_the_instant_itself(self, calendar: SchoolCalendar) -> None:
        """0sd back never moves later: it returns the instant."""
        instant = oslo(2026, 4, 21, 10)
        assert instant == calendar.subtract(instant, Duration.parse("0sd"))

    def test_hours_back_are_real_hours(self, calendar: SchoolCalendar) -> None:
        """29 March 2026 05:30 Oslo minus 4h is 00:30 Oslo (4 real hours across spring forward)."""
        expected = oslo(2026, 3, 29, 0, 30)
        assert expected == calendar.subtract(oslo(2026, 3, 29, 5, 30), Duration.parse("4h"))

    def test_days_back_keep_the_wall_clock(self, calendar: SchoolCalendar) -> None:
        """Mon 30 March 2026 10:00 minus 3d is Fri 27 March 10:00 Oslo."""
        expected = oslo(2026, 3, 27, 10)
        assert expected == calendar.subtract(oslo(2026, 3, 30, 10), Duration.parse("3d"))

    def test_undoes_add_to_the_end_of_the_starting_school_day(self, calendar: SchoolCalendar) -> None:
        """Tue 12 May 2026 10:00 + 5sd - 5sd is the end of Tue 12 May (Ascension Day skipped both ways)."""
        due = calendar.add(oslo(2026, 5, 12, 10), Duration.parse("5sd"))
        assert oslo(2026, 5, 13) == calendar.subtract(due, Duration.parse("5sd"))

    def test_midnight_belongs_to_the_day_before(self, calendar: SchoolCalendar) -> None:
        """add counts from the day starting at 00:00; subtract from the day ending there, so they differ."""
        start = oslo(2026, 4, 21)  # Tue 00:00: for add the starting day is Tuesday
        due = calendar.add(start, Duration.parse("1sd"))  # the end of Wednesday
        assert (oslo(2026, 4, 23), oslo(2026, 4, 22)) == (due, calendar.subtract(due, Duration.parse("1sd")))


class TestSchoolDaysLate:
    def test_not_late_is_zero(self, calendar: SchoolCalendar) -> None:
        """Met on time (or exactly at the deadline) is 0 days late."""
        due = oslo(2026, 4, 8)
        expected = [0, 0]
        assert expected == [calendar.school_days_late(due, at) for at in (oslo(2026, 4, 7, 12), due)]

    def test_met_the_morning_after_an_end_of_day_deadline(self, calendar: SchoolCalendar) -> None:
        """Due at the end of Tue 7 April 2026, met Wed 8 April 09:00: 1 school day late."""
        expected = 1
        assert expected == calendar.school_days_late(oslo(2026, 4, 8), oslo(2026, 4, 8, 9))

    def test_counts_only_school_days(self, calendar: SchoolCalendar) -> None:
        """Due at the end of Wed 1 April 2026, met Wed 8 April 09:00: 7 and 8 April count, Easter does not."""
        expected = 2
        assert expected == calendar.school_days_late(oslo(2026, 4, 2), oslo(2026, 4, 8, 9))

    def test_late_over_a_weekend_only_is_zero(self, calendar: SchoolCalendar) -> None:
        """Due at the end of Fri 17 April 2026, met on Sunday: no school day began in between."""
        expected = 0
        assert expected == calendar.school_days_late(oslo(2026, 4, 18), oslo(2026, 4, 19, 20))

    def test_a_school_day_starting_as_the_duty_is_met_is_not_counted(self, calendar: SchoolCalendar) -> None:
        """Due Tue 21 April 2026 10:00 (an hour deadline), met at Wed 00:00 sharp: 0 school days late."""
        expected = 0
        assert expected == calendar.school_days_late(oslo(2026, 4, 21, 10), oslo(2026, 4, 22))


class TestLocalAndAwareness:
    def test_local_converts_to_oslo(self, calendar: SchoolCalendar) -> None:
        """local() shows an instant in the calendar's time zone."""
        actual = calendar.local(utc(2026, 4, 7, 22))
        assert (oslo(2026, 4, 8), OSLO) == (actual, actual.tzinfo)

    def test_other_time_zone(self) -> None:
        """A calendar in another zone counts school days by that zone's midnight."""
        calendar = SchoolCalendar("UTC")
        expected = utc(2026, 4, 22)
        assert expected == calendar.add(utc(2026, 4, 20, 23), Duration.parse("1sd"))

    @pytest.mark.parametrize("method", ["add", "subtract"])
    def test_naive_input_is_refused(self, calendar: SchoolCalendar, method: str) -> None:
        """add and subtract refuse a naive datetime."""
        naive = datetime(2026, 4, 1, 10)  # noqa: DTZ001  # the naive value under test
        with pytest.raises(ValueError, match="must be a timezone-aware datetime"):
            getattr(calendar, method)(naive, Duration.parse("1sd"))

    def test_naive_input_is_refused_by_local_and_school_days_late(self, calendar: SchoolCalendar) -> None:
        """local and school_days_late refuse a naive datetime too."""
        naive = datetime(2026, 4, 1, 10)  # noqa: DTZ001  # the naive value under test
        with pytest.raises(ValueError, match="instant must be a timezone-aware"):
            calendar.local(naive)
        with pytest.raises(ValueError, match="actual must be a timezone-aware"):
            calendar.school_days_late(oslo(2026, 4, 1), naive)


class TestWorkingDays:
    def test_parses_and_round_trips(self) -> None:
        """'5wd' is five working days, and prints as it was written."""
        assert (Duration(5, "wd"), "5wd") == (Duration.parse("5wd"), str(Duration.parse("5wd")))

    def test_working_days_have_no_length(self) -> None:
        """A working-day duration has no fixed length and says so."""
        with pytest.raises(ValueError, match=r"^5wd is counted in working days and has no fixed length"):
            Duration.parse("5wd").total_seconds()

    @pytest.mark.parametrize("amount", [0, 1, 2, 5, 10])
    def test_count_the_same_open_days_as_school_days(self, amount: int) -> None:
        """On one calendar wd and sd count the same open days, forwards and backwards."""
        calendar = SchoolCalendar(school_holidays=[AUTUMN_BREAK_2026])
        start = oslo(2026, 9, 24, 10)
        forwards = (calendar.add(start, Duration(amount, "sd")), calendar.subtract(start, Duration(amount, "sd")))
        assert forwards == (
            calendar.add(start, Duration(amount, "wd")),
            calendar.subtract(start, Duration(amount, "wd")),
        )

    def test_skip_the_calendars_closed_days(self) -> None:
        """A kindergarten closed on Thursday 3 and Friday 4 September: 1wd from Wednesday 2 ends with Monday 7."""
        calendar = SchoolCalendar(school_holidays=[(date(2026, 9, 3), date(2026, 9, 4))])
        expected = utc(2026, 9, 7, 22)
        assert expected == calendar.add(oslo(2026, 9, 2, 10), Duration(1, "wd"))

    def test_a_calendar_with_no_open_day_names_where_it_is_configured(self) -> None:
        """A closed range of more than a year is refused naming the table it came from."""
        calendar = SchoolCalendar(
            school_holidays=[(date(2026, 1, 1), date(2027, 12, 31))],
            configured_in="the closed days in [kindergartens.solsikken] of config.toml",
        )
        expected = r"no open day within 366 days of 2026-09-02; check the closed days in \[kindergartens\.solsikken\]"
        with pytest.raises(ValueError, match=expected):
            calendar.add(oslo(2026, 9, 2, 10), Duration(1, "wd"))

    def test_the_json_schema_allows_working_days(self) -> None:
        """A pydantic model's JSON Schema of a Duration accepts '5wd'."""
        from pydantic import TypeAdapter

        schema = TypeAdapter(Duration).json_schema()
        assert re.fullmatch(schema["pattern"], "5wd") is not None
