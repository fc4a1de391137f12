"""The availability engine: which slots one staff member offers on one local calendar day.

Pure computation, no I/O. Working hours are wall-clock minutes of the business's zone;
everything else is absolute time. Candidate starts step through each working interval in
absolute time, so a daylight-saving change can neither produce a start at a local time that
does not exist (spring forward) nor two slots that overlap (fall back).
"""

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Interval:
    """A working interval of a local day in minutes after midnight; 1440 is 24:00."""

    start_minute: int
    end_minute: int


class Busy(NamedTuple):
    """An existing appointment's blocked time (buffers included), absolute. (Tuples: a
    month's answer makes hundreds of these and of slots, at a third of a dataclass's cost.)"""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class SlotRules:
    duration_minutes: int
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    step_minutes: int | None = None  # None: one slot per service duration
    min_notice_minutes: int = 60
    horizon_days: int = 365


class Slot(NamedTuple):
    start: datetime  # aware, in the business's zone: isoformat() shows the local offset
    end: datetime


def local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The absolute instant of a wall-clock minute of `day` (1440 = next day's midnight).

    A wall-clock time inside a spring-forward gap does not exist; it maps to the instant
    the clock jumps to (02:30 on a US spring-forward day → 03:00 local).
    """
    if minute >= MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), minute - MINUTES_PER_DAY
    hour, minute = divmod(minute, 60)
    wall = datetime.combine(day, time(hour, minute), tzinfo=zone)
    instant = wall.astimezone(UTC)
    back = instant.astimezone(zone)  # another wall-clock time when `wall` does not exist
    if back.minute != minute or back.hour != hour or back.date() != day:
        instant = _gap_end(wall, zone)
    return instant


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Absolute instants of local midnight and the next local midnight."""
    return local_instant(day, 0, zone), local_instant(day, MINUTES_PER_DAY, zone)


def blocked_range(start: datetime, rules: SlotRules) -> tuple[datetime, datetime]:
    """What an appointment starting at `start` occupies: [start - before, end + after)."""
    return (
        start - timedelta(minutes=rules.buffer_before_minutes),
        start + timedelta(minutes=rules.duration_minutes + rules.buffer_after_minutes),
    )


class BusyTimes:
    """Blocked times indexed once for many overlap checks: their starts in order, and the
    latest end among the ranges up to each. A month's answer builds one per staff member
    and asks it for every candidate of every day (no per-day scan of the appointments)."""

    __slots__ = ("_max_end_before", "_starts")

    def __init__(self, busy: Iterable[Busy]) -> None:
        ordered = sorted(busy, key=_start)  # aware datetimes compare as instants
        self._starts = list(map(_start, ordered))
        # Ends of a prefix only grow if ranges are disjoint; they may not be, so keep the max.
        self._max_end_before = list(accumulate(map(_end, ordered), max))

    def blocked_until(self, block_start: datetime, block_end: datetime) -> datetime | None:
        """None when no range overlaps [block_start, block_end) (half-open: touching is
        fine), otherwise the latest end among the overlapping ranges: no block starting
        before it is free. Ranges starting before the block's end are candidates; any of
        them ending after the block's start overlaps."""
        count = bisect_left(self._starts, block_end)
        if count == 0:
            return None
        latest_end = self._max_end_before[count - 1]
        return latest_end if latest_end > block_start else None


def day_slots(
    day: date,
    zone: ZoneInfo,
    intervals: Sequence[Interval],
    busy: Sequence[Busy] | BusyTimes,
    rules: SlotRules,
    now: datetime,
    *,
    limit: int | None = None,
) -> list[Slot]:
    """The day's free slots in order; the first `limit` of them when given (whether a day
    has any at all is `limit=1`)."""
    duration = timedelta(minutes=rules.duration_minutes)
    step = timedelta(minutes=rules.step_minutes or rules.duration_minutes)
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    latest = now + timedelta(days=rules.horizon_days)
    before = timedelta(minutes=rules.buffer_before_minutes)
    until_block_end = timedelta(minutes=rules.duration_minutes + rules.buffer_after_minutes)
    hours = [
        (local_instant(day, i.start_minute, zone), local_instant(day, i.end_minute, zone))
        for i in sorted(intervals, key=lambda i: i.start_minute)
    ]
    if not hours:
        return []
    if not isinstance(busy, BusyTimes):
        # Every slot's blocked time lies in [first opening - before, last closing + after):
        # only appointments overlapping that can take a slot.
        reach_start = hours[0][0] - before
        reach_end = max(closes for _, closes in hours) - duration + until_block_end
        busy = BusyTimes(b for b in busy if b.end > reach_start and b.start < reach_end)
    blocked_until = busy.blocked_until

    slots: list[Slot] = []
    for opens, closes in hours:
        last_start = min(closes - duration, latest)
        # Starts step from the opening: skip those before the notice, then past each
        # appointment in the way at once, to the first step whose blocked time it leaves free.
        start = opens if opens >= earliest else opens - ((opens - earliest) // step) * step
        while start <= last_start:
            block_start = start - before
            taken_until = blocked_until(block_start, start + until_block_end)
            if taken_until is None:
                slots.append(Slot(start.astimezone(zone), (start + duration).astimezone(zone)))
                if len(slots) == limit:
                    return slots
                start += step
            else:
                start += -((block_start - taken_until) // step) * step
    return slots


def is_offered(
    start: datetime,
    zone: ZoneInfo,
    intervals: Sequence[Interval],
    rules: SlotRules,
    now: datetime,
) -> bool:
    """Whether `day_slots` of the start's local day, ignoring appointments, has this start.

    Answers in one pass over the day's intervals instead of listing the day's slots.
    """
    start = start.astimezone(UTC)  # differences of aware datetimes are absolute only across zones
    earliest = now + timedelta(minutes=rules.min_notice_minutes)
    latest = now + timedelta(days=rules.horizon_days)
    if not earliest <= start <= latest:
        return False
    day = start.astimezone(zone).date()
    duration = timedelta(minutes=rules.duration_minutes)
    step = timedelta(minutes=rules.step_minutes or rules.duration_minutes)
    for interval in intervals:
        opens = local_instant(day, interval.start_minute, zone)
        closes = local_instant(day, interval.end_minute, zone)
        if opens <= start and start + duration <= closes and (start - opens) % step == timedelta():
            return True
    return False


_start, _end = attrgetter("start"), attrgetter("end")


def _gap_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first valid instant after a non-existent wall-clock time."""
    # In a gap, fold=1 reads the wall time with the offset after the change, naming an
    # instant just before the jump; walk forward to the first minute that has that offset.
    new_offset = wall.replace(fold=1).utcoffset()
    probe = wall.replace(fold=1).astimezone(UTC)
    while probe.astimezone(zone).utcoffset() != new_offset:
        probe += timedelta(minutes=1)
    return probe
