"""Deadline arithmetic: elapsed hours across summer time, Danish working days around Easter and
Christmas, months at month ends and in leap years, and how a deadline is shown."""

from datetime import UTC, datetime

import pytest

from handbook.dates.deadlines import COPENHAGEN, DurationError, due_at, format_moment, is_working_day, parse_duration, remaining


def cph(*args) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # 24 timer are 24 real hours, also across the switch to summer time (29 March 2026) ...
        (cph(2026, 3, 28, 15, 40), "24 timer", cph(2026, 3, 29, 16, 40)),
        # ... and back to winter time (25 October 2026)
        (cph(2026, 10, 24, 15, 40), "24 timer", cph(2026, 10, 25, 14, 40)),
        (cph(2026, 11, 23, 9, 0), "1 time", cph(2026, 11, 23, 10, 0)),
        # calendar days keep the wall-clock time across the switch
        (cph(2026, 3, 28, 15, 40), "1 dag", cph(2026, 3, 29, 15, 40)),
        (cph(2026, 12, 24, 12, 0), "2 uger", cph(2027, 1, 7, 12, 0)),
    ],
)
def test_hours_are_elapsed_time_and_days_keep_the_clock(start, within, expected):
    due = due_at(start, within)
    assert due.isoformat() == expected.isoformat()


def test_24_hours_across_summer_time_is_86400_real_seconds():
    start = cph(2026, 3, 28, 15, 40)
    # (aware datetimes with the same tzinfo subtract as wall-clock times in Python, so compare in UTC)
    assert (due_at(start, "24 timer").astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 24 * 3600
    assert due_at(start, "24 timer").utcoffset().total_seconds() == 2 * 3600


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        # Wednesday before Easter 2026, 15:40: Skærtorsdag, Langfredag, the weekend and 2. påskedag are skipped
        (cph(2026, 4, 1, 15, 40), "1 hverdag", cph(2026, 4, 7, 15, 40)),
        (cph(2026, 4, 1, 15, 40), "6 hverdage", cph(2026, 4, 14, 15, 40)),
        # Friday counts from Monday
        (cph(2026, 11, 20, 10, 0), "1 hverdag", cph(2026, 11, 23, 10, 0)),
        # received on a Saturday: the first working day is Monday
        (cph(2026, 11, 21, 10, 0), "1 hverdag", cph(2026, 11, 23, 10, 0)),
        # Christmas: 25 and 26 December and New Year's Day are holidays; 24 and 31 December are working days in law
        (cph(2026, 12, 23, 9, 0), "3 hverdage", cph(2026, 12, 29, 9, 0)),
        (cph(2026, 12, 30, 9, 0), "2 hverdage", cph(2027, 1, 4, 9, 0)),
        # Kristi himmelfart (14 May 2026) and 2. pinsedag (25 May 2026)
        (cph(2026, 5, 13, 9, 0), "1 hverdag", cph(2026, 5, 15, 9, 0)),
        (cph(2026, 5, 22, 9, 0), "1 hverdag", cph(2026, 5, 26, 9, 0)),
    ],
)
def test_working_days_skip_weekends_and_danish_public_holidays(start, within, expected):
    assert due_at(start, within) == expected


def test_store_bededag_is_no_longer_a_holiday_but_easter_monday_is():
    assert is_working_day(datetime(2026, 5, 1).date())  # 4. fredag efter påske 2026: abolished from 2024
    assert not is_working_day(datetime(2026, 4, 6).date())
    assert not is_working_day(datetime(2027, 3, 29).date())  # 2. påskedag 2027


@pytest.mark.parametrize(
    ("start", "within", "expected"),
    [
        (cph(2026, 1, 31, 12, 0), "1 måned", cph(2026, 2, 28, 12, 0)),
        (cph(2028, 1, 31, 12, 0), "1 måned", cph(2028, 2, 29, 12, 0)),  # leap year
        (cph(2026, 8, 31, 12, 0), "3 måneder", cph(2026, 11, 30, 12, 0)),
        (cph(2026, 10, 15, 8, 0), "4 måneder", cph(2027, 2, 15, 8, 0)),  # over New Year, and from summer to winter time
        (cph(2028, 2, 29, 12, 0), "12 måneder", cph(2029, 2, 28, 12, 0)),
    ],
)
def test_months_land_on_the_same_day_or_the_last_day_of_the_month(start, within, expected):
    assert due_at(start, within) == expected


def test_naive_times_are_danish_time():
    assert due_at(datetime(2026, 7, 1, 12, 0), "24 timer").isoformat() == "2026-07-02T12:00:00+02:00"
    assert due_at(datetime(2026, 1, 5, 12, 0), "2 dage").isoformat() == "2026-01-07T12:00:00+01:00"


def test_a_wall_clock_time_missing_on_the_day_of_the_spring_switch_moves_forward():
    assert due_at(cph(2026, 3, 28, 2, 30), "1 dag").isoformat() == "2026-03-29T03:30:00+02:00"


@pytest.mark.parametrize("text", ["24", "tre dage", "2 årtier", "", "3 måneder og 2 måneder", "1 dag og", "-1 dage"])
def test_unreadable_durations_get_a_danish_message(text):
    with pytest.raises(DurationError, match="Ukendt frist"):
        parse_duration(text)


def test_remaining_time_is_shown_in_words_and_colours():
    now = cph(2026, 11, 23, 12, 0)
    assert remaining(cph(2026, 11, 26, 12, 0), now).text == "om 3 dage"
    assert remaining(cph(2026, 11, 26, 12, 0), now).colour == "green"
    assert (remaining(cph(2026, 11, 23, 17, 0), now).text, remaining(cph(2026, 11, 23, 17, 0), now).colour) == ("om 5 timer", "orange")
    late = remaining(cph(2026, 11, 21, 11, 0), now)
    assert (late.text, late.overdue, late.colour) == ("overskredet med 2 dage", True, "red")
    assert format_moment(cph(2026, 4, 2, 15, 40)) == "tors. 2. april 2026 kl. 15.40"


def test_remaining_time_counts_real_hours_across_the_autumn_switch():
    before_switch = cph(2026, 10, 24, 12, 0)  # summer time
    due = due_at(before_switch, "24 timer")  # 11:00 winter time on the 25th
    assert remaining(due, cph(2026, 10, 25, 10, 30)).text == "om 30 minutter"
