import { Button, SimpleGrid, Stack, Text } from '@mantine/core';
import { formatTime, formatWeekday, offsetsAmong, visitorTime } from '@/lib/datetime';
import { ZoneNote } from '../ZoneNote';

export interface TimeSlot {
  start: string;
  end: string;
}

interface TimeSlotListProps<T extends TimeSlot> {
  slots: T[];
  /** The business's zone: the times are read on its clock. */
  zone: string;
  visitorZone: string;
  selectedStart: string | null;
  onSelect: (slot: T) => void;
  locale?: string;
}

/**
 * A day's free times as real buttons, on the business's clock, with the visitor's own time
 * beside each when it reads differently.
 */
export function TimeSlotList<T extends TimeSlot>({
  slots,
  zone,
  visitorZone,
  selectedStart,
  onSelect,
  locale,
}: TimeSlotListProps<T>) {
  const starts = slots.map((slot) => slot.start);
  const clocksChange = offsetsAmong(starts, zone).length > 1;
  const showsVisitorTime = starts.some((start) => visitorTime(start, zone, visitorZone, locale) !== null);

  return (
    <Stack gap="xs">
      <ZoneNote zone={zone} instants={starts} />
      {showsVisitorTime && (
        <Text size="sm" c="dimmed">
          Below each time: the same moment in your zone, {visitorZone}.
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" role="list" aria-label="Free times">
        {slots.map((slot) => {
          const time = formatTime(slot.start, zone, locale);
          const offset = clocksChange ? ` ${offsetsAmong([slot.start], zone)[0]}` : '';
          const mine = visitorTime(slot.start, zone, visitorZone, locale);
          const mineText = mine ? `${mine.otherDay ? `${formatWeekday(mine.otherDay, locale)} ` : ''}${mine.time} your time` : null;
          const selected = selectedStart === slot.start;
          return (
            <div role="listitem" key={slot.start}>
              <Button
                fullWidth
                h="auto"
                py={6}
                variant={selected ? 'filled' : 'default'}
                aria-pressed={selected}
                onClick={() => onSelect(slot)}
              >
                <Stack gap={0} align="center">
                  <span>
                    {time}
                    {offset}
                  </span>
                  {mineText && (
                    <Text component="span" size="xs" c={selected ? 'white' : 'dimmed'}>
                      {mineText}
                    </Text>
                  )}
                </Stack>
              </Button>
            </div>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
