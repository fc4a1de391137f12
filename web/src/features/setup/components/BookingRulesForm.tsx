import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { BusinessProfile } from '@/lib/session';
import { useUpdateProfile } from '../api/profile';
import { UNIT_MINUTES, UNIT_OPTIONS, describeMinutes, splitMinutes, type TimeUnit } from '../utils/format';
import { placeFieldErrors } from '../utils/form-errors';
import { MAX_HORIZON_DAYS, bookingRulesSchema, type BookingRuleValues } from '../utils/schemas';
import { SaveProblem, SavedNote } from './Feedback';

const SERVICE_LENGTH = 'service';
const STEPS = [5, 10, 15, 20, 30, 45, 60];

function valuesOf(profile: BusinessProfile): BookingRuleValues {
  const notice = splitMinutes(profile.min_notice_minutes);
  return {
    booking_horizon_days: profile.booking_horizon_days,
    min_notice_amount: notice.amount,
    min_notice_unit: notice.unit,
    slot_interval_minutes: profile.slot_interval_minutes,
  };
}

function numberOrEmpty(value: number | string): number | '' {
  return typeof value === 'number' ? value : value === '' ? '' : Number(value);
}

/** How far ahead customers can book, how soon, and how often times start. */
export function BookingRulesForm({ profile }: { profile: BusinessProfile }) {
  const save = useUpdateProfile();
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<{ error: unknown; placed: string[] } | null>(null);
  const {
    control,
    handleSubmit,
    setError,
    reset,
    formState: { isSubmitting, isDirty },
  } = useForm<BookingRuleValues>({
    resolver: zodResolver(bookingRulesSchema),
    mode: 'onTouched',
    defaultValues: valuesOf(profile),
  });
  const current = profile.slot_interval_minutes;
  const steps = current !== null && !STEPS.includes(current) ? [...STEPS, current].sort((a, b) => a - b) : STEPS;
  const stepOptions = [
    { value: SERVICE_LENGTH, label: 'After each other (one per service length)' },
    ...steps.map((step) => ({ value: String(step), label: `Every ${describeMinutes(step)}` })),
  ];

  const submit = async (values: BookingRuleValues) => {
    setSaved(false);
    setProblem(null);
    try {
      const updated = await save.mutateAsync({
        booking_horizon_days: values.booking_horizon_days,
        min_notice_minutes: values.min_notice_amount * UNIT_MINUTES[values.min_notice_unit],
        slot_interval_minutes: values.slot_interval_minutes,
      });
      reset(valuesOf(updated));
      setSaved(true);
    } catch (error) {
      setProblem({
        error,
        placed: placeFieldErrors(error, setError, ['booking_horizon_days', 'slot_interval_minutes'], {
          min_notice_minutes: 'min_notice_amount',
        }),
      });
    }
  };

  return (
    <form onSubmit={handleSubmit(submit)} noValidate aria-label="Booking rules">
      <Stack gap="md">
        <Controller
          control={control}
          name="booking_horizon_days"
          render={({ field, fieldState }) => (
            <NumberInput
              label="Customers can book up to (days ahead)"
              description={`1 to ${MAX_HORIZON_DAYS} days`}
              min={1}
              max={MAX_HORIZON_DAYS}
              allowDecimal={false}
              allowNegative={false}
              maw={260}
              name={field.name}
              ref={field.ref}
              value={field.value}
              onChange={(value) => field.onChange(numberOrEmpty(value))}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
            />
          )}
        />
        <div>
          <Text size="sm" fw={500} id="min-notice-label">
            Minimum notice
          </Text>
          <Text size="xs" c="dimmed" id="min-notice-description">
            How soon before it starts a time can still be booked online (0: until it starts)
          </Text>
          <Group gap="xs" align="flex-start" mt={4} role="group" aria-labelledby="min-notice-label">
            <Controller
              control={control}
              name="min_notice_amount"
              render={({ field, fieldState }) => (
                <NumberInput
                  aria-label="Minimum notice"
                  aria-describedby="min-notice-description"
                  w={100}
                  min={0}
                  allowDecimal={false}
                  allowNegative={false}
                  name={field.name}
                  ref={field.ref}
                  value={field.value}
                  onChange={(value) => field.onChange(numberOrEmpty(value))}
                  onBlur={field.onBlur}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Controller
              control={control}
              name="min_notice_unit"
              render={({ field }) => (
                <Select
                  aria-label="Minimum notice unit"
                  w={120}
                  data={UNIT_OPTIONS}
                  allowDeselect={false}
                  value={field.value}
                  onChange={(value) => value && field.onChange(value as TimeUnit)}
                />
              )}
            />
          </Group>
        </div>
        <Controller
          control={control}
          name="slot_interval_minutes"
          render={({ field, fieldState }) => (
            <Select
              label="Times start"
              description="How the times offered for a day are spaced"
              data={stepOptions}
              allowDeselect={false}
              maw={360}
              value={field.value === null ? SERVICE_LENGTH : String(field.value)}
              onChange={(value) => field.onChange(!value || value === SERVICE_LENGTH ? null : Number(value))}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
            />
          )}
        />
        {problem && <SaveProblem error={problem.error} placed={problem.placed} title="Booking rules not saved" />}
        {saved && !isDirty && <SavedNote onClose={() => setSaved(false)}>Booking rules saved.</SavedNote>}
        <Group>
          <Button type="submit" loading={isSubmitting}>
            Save booking rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
