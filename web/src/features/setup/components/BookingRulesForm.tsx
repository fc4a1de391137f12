import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Select, Stack, Text } from '@mantine/core';
import { Controller, useForm } from 'react-hook-form';
import type { BusinessProfile } from '@/lib/session';
import { useProfileSection } from '../hooks/use-profile-section';
import { UNIT_MINUTES, UNIT_OPTIONS, describeMinutes, splitMinutes, type TimeUnit } from '../utils/format';
import { MAX_HORIZON_DAYS, bookingRulesSchema, type BookingRuleValues } from '../utils/schemas';
import { SaveProblem, SavedNote } from './Feedback';
import { NumberField } from './NumberField';

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

/** How far ahead customers can book, how soon, and how often times start. */
export function BookingRulesForm({ profile }: { profile: BusinessProfile }) {
  const form = useForm<BookingRuleValues>({
    resolver: zodResolver(bookingRulesSchema),
    mode: 'onTouched',
    defaultValues: valuesOf(profile),
  });
  const { control } = form;
  const section = useProfileSection(form, valuesOf, ['booking_horizon_days', 'slot_interval_minutes'], {
    aliases: { min_notice_minutes: 'min_notice_amount' },
  });
  const current = profile.slot_interval_minutes;
  const steps = current !== null && !STEPS.includes(current) ? [...STEPS, current].sort((a, b) => a - b) : STEPS;
  const stepOptions = [
    { value: SERVICE_LENGTH, label: 'After each other (one per service length)' },
    ...steps.map((step) => ({ value: String(step), label: `Every ${describeMinutes(step)}` })),
  ];

  const submit = (values: BookingRuleValues) =>
    section.submit({
      booking_horizon_days: values.booking_horizon_days,
      min_notice_minutes: values.min_notice_amount * UNIT_MINUTES[values.min_notice_unit],
      slot_interval_minutes: values.slot_interval_minutes,
    });

  return (
    <form onSubmit={form.handleSubmit(submit)} noValidate aria-label="Booking rules">
      <Stack gap="md">
        <NumberField
          control={control}
          name="booking_horizon_days"
          label="Customers can book up to (days ahead)"
          description={`1 to ${MAX_HORIZON_DAYS} days`}
          min={1}
          max={MAX_HORIZON_DAYS}
          allowDecimal={false}
          allowNegative={false}
          maw={260}
        />
        <div>
          <Text size="sm" fw={500} id="min-notice-label">
            Minimum notice
          </Text>
          <Text size="xs" c="dimmed" id="min-notice-description">
            How soon before it starts a time can still be booked online (0: until it starts)
          </Text>
          <Group gap="xs" align="flex-start" mt={4} role="group" aria-labelledby="min-notice-label">
            <NumberField
              control={control}
              name="min_notice_amount"
              aria-label="Minimum notice"
              aria-describedby="min-notice-description"
              w={100}
              min={0}
              allowDecimal={false}
              allowNegative={false}
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
        {section.problem && <SaveProblem {...section.problem} title="Booking rules not saved" />}
        {section.saved && <SavedNote onClose={section.dismissSaved}>Booking rules saved.</SavedNote>}
        <Group>
          <Button type="submit" loading={form.formState.isSubmitting}>
            Save booking rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
