import { Button, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { Controller, type UseFormReturn } from 'react-hook-form';
import { countryOptions } from '../utils/phone';
import { NOTE_MAX_LENGTH, type CustomerDetails, type CustomerDetailsInput } from '../utils/customer-details';

interface CustomerFormProps {
  form: UseFormReturn<CustomerDetailsInput, unknown, CustomerDetails>;
  onSubmit: (details: CustomerDetails) => void;
  submitting: boolean;
  /** What is being booked, repeated on the button so the visitor confirms knowingly. */
  summary: string;
  /** A check drawn before the button (the CAPTCHA widget when bookings need one). */
  check?: ReactNode;
  /** Why the button waits (the check is not passed yet); null when it can be pressed. */
  waitingFor?: string | null;
}

const WAITING_HINT = 'confirm-waits-for';

export function CustomerForm({ form, onSubmit, submitting, summary, check, waitingFor = null }: CustomerFormProps) {
  const {
    register,
    control,
    handleSubmit,
    formState: { errors },
  } = form;
  const countries = useMemo(() => countryOptions(), []);

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate aria-label="Your details">
      <Stack gap="md">
        <TextInput label="Name" autoComplete="name" required error={errors.name?.message} {...register('name')} />
        <Text size="sm" c="dimmed" id="contact-hint">
          Give an email address, a phone number or both: we send the confirmation and reminders there.
        </Text>
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          aria-describedby="contact-hint"
          error={errors.email?.message}
          {...register('email')}
        />
        <Group align="flex-start" gap="sm" grow preventGrowOverflow={false} wrap="wrap">
          <Controller
            control={control}
            name="phoneCountry"
            render={({ field }) => (
              <Select
                label="Phone country"
                data={countries}
                searchable
                allowDeselect={false}
                nothingFoundMessage="No such country"
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                ref={field.ref}
                miw={180}
                comboboxProps={{ withinPortal: true }}
              />
            )}
          />
          <TextInput
            label="Phone number"
            type="tel"
            autoComplete="tel-national"
            aria-describedby="contact-hint"
            error={errors.phone?.message}
            miw={180}
            {...register('phone')}
          />
        </Group>
        <Textarea
          label="Note for the business (optional)"
          autosize
          minRows={2}
          maxLength={NOTE_MAX_LENGTH}
          error={errors.note?.message}
          {...register('note')}
        />
        {check}
        {waitingFor && (
          <Text size="sm" c="dimmed" id={WAITING_HINT}>
            {waitingFor}
          </Text>
        )}
        {/* The summary wraps on narrow screens instead of being cut off. While it waits for the
            check the button stays focusable (aria-disabled) and says why through its hint. */}
        <Button
          type="submit"
          size="md"
          h="auto"
          py="xs"
          styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
          loading={submitting}
          disabled={submitting}
          data-disabled={waitingFor ? true : undefined}
          aria-disabled={waitingFor ? true : undefined}
          aria-describedby={waitingFor ? WAITING_HINT : undefined}
        >
          Confirm booking: {summary}
        </Button>
      </Stack>
    </form>
  );
}
