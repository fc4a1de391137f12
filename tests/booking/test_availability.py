import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apptremind.booking.availability import (
    Busy,
    Interval,
    SlotRules,
    blocked_range,
    day_slots,
    is_offered,
    local_day_bounds,
    local_instant,
)

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = SlotRules(duration_minutes=60, min_notice_minutes=0)


def starts(slots) -> list[str]:
    return [slot.start.isoformat() for slot in slots]


def hhmm(h: int, m: int = 0) -> int:
    return h * 60 + m


def test_spring_forward_offers_no_start_at_a_local_time_that_does_not_exist():
    slots = day_slots(date(2026, 3, 8), LOS_ANGELES, [Interval(0, hhmm(6))], [], HOUR, LONG_AGO)

    assert starts(slots) == [
        "2026-03-08T00:00:00-08:00",
        "2026-03-08T01:00:00-08:00",
        "2026-03-08T03:00:00-07:00",
        "2026-03-08T04:00:00-07:00",
        "2026-03-08T05:00:00-07:00",
    ]


def test_spring_forward_in_europe_skips_the_missing_hour():
    slots = day_slots(date(2026, 3, 29), BERLIN, [Interval(hhmm(1), hhmm(5))], [], HOUR, LONG_AGO)

    assert starts(slots) == [
        "2026-03-29T01:00:00+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-03-29T04:00:00+02:00",
    ]


def test_a_working_interval_starting_inside_the_gap_opens_when_the_clock_jumps():
    assert local_instant(date(2026, 3, 8), hhmm(2, 30), LOS_ANGELES) == datetime(
        2026, 3, 8, 10, 0, tzinfo=UTC
    )


def test_fall_back_offers_the_repeated_hour_twice_without_overlap():
    slots = day_slots(date(2026, 11, 1), LOS_ANGELES, [Interval(0, hhmm(4))], [], HOUR, LONG_AGO)

    assert starts(slots) == [
        "2026-11-01T00:00:00-07:00",
        "2026-11-01T01:00:00-07:00",
        "2026-11-01T01:00:00-08:00",
        "2026-11-01T02:00:00-08:00",
        "2026-11-01T03:00:00-08:00",
    ]
    instants = [slot.start.astimezone(UTC) for slot in slots]
    assert len(set(instants)) == len(instants)
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert earlier.end <= later.start


def test_a_business_far_from_utc_gets_its_own_offset_and_date():
    summer = day_slots(
        date(2026, 1, 15), AUCKLAND, [Interval(hhmm(9), hhmm(11))], [], HOUR, LONG_AGO
    )
    winter = day_slots(
        date(2026, 7, 15), AUCKLAND, [Interval(hhmm(9), hhmm(11))], [], HOUR, LONG_AGO
    )

    assert starts(summer) == ["2026-01-15T09:00:00+13:00", "2026-01-15T10:00:00+13:00"]
    assert starts(winter) == ["2026-07-15T09:00:00+12:00", "2026-07-15T10:00:00+12:00"]
    assert summer[0].start.astimezone(UTC).date() == date(2026, 1, 14)


def test_auckland_dst_changes_keep_slots_on_real_instants():
    fall_back = day_slots(
        date(2026, 4, 5), AUCKLAND, [Interval(hhmm(1), hhmm(4))], [], HOUR, LONG_AGO
    )
    spring = day_slots(
        date(2026, 9, 27), AUCKLAND, [Interval(hhmm(1), hhmm(5))], [], HOUR, LONG_AGO
    )

    assert starts(fall_back) == [
        "2026-04-05T01:00:00+13:00",
        "2026-04-05T02:00:00+13:00",
        "2026-04-05T02:00:00+12:00",
        "2026-04-05T03:00:00+12:00",
    ]
    assert starts(spring) == [
        "2026-09-27T01:00:00+12:00",
        "2026-09-27T03:00:00+13:00",
        "2026-09-27T04:00:00+13:00",
    ]


def test_an_interval_ending_at_24_00_offers_a_slot_ending_at_midnight():
    slots = day_slots(date(2026, 6, 1), BERLIN, [Interval(hhmm(22), 1440)], [], HOUR, LONG_AGO)

    assert [(s.start.isoformat(), s.end.isoformat()) for s in slots] == [
        ("2026-06-01T22:00:00+02:00", "2026-06-01T23:00:00+02:00"),
        ("2026-06-01T23:00:00+02:00", "2026-06-02T00:00:00+02:00"),
    ]


