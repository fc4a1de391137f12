"""Calendar dates for tests, derived from today: a literal date turns a test into a time bomb."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def next_spring_forward(zone: ZoneInfo, not_before: date) -> date:
    """The first local day on or after `not_before` whose clocks jump forward."""
    day = not_before
    while True:
        midnight = datetime.combine(day, time(), tzinfo=zone).utcoffset()
        next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).utcoffset()
        assert midnight is not None
        assert next_midnight is not None
        if next_midnight > midnight:
            return day
        day += timedelta(days=1)
        assert day < not_before + timedelta(days=400), f"{zone} never springs forward"
