import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useState, type FormEvent } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { describeError } from '@/lib/api';
import { addDays, formatDay, todayInZone, type CalendarDay } from '@/lib/datetime';
import { useDateOverrides, useDeleteDateOverride, useSetDateOverrides, type DateOverride } from '../api/staff';
import { tidyMessage } from '../utils/form-errors';
import { formatIntervals, toClockIntervals, validateDay, type Interval } from '../utils/hours';
import { SaveProblem, SavedNote } from './Feedback';
import { DayIntervals } from './WeeklyHoursEditor';

/** How far ahead the list of dates reaches: the longest booking horizon the API allows. */
const LIST_DAYS = 730;
/** Dates one save may cover: a long holiday, not a year. */
export const MAX_RANGE_DAYS = 62;

type Kind = 'off' | 'hours';
/** Mantine's placeholder grey is too faint to read (2:1); the dimmed text colour is not. */
const PLACEHOLDER = { placeholder: { color: 'var(--mantine-color-dimmed)' } };
type Range = [CalendarDay | null, CalendarDay | null];

export function daysOf([first, last]: Range): CalendarDay[] {
  if (!first) return [];
  const end = last ?? first;
  const days: CalendarDay[] = [];
  for (let day = first; day <= end && days.length <= MAX_RANGE_DAYS; day = addDays(day, 1)) days.push(day);
  return days;
}