def test_a_lunch_break_offers_nothing_over_lunch():
    week_day = [Interval(hhmm(9), hhmm(12)), Interval(hhmm(13), hhmm(17))]
    slots = day_slots(date(2026, 6, 1), BERLIN, week_day, [], HOUR, LONG_AGO)

    local = [s.start.strftime("%H:%M") for s in slots]
    assert local == ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


def test_the_whole_service_must_fit_in_the_interval():
    rules = SlotRules(duration_minutes=45, min_notice_minutes=0)
    slots = day_slots(date(2026, 6, 1), BERLIN, [Interval(hhmm(9), hhmm(10))], [], rules, LONG_AGO)
    assert [s.start.strftime("%H:%M") for s in slots] == ["09:00"]


def test_a_slot_interval_shorter_than_the_service_offers_staggered_starts():
    rules = SlotRules(duration_minutes=45, step_minutes=15, min_notice_minutes=0)
    slots = day_slots(date(2026, 6, 1), BERLIN, [Interval(hhmm(9), hhmm(10))], [], rules, LONG_AGO)
    assert [s.start.strftime("%H:%M") for s in slots] == ["09:00", "09:15"]


def berlin(day: date, minute: int) -> datetime:
    return local_instant(day, minute, BERLIN)


def test_buffers_keep_a_gap_around_existing_appointments():
    day = date(2026, 6, 1)
    busy = [Busy(berlin(day, hhmm(10)), berlin(day, hhmm(11)))]
    hours = [Interval(hhmm(8), hhmm(13))]

    plain = day_slots(day, BERLIN, hours, busy, HOUR, LONG_AGO)
    after = SlotRules(duration_minutes=60, buffer_after_minutes=15, min_notice_minutes=0)
    before = SlotRules(duration_minutes=60, buffer_before_minutes=15, min_notice_minutes=0)

    assert [s.start.strftime("%H:%M") for s in plain] == ["08:00", "09:00", "11:00", "12:00"]
    with_after = day_slots(day, BERLIN, hours, busy, after, LONG_AGO)
    assert [s.start.strftime("%H:%M") for s in with_after] == ["08:00", "11:00", "12:00"]
    with_before = day_slots(day, BERLIN, hours, busy, before, LONG_AGO)
    assert [s.start.strftime("%H:%M") for s in with_before] == ["08:00", "09:00", "12:00"]


def test_blocked_range_covers_buffers_on_both_sides():
    start = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    rules = SlotRules(duration_minutes=30, buffer_before_minutes=10, buffer_after_minutes=5)
    assert blocked_range(start, rules) == (
        datetime(2026, 6, 1, 7, 50, tzinfo=UTC),
        datetime(2026, 6, 1, 8, 35, tzinfo=UTC),
    )


def test_minimum_notice_and_horizon_bound_the_offer():
    day = date(2026, 6, 1)
    now = berlin(day, hhmm(9, 30))
    rules = SlotRules(duration_minutes=60, min_notice_minutes=60)
    slots = day_slots(day, BERLIN, [Interval(hhmm(9), hhmm(13))], [], rules, now)
    assert [s.start.strftime("%H:%M") for s in slots] == ["11:00", "12:00"]

    far = date(2027, 6, 10)
    assert day_slots(far, BERLIN, [Interval(hhmm(9), hhmm(13))], [], rules, now) == []
    horizon = SlotRules(duration_minutes=60, min_notice_minutes=0, horizon_days=400)
    assert day_slots(far, BERLIN, [Interval(hhmm(9), hhmm(10))], [], horizon, now)


def test_day_bounds_of_a_fall_back_day_span_25_hours():
    start, end = local_day_bounds(date(2026, 11, 1), LOS_ANGELES)
    assert end - start == timedelta(hours=25)


