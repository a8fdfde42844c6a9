from datetime import date

from masarat.deadlines.calendar import calendar_from_holidays, working_calendar

CALENDAR = calendar_from_holidays([(1, 1, None), (11, 18, None), (3, 20, 2026)])


def test_weekends_do_not_count():
    friday = date(2026, 11, 27)
    assert CALENDAR.add_working_days(friday, 1) == date(2026, 11, 30)
    assert CALENDAR.add_working_days(friday, 5) == date(2026, 12, 4)


def test_recurring_and_dated_holidays_do_not_count():
    assert CALENDAR.add_working_days(date(2026, 11, 17), 1) == date(2026, 11, 19)
    assert CALENDAR.add_working_days(date(2027, 11, 17), 1) == date(2027, 11, 19)
    assert CALENDAR.add_working_days(date(2026, 3, 19), 1) == date(2026, 3, 23)
    assert CALENDAR.add_working_days(date(2027, 3, 18), 1) == date(2027, 3, 19)


def test_zero_days_moves_to_the_next_working_day_only_if_needed():
    assert CALENDAR.add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 30)
    assert CALENDAR.add_working_days(date(2026, 11, 30), 0) == date(2026, 11, 30)


def test_working_days_between_is_the_inverse_of_adding():
    start = date(2026, 12, 24)
    for days in range(0, 30):
        end = CALENDAR.add_working_days(start, days)
        if days:
            assert CALENDAR.working_days_between(start, end) == days


def test_the_database_holds_the_fixed_national_holidays(db):
    calendar = working_calendar()
    assert not calendar.is_working_day(date(2030, 7, 30))  # Fête du Trône, a Tuesday
    assert calendar.is_working_day(date(2030, 7, 31))