/** Days off (holidays, sick days) and special hours on given dates, which win over the week. */
export function DateOverrides({ staffId, timezone }: { staffId: string; timezone: string | undefined }) {
  const zone = timezone ?? 'UTC';
  const today = todayInZone(zone);
  const overrides = useDateOverrides(staffId, today, addDays(today, LIST_DAYS));
  const [range, setRange] = useState<Range>([null, null]);
  const [kind, setKind] = useState<Kind>('off');
  const [hours, setHours] = useState<Interval[]>([{ start: '10:00', end: '14:00' }]);
  const [attempted, setAttempted] = useState(false);
  const [progress, setProgress] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useSetDateOverrides(staffId, setProgress);

  const days = daysOf(range);
  const dateError = attempted && days.length === 0 ? 'Pick the date (the first day, for a holiday)' : undefined;
  const tooLong = days.length > MAX_RANGE_DAYS ? `Pick at most ${MAX_RANGE_DAYS} days at a time` : undefined;
  const issues = kind === 'hours' ? validateDay(hours) : [];
  const hoursMissing = kind === 'hours' && hours.length === 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setSaved(null);
    if (days.length === 0 || tooLong || issues.length > 0 || hoursMissing || save.isPending) return;
    setProgress(0);
    save.mutate(
      { days, working_hours: kind === 'off' ? [] : toClockIntervals(hours) },
      {
        onSuccess: () => {
          const when = days.length === 1 ? formatDay(days[0]!) : `${days.length} days from ${formatDay(days[0]!)}`;
          setSaved(`${kind === 'off' ? 'Day off' : 'Special hours'} saved: ${when}.`);
          setRange([null, null]);
          setAttempted(false);
        },
      },
    );
  };

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={2} size="h3">
          Days off and special hours
        </Title>
        <Text size="sm" c="dimmed">
          Holidays, sick days or different hours on a date. They replace the weekly hours on that date.
        </Text>
      </Stack>

      <form onSubmit={submit} noValidate aria-label="Day off or special hours">
        <Stack gap="sm">
          <Group gap="sm" align="flex-start" grow maw={480}>
            <DatePickerInput
              label="Date"
              placeholder="Pick a date"
              value={range[0]}
              onChange={(value) => setRange([value, range[1] && value && range[1] < value ? null : range[1]])}
              minDate={today}
              maxDate={addDays(today, LIST_DAYS)}
              getDayProps={(day) => ({ 'aria-label': formatDay(day) })}
              ariaLabels={{ previousMonth: 'Previous month', nextMonth: 'Next month' }}
              error={dateError}
              required
              miw={0}
              styles={PLACEHOLDER}
            />
            <DatePickerInput
              label="Until (optional)"
              placeholder="For several days"
              value={range[1]}
              onChange={(value) => setRange([range[0], value])}
              minDate={range[0] ?? today}
              maxDate={addDays(today, LIST_DAYS)}
              getDayProps={(day) => ({ 'aria-label': formatDay(day) })}
              ariaLabels={{ previousMonth: 'Previous month', nextMonth: 'Next month' }}
              clearable
              error={tooLong}
              miw={0}
              styles={PLACEHOLDER}
            />
          </Group>
          <SegmentedControl
            value={kind}
            onChange={(value) => setKind(value as Kind)}
            data={[
              { value: 'off', label: 'Day off' },
              { value: 'hours', label: 'Special hours' },
            ]}
            aria-label="Day off or special hours"
            maw={360}
          />
          {kind === 'hours' && (
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Hours on {days.length > 1 ? 'these dates' : 'this date'}
              </Text>
              <DayIntervals
                name="Special hours"
                value={hours}
                onChange={setHours}
                emptyLabel="No hours: add a range, or choose Day off."
                errorAt={(index, field) =>
                  attempted ? issues.find((issue) => issue.index === index && issue.field === field)?.message : undefined
                }
              />
              {attempted && hoursMissing && (
                <Text size="sm" c="red.8" role="alert">
                  Add at least one time range, or choose Day off.
                </Text>
              )}
            </Stack>
          )}
          {save.isError && <SaveProblem error={save.error} />}
          {saved && <SavedNote onClose={() => setSaved(null)}>{saved}</SavedNote>}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {kind === 'off' ? 'Save day off' : 'Save special hours'}
            </Button>
            {save.isPending && days.length > 1 && (
              <Text size="sm" c="dimmed" role="status">
                Saved {progress} of {days.length}…
              </Text>
            )}
          </Group>
        </Stack>
      </form>

      <Stack gap="xs">
        <Title order={3} size="h4">
          Coming up
        </Title>
        {overrides.isPending ? (
          <LoadingState label="Loading dates…" />
        ) : overrides.isError ? (
          <ErrorState title="Dates could not be loaded" error={overrides.error} onRetry={() => overrides.refetch()} />
        ) : overrides.data.length === 0 ? (
          <EmptyState title="No days off or special hours planned">
            <Text size="sm">Add holidays above so customers cannot book them.</Text>
          </EmptyState>
        ) : (
          <Stack gap="xs" component="ul" aria-label="Days off and special hours" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {overrides.data.map((override) => (
              <OverrideRow key={override.date} staffId={staffId} override={override} />
            ))}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}

function OverrideRow({ staffId, override }: { staffId: string; override: DateOverride }) {
  const remove = useDeleteDateOverride(staffId);
  const day = formatDay(override.date);
  const hours = override.working_hours.map((interval) => ({ start: interval.start_time, end: interval.end_time }));
  return (
    <Card component="li" withBorder padding="sm">
      <Group justify="space-between" gap="xs" wrap="nowrap" align="center">
        <Stack gap={2} miw={0}>
          <Text size="sm" fw={600}>
            {day}
          </Text>
          {override.day_off ? (
            <Badge color="orange" variant="light" w="fit-content">
              Day off
            </Badge>
          ) : (
            <Text size="sm">Special hours: {formatIntervals(hours)}</Text>
          )}
          {remove.isError && (
            <Text size="sm" c="red.8" role="alert">
              {tidyMessage(describeError(remove.error))}
            </Text>
          )}
        </Stack>
        <Button
          variant="subtle"
          color="red"
          size="xs"
          loading={remove.isPending}
          aria-label={`Remove the change on ${day}`}
          onClick={() => remove.mutate(override.date)}
        >
          Remove
        </Button>
      </Group>
    </Card>
  );
}
