import { Box, Button, Flex, Group, Menu, Stack, Text, TextInput } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import {
  DAYS,
  MAX_DAY_INTERVALS,
  PRESETS,
  WEEKDAYS,
  copyDay,
  emptyWeek,
  nextInterval,
  normalizeClock,
  weekdayName,
  type Interval,
  type Week,
} from '../utils/hours';

type Part = 'start' | 'end';

export type HoursErrorAt = (day: number, index: number, field: Part) => string | undefined;

const PLACEHOLDERS: Record<Part, string> = { start: '09:00', end: '17:00' };

interface DayIntervalsProps {
  /** Names the inputs, e.g. "Monday" or "24 December". */
  name: string;
  value: Interval[];
  onChange: (intervals: Interval[]) => void;
  onBlur?: () => void;
  errorAt?: (index: number, field: Part) => string | undefined;
  /** Shown when the day has no hours. */
  emptyLabel?: string;
  children?: ReactNode;
}

/** One day's time ranges ("09:00–12:30", "13:30–18:00"), each with its own remove button. */
export function DayIntervals({ name, value, onChange, onBlur, errorAt, emptyLabel = 'Day off', children }: DayIntervalsProps) {
  const id = useId();
  const change = (index: number, field: Part, text: string) =>
    onChange(value.map((interval, i) => (i === index ? { ...interval, [field]: text } : interval)));
  const tidy = (index: number, field: Part) => {
    const current = value[index]?.[field] ?? '';
    const normalized = normalizeClock(current);
    if (normalized !== current) change(index, field, normalized);
    onBlur?.();
  };

  return (
    <Stack gap={6}>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {emptyLabel}
        </Text>
      )}
      {value.map((interval, index) => {
        const errors = { start: errorAt?.(index, 'start'), end: errorAt?.(index, 'end') };
        const messageId = `${id}-${index}-error`;
        const describedBy = errors.start || errors.end ? messageId : undefined;
        const clockInput = (part: Part) => (
          <TextInput
            aria-label={`${name} ${part} ${index + 1}`}
            aria-describedby={errors[part] ? describedBy : undefined}
            placeholder={PLACEHOLDERS[part]}
            inputMode="decimal"
            autoComplete="off"
            w={84}
            value={interval[part]}
            onChange={(event) => change(index, part, event.currentTarget.value)}
            onBlur={() => tidy(index, part)}
            error={Boolean(errors[part])}
          />
        );
        return (
          <Stack key={index} gap={2}>
            <Group gap={6} wrap="nowrap" align="center">
              {clockInput('start')}
              <Text aria-hidden>–</Text>
              {clockInput('end')}
              <Button
                variant="subtle"
                color="red"
                size="compact-sm"
                px={6}
                aria-label={`Remove ${interval.start}–${interval.end} on ${name}`}
                onClick={() => {
                  onChange(value.filter((_, i) => i !== index));
                  onBlur?.();
                }}
              >
                Remove
              </Button>
            </Group>
            {describedBy && (
              <Text id={messageId} size="sm" c="red.8">
                {[errors.start && `Start: ${errors.start}`, errors.end && `End: ${errors.end}`].filter(Boolean).join('. ')}
              </Text>
            )}
          </Stack>
        );
      })}
      <Group gap="xs">
        <Button
          variant="subtle"
          size="compact-sm"
          px={6}
          disabled={value.length >= MAX_DAY_INTERVALS}
          aria-label={`Add hours on ${name}`}
          onClick={() => onChange([...value, nextInterval(value)])}
        >
          + Add hours
        </Button>
        {children}
      </Group>
    </Stack>
  );
}

interface WeeklyHoursEditorProps {
  value: Week;
  onChange: (week: Week) => void;
  onBlur?: () => void;
  errorAt?: HoursErrorAt;
  /** A problem with the week as a whole (e.g. the API's refusal). */
  error?: string | undefined;
}

/**
 * The week's working hours, Monday first: several ranges a day (a lunch break is the gap
 * between two), quick presets and copying one day's hours onto others.
 */
export function WeeklyHoursEditor({ value, onChange, onBlur, errorAt, error }: WeeklyHoursEditorProps) {
  const id = useId();
  const week = value.length === DAYS.length ? value : emptyWeek();
  const setDay = (day: number, intervals: Interval[]) =>
    onChange(week.map((current, index) => (index === day ? intervals : current)));
  const apply = (next: Week) => {
    onChange(next.map((intervals) => intervals.map((interval) => ({ ...interval }))));
    onBlur?.();
  };

  return (
    <Stack gap="sm">
      <Group gap="xs" role="group" aria-label="Quick start">
        <Text size="sm" fw={500}>
          Quick start:
        </Text>
        {PRESETS.map((preset) => (
          <Button key={preset.id} variant="light" size="compact-sm" onClick={() => apply(preset.week)}>
            {preset.label}
          </Button>
        ))}
        <Button variant="subtle" color="gray" size="compact-sm" onClick={() => apply(emptyWeek())}>
          Clear all
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Box>
        {DAYS.map((day) => {
          const name = weekdayName(day);
          const labelId = `${id}-day-${day}`;
          return (
            <Flex
              key={day}
              role="group"
              aria-labelledby={labelId}
              direction={{ base: 'column', xs: 'row' }}
              gap={{ base: 4, xs: 'md' }}
              py="xs"
              style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
            >
              <Text id={labelId} fw={600} w={{ xs: 110 }} pt={{ xs: 6 }} style={{ flexShrink: 0 }}>
                {name}
              </Text>
              <DayIntervals
                name={name}
                value={week[day] ?? []}
                onChange={(intervals) => setDay(day, intervals)}
                onBlur={onBlur}
                errorAt={errorAt ? (index, field) => errorAt(day, index, field) : undefined}
              >
                <CopyMenu day={day} name={name} onCopy={(targets) => apply(copyDay(week, day, targets))} />
              </DayIntervals>
            </Flex>
          );
        })}
      </Box>
    </Stack>
  );
}

function CopyMenu({ day, name, onCopy }: { day: number; name: string; onCopy: (targets: number[]) => void }) {
  const others = DAYS.filter((other) => other !== day);
  return (
    <Menu position="bottom-start" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" size="compact-sm" px={6} aria-label={`Copy to other days (${name}'s hours)`}>
          Copy to…
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Copy {name}&apos;s hours to</Menu.Label>
        <Menu.Item onClick={() => onCopy([...WEEKDAYS])}>Every weekday (Mon–Fri)</Menu.Item>
        <Menu.Item onClick={() => onCopy([...others])}>Every other day</Menu.Item>
        {day < 6 && <Menu.Item onClick={() => onCopy([day + 1])}>{weekdayName(day + 1)} only</Menu.Item>}
      </Menu.Dropdown>
    </Menu>
  );
}