def test_random_days_and_zones_always_give_real_disjoint_slots_inside_the_hours():
    rng = random.Random(20261124)
    zones = [LOS_ANGELES, BERLIN, AUCKLAND, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns")]
    days_with_slots = 0
    for _ in range(400):
        zone = rng.choice(zones)
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        first_start = rng.randrange(0, 1200, 15)
        first_end = rng.randrange(first_start + 15, 1441, 15) if first_start < 1425 else 1440
        intervals = [Interval(first_start, first_end)]
        if first_end <= 1380:
            intervals.append(
                Interval(first_end + 30, min(1440, first_end + 30 + rng.randrange(15, 600, 15)))
            )
        rules = SlotRules(
            duration_minutes=rng.choice([15, 30, 45, 60, 90]),
            step_minutes=rng.choice([None, 15, 30]),
            buffer_after_minutes=rng.choice([0, 10]),
            min_notice_minutes=0,
        )
        bounds = [
            (local_instant(day, i.start_minute, zone), local_instant(day, i.end_minute, zone))
            for i in intervals
        ]
        slots = day_slots(day, zone, intervals, [], rules, LONG_AGO)
        opens, closes = local_day_bounds(day, zone)
        longest = max(i.end_minute - i.start_minute for i in intervals)
        if closes - opens == timedelta(hours=24) and longest >= (
            rules.duration_minutes + rules.buffer_after_minutes
        ):
            assert slots, (day, zone, intervals, rules)  # room for the service: it is offered
        days_with_slots += bool(slots)

        for slot in slots:
            assert slot.start.tzinfo is not None
            assert slot.end.tzinfo is not None
            assert slot.end - slot.start == timedelta(minutes=rules.duration_minutes)
            wall = slot.start.replace(tzinfo=None)
            assert (
                wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
                == wall
            )
            assert any(lo <= slot.start and slot.end <= hi for lo, hi in bounds)
        ordered = sorted(slots, key=lambda s: s.start)
        assert ordered == slots
        for earlier, later in zip(slots, slots[1:], strict=False):
            assert earlier.start < later.start
            if rules.step_minutes is None:
                assert earlier.end <= later.start
    assert days_with_slots > 300


def test_is_offered_agrees_with_the_day_slots_on_random_days_zones_and_rules():
    rng = random.Random(20261125)
    zones = [LOS_ANGELES, BERLIN, AUCKLAND, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns")]
    dst_days = [date(2026, 3, 8), date(2026, 11, 1), date(2026, 3, 29), date(2026, 4, 5)]
    answers = {True: 0, False: 0}
    for _ in range(300):
        zone = rng.choice(zones)
        day = rng.choice([*dst_days, date(2026, 1, 1) + timedelta(days=rng.randrange(365))])
        lunch = rng.randrange(600, 900, 15)
        intervals = [Interval(rng.randrange(0, 600, 15), lunch), Interval(lunch + 60, 1440)]
        rules = SlotRules(
            duration_minutes=rng.choice([15, 30, 45, 60, 90]),
            step_minutes=rng.choice([None, 15, 20, 30]),
            buffer_before_minutes=rng.choice([0, 5]),
            min_notice_minutes=rng.choice([0, 60]),
            horizon_days=rng.choice([1, 365]),
        )
        opens, closes = local_day_bounds(day, zone)
        now = opens + timedelta(minutes=rng.randrange(-1440, 600, 5))
        # In UTC: a zone's time in a repeated hour never equals another zone's (PEP 495).
        slots = day_slots(day, zone, intervals, [], rules, now)
        offered = {slot.start.astimezone(UTC) for slot in slots}

        candidate = opens
        while candidate < closes:
            as_given = candidate.astimezone(rng.choice([zone, UTC]))
            answer = is_offered(as_given, zone, intervals, rules, now)
            assert answer == (candidate in offered)
            answers[answer] += 1
            candidate += timedelta(minutes=5)
    # Both answers were put to the test, many times.
    assert min(answers.values()) > 10_000, answers


def test_busy_times_take_exactly_the_slots_whose_blocked_time_they_overlap():
    rng = random.Random(20261126)
    outcomes = {"some taken, some free": 0, "all taken": 0}
    for _ in range(300):
        zone = rng.choice([BERLIN, LOS_ANGELES, AUCKLAND])
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        intervals = [Interval(rng.randrange(0, 600, 15), rng.randrange(660, 1441, 15))]
        rules = SlotRules(
            duration_minutes=rng.choice([15, 30, 60]),
            step_minutes=rng.choice([None, 15]),
            buffer_before_minutes=rng.choice([0, 10, 240]),
            buffer_after_minutes=rng.choice([0, 20, 240]),
            min_notice_minutes=0,
        )
        midnight, _ = local_day_bounds(day, zone)
        busy = []
        for _ in range(rng.randrange(0, 12)):  # some on the days before and after
            start = midnight + timedelta(minutes=rng.randrange(-1800, 3200, 5))
            busy.append(Busy(start, start + timedelta(minutes=rng.randrange(5, 300, 5))))

        free = day_slots(day, zone, intervals, busy, rules, LONG_AGO)

        all_slots = day_slots(day, zone, intervals, [], rules, LONG_AGO)
        assert all_slots
        assert free == [slot for slot in all_slots if not overlaps(slot.start, rules, busy)]
        outcomes["some taken, some free"] += 0 < len(free) < len(all_slots)
        outcomes["all taken"] += not free
    assert min(outcomes.values()) > 10, outcomes


def overlaps(start: datetime, rules: SlotRules, busy: list[Busy]) -> bool:
    block_start, block_end = blocked_range(start, rules)
    return any(b.start < block_end and block_start < b.end for b in busy)
