import { Button, Group, Stack, Text } from '@mantine/core';
import { DatePicker } from '@mantine/dates';
import type { Availability } from '@/lib/api';
import { addDays, firstOfMonth, formatDay, todayInZone, type CalendarDay } from '@/lib/datetime';
import { ErrorState } from '../feedback/states';

interface AvailabilityCalendarProps {
  timezone: string;
  horizonDays: number;
  month: CalendarDay;
  onMonthChange: (month: CalendarDay) => void;
  selectedDay: CalendarDay | null;
  onSelectDay: (day: CalendarDay) => void;
  availability: Availability | undefined;
  isLoading: boolean;
  error: unknown;
  onRetry: () => void;
}

/**
 * Mantine's month calendar with only bookable days enabled. Days are plain calendar days in
 * the business's zone, so the visitor's own zone never shifts them.
 */
export function AvailabilityCalendar({
  timezone,
  horizonDays,
  month,
  onMonthChange,
  selectedDay,
  onSelectDay,
  availability,
  isLoading,
  error,
  onRetry,
}: AvailabilityCalendarProps) {
  const today = todayInZone(timezone);
  const bookable = new Set(availability?.days.filter((day) => day.available).map((day) => day.date));
  // Data for another month (kept while the visible one loads) must not mark this one's days.
  const isCurrent = availability?.from === month;
  const nextFree = isCurrent ? availability?.next_available_date ?? null : null;

  return (
    <Stack gap="sm">
      <DatePicker
        aria-label="Choose a day"
        value={selectedDay}
        onChange={(day) => day && onSelectDay(day)}
        date={month}
        onDateChange={(date) => onMonthChange(firstOfMonth(date))}
        minDate={firstOfMonth(today)}
        maxDate={addDays(today, horizonDays)}
        maxLevel="month"
        excludeDate={(day) => !isCurrent || !bookable.has(day)}
        // Free days stand out by weight and background, not only by being enabled.
        getDayProps={(day) => ({
          'aria-label': `${formatDay(day)}${bookable.has(day) ? ', free times' : ', no free times'}`,
          className: bookable.has(day) ? 'free-day' : undefined,
        })}
        // Mantine paints weekends red by default, which reads as "closed" on a booking page.
        weekendDays={[]}
        size="md"
        ariaLabels={{ previousMonth: 'Previous month', nextMonth: 'Next month' }}
      />
      {error ? (
        <ErrorState title="Free days could not be loaded" error={error} onRetry={onRetry} />
      ) : isLoading || !isCurrent ? (
        <Text size="sm" c="dimmed" role="status">
          Looking for free days…
        </Text>
      ) : bookable.size === 0 ? (
        <Group gap="sm" role="status">
          {nextFree ? (
            <>
              <Text size="sm">No free times this month — next free day is {formatDay(nextFree)}.</Text>
              <Button
                size="xs"
                variant="light"
                onClick={() => {
                  onMonthChange(firstOfMonth(nextFree));
                  onSelectDay(nextFree);
                }}
              >
                Go to {formatDay(nextFree)}
              </Button>
            </>
          ) : (
            <Text size="sm">No free times this month, and none later either. Please contact the business.</Text>
          )}
        </Group>
      ) : null}
    </Stack>
  );
}
