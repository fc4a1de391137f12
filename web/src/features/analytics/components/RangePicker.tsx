import { Chip, Group, Stack, Text } from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { useId, useState } from 'react';
import { PRESETS, MAX_RANGE_DAYS, rangeProblem, type ChosenRange, type DateRange, type Preset } from '../utils/range';

interface RangePickerProps {
  range: ChosenRange;
  onPreset: (preset: Preset) => void;
  onCustom: (range: DateRange) => void;
}

/**
 * Presets as a radio group, and any other range from the calendar. The parent keys it by the
 * range, so a new range from the address (a preset, back/forward) starts a fresh draft.
 */
export function RangePicker({ range, onPreset, onCustom }: RangePickerProps) {
  const [draft, setDraft] = useState<DatesRangeValue<string>>([range.from, range.to]);
  const [error, setError] = useState<string | null>(null);
  const labelId = useId();

  const pick = (value: DatesRangeValue<string>) => {
    setDraft(value);
    const [from, to] = value;
    if (!from || !to) return;
    const problem = rangeProblem({ from, to });
    setError(problem);
    if (!problem) onCustom({ from, to });
  };

  return (
    <Group align="flex-end" gap="md" wrap="wrap">
      <Stack gap={6}>
        <Text id={labelId} size="sm" fw={500}>
          Period
        </Text>
        <Chip.Group multiple={false} value={range.choice === 'custom' ? '' : range.choice} onChange={(value) => onPreset(value as Preset)}>
          <Group gap="xs" role="radiogroup" aria-labelledby={labelId}>
            {PRESETS.map((preset) => (
              <Chip key={preset.value} value={preset.value} type="radio" name="analytics-period" size="sm">
                {preset.label}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Stack>
      <DatePickerInput
        type="range"
        label="Dates"
        description={range.choice === 'custom' ? 'Custom range' : `Or pick any range up to ${MAX_RANGE_DAYS} days`}
        value={draft}
        onChange={pick}
        allowSingleDateInRange
        valueFormat="D MMM YYYY"
        error={error}
        miw={230}
        maw="100%"
        popoverProps={{ withinPortal: true }}
      />
    </Group>
  );
}
