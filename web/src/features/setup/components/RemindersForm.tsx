import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Badge, Button, Checkbox, Group, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { Link } from 'react-router';
import type { BusinessProfile } from '@/lib/session';
import { useProfileSection } from '../hooks/use-profile-section';
import { UNIT_MINUTES, UNIT_OPTIONS, describeMinutes, describeOffset, type TimeUnit } from '../utils/format';
import { MAX_REMINDERS, MAX_REMINDER_OFFSET, remindersSchema, type ReminderValues } from '../utils/schemas';
import { SaveProblem, SavedNote } from './Feedback';
import { numberOrEmpty } from './NumberField';

const FIELDS = ['reminder_offsets_minutes', 'reminder_channels'] as const;
type Channel = 'email' | 'sms';

function valuesOf(profile: BusinessProfile): ReminderValues {
  return {
    reminder_offsets_minutes: [...profile.reminder_offsets_minutes].sort((a, b) => b - a),
    reminder_channels: profile.reminder_channels.filter((channel): channel is Channel => channel === 'email' || channel === 'sms'),
  };
}

/** When customers are reminded before their appointment, and how. */
export function RemindersForm({ profile }: { profile: BusinessProfile }) {
  const form = useForm<ReminderValues>({ resolver: zodResolver(remindersSchema), defaultValues: valuesOf(profile) });
  const { control } = form;
  const section = useProfileSection(form, valuesOf, FIELDS);
  const onFree = profile.subscription_tier === 'free';

  return (
    <form onSubmit={form.handleSubmit(section.submit)} noValidate aria-label="Reminders">
      <Stack gap="lg">
        <Controller
          control={control}
          name="reminder_offsets_minutes"
          render={({ field, fieldState }) => (
            <OffsetsEditor value={field.value} onChange={field.onChange} error={fieldState.error?.message} />
          )}
        />
        <Controller
          control={control}
          name="reminder_channels"
          render={({ field, fieldState }) => {
            const smsOn = field.value.includes('sms');
            return (
              <Checkbox.Group
                label="Send reminders by"
                value={field.value}
                onChange={(channels) => field.onChange(channels as Channel[])}
                error={fieldState.error?.message}
              >
                <Stack gap="sm" mt="xs">
                  <Checkbox value="email" label="Email" description="To customers who gave an email address" />
                  <Checkbox
                    value="sms"
                    label={
                      <Group gap={6} component="span">
                        <span>SMS text message</span>
                        <Badge size="sm" color="violet" variant="light" component="span">
                          Pro
                        </Badge>
                      </Group>
                    }
                    description={
                      onFree
                        ? smsOn
                          ? 'Not sent on the Free plan. Upgrade to Pro to send them again.'
                          : 'Texts to customers who gave a phone number: part of the Pro plan.'
                        : 'To customers who gave a phone number'
                    }
                    disabled={onFree && !smsOn}
                  />
                  {onFree && (
                    <Anchor component={Link} to="/app/billing" size="sm" fw={600} ml={32}>
                      Upgrade to Pro for SMS reminders
                    </Anchor>
                  )}
                </Stack>
              </Checkbox.Group>
            );
          }}
        />
        {section.problem && <SaveProblem {...section.problem} title="Reminders not saved" />}
        {section.saved && <SavedNote onClose={section.dismissSaved}>Reminders saved. New bookings get them.</SavedNote>}
        <Group>
          <Button type="submit" loading={form.formState.isSubmitting}>
            Save reminders
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface OffsetsEditorProps {
  value: number[];
  onChange: (offsets: number[]) => void;
  error?: string | undefined;
}

function OffsetsEditor({ value, onChange, error }: OffsetsEditorProps) {
  const [amount, setAmount] = useState<number | ''>(2);
  const [unit, setUnit] = useState<TimeUnit>('hours');
  const [addError, setAddError] = useState<string | null>(null);
  const full = value.length >= MAX_REMINDERS;

  const add = () => {
    if (amount === '' || !Number.isInteger(amount) || amount < 1) {
      setAddError('Enter a whole number, 1 or more');
      return;
    }
    const minutes = amount * UNIT_MINUTES[unit];
    if (minutes > MAX_REMINDER_OFFSET) {
      setAddError(`Reminders can go out at most ${describeMinutes(MAX_REMINDER_OFFSET)} before`);
      return;
    }
    if (value.includes(minutes)) {
      setAddError(`There is already a reminder ${describeOffset(minutes)}`);
      return;
    }
    setAddError(null);
    onChange([...value, minutes].sort((a, b) => b - a));
  };

  return (
    <Stack gap="xs">
      <div>
        <Text fw={500} size="sm">
          Reminders before each appointment
        </Text>
        <Text size="xs" c="dimmed">
          Up to {MAX_REMINDERS}. Changes apply to appointments booked from now on.
        </Text>
      </div>
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reminders: customers get only the booking confirmation. Add one below.
        </Text>
      ) : (
        <Stack gap={4} component="ul" aria-label="Reminders" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {value.map((minutes) => (
            <Group key={minutes} component="li" gap="sm" justify="space-between" wrap="nowrap" maw={360}>
              <Text size="sm">{describeOffset(minutes)}</Text>
              <Button
                variant="subtle"
                color="red"
                size="compact-sm"
                aria-label={`Remove the reminder ${describeOffset(minutes)}`}
                onClick={() => onChange(value.filter((offset) => offset !== minutes))}
              >
                Remove
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      <Group gap="xs" align="flex-start" wrap="wrap">
        <NumberInput
          aria-label="Remind how long before"
          w={90}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          value={amount}
          onChange={(next) => setAmount(numberOrEmpty(next))}
          disabled={full}
          error={addError ?? undefined}
        />
        <Select
          aria-label="Unit"
          w={120}
          data={UNIT_OPTIONS}
          value={unit}
          allowDeselect={false}
          onChange={(next) => next && setUnit(next as TimeUnit)}
          disabled={full}
        />
        <Button variant="light" onClick={add} disabled={full}>
          Add reminder
        </Button>
      </Group>
      {full && (
        <Text size="sm" c="dimmed">
          That is the most reminders; remove one to add another.
        </Text>
      )}
    </Stack>
  );
}
