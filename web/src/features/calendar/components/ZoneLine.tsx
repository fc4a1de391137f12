import { Text } from '@mantine/core';
import type { CalendarDay } from '@/lib/datetime';
import { describeClockChange, formatLongDay, zoneOffsetLabel } from '../utils/format';
import { clockChangeOn, dayBounds } from '../utils/zoned-time';

interface ZoneLineProps {
  zone: string;
  /** The days in view: a clock change among them is spelled out. */
  days: CalendarDay[];
}

/** "Times in Europe/Berlin (GMT+1)", and how the clocks change when they do in view. */
export function ZoneLine({ zone, days }: ZoneLineProps) {
  const first = days[0];
  const offset = zoneOffsetLabel(zone, first ? dayBounds(first, zone).from : new Date());
  const changes = days.filter((day) => clockChangeOn(day, zone) !== null);
  return (
    <Text size="sm" c="dimmed">
      Times in <strong>{zone}</strong> ({offset})
      {changes.map((day) => (
        <span key={day} data-clock-change={day}>
          {' · '}
          {days.length > 1 ? `${formatLongDay(day)}: ` : ''}
          {describeClockChange(day, zone)}
        </span>
      ))}
    </Text>
  );
}
