import { Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { browserTimeZone, firstOfMonth, formatDay, groupByDayInZone, todayInZone, type CalendarDay } from '@/lib/datetime';
import { EmptyState, ErrorState, LoadingState } from '../feedback/states';
import { AvailabilityCalendar } from './AvailabilityCalendar';
import { useDaySlots, useMonthAvailability, type SlotSource } from './queries';
import { TimeSlotList } from './TimeSlotList';

export interface PickedSlot {
  start: string;
  end: string;
  staff_ids?: string[];
}

interface SlotPickerProps {
  /** Where the times come from, e.g. `publicSlotSource(serviceId, staffId)`. */
  source: SlotSource;
  timezone: string;
  horizonDays: number;
  selectedStart: string | null;
  onSelect: (slot: PickedSlot | null) => void;
  /** Heading level of the "day" and "time" headings, to keep the page's outline in order. */
  headingOrder?: 2 | 3;
}

/** Month calendar of bookable days, then the chosen day's free times. */
export function SlotPicker({
  source,
  timezone,
  horizonDays,
  selectedStart,
  onSelect,
  headingOrder = 2,
}: SlotPickerProps) {
  const [month, setMonth] = useState<CalendarDay>(() => firstOfMonth(todayInZone(timezone)));
  const [day, setDay] = useState<CalendarDay | null>(null);
  const availability = useMonthAvailability(source, month);
  const slots = useDaySlots(source, day);
  const daySlots = day && slots.data ? (groupByDayInZone(slots.data.slots, timezone).find((group) => group.day === day)?.slots ?? []) : [];

  return (
    <Stack gap="lg">
      <section aria-labelledby="pick-day">
        <Title order={headingOrder} id="pick-day" size="h3" mb="sm">
          Choose a day
        </Title>
        <AvailabilityCalendar
          timezone={timezone}
          horizonDays={horizonDays}
          month={month}
          onMonthChange={setMonth}
          selectedDay={day}
          onSelectDay={(picked) => {
            setDay(picked);
            onSelect(null);
          }}
          availability={availability.data}
          isLoading={availability.isPending || availability.isPlaceholderData}
          error={availability.error}
          onRetry={() => void availability.refetch()}
        />
      </section>

      {day && (
        <section aria-labelledby="pick-time">
          <Title order={headingOrder} id="pick-time" size="h3" mb="sm">
            Free times on {formatDay(day)}
          </Title>
          {slots.isPending ? (
            <LoadingState label="Loading free times…" />
          ) : slots.error ? (
            <ErrorState title="Free times could not be loaded" error={slots.error} onRetry={() => void slots.refetch()} />
          ) : daySlots.length === 0 ? (
            <EmptyState title="No free times left on this day">Please choose another day.</EmptyState>
          ) : (
            <TimeSlotList
              slots={daySlots}
              zone={timezone}
              visitorZone={browserTimeZone()}
              selectedStart={selectedStart}
              onSelect={onSelect}
            />
          )}
        </section>
      )}
    </Stack>
  );
}
