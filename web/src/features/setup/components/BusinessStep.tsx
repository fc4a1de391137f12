import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import { isApiError } from '@/lib/api';
import { timeZoneOptions } from '@/lib/datetime';
import type { BusinessProfile } from '@/lib/session';
import { useUpdateProfile } from '../api/profile';
import { countryName, countryOptions } from '../utils/countries';
import { placeFieldErrors } from '../utils/form-errors';
import { profileSchema } from '../utils/schemas';
import { SaveProblem } from './Feedback';

const FIELDS = ['name', 'timezone', 'address', 'country'] as const;
const FROM_ZONE = 'zone';
const businessSchema = z.pick(profileSchema, { name: true, timezone: true, address: true, country: true });
type BusinessValues = z.infer<typeof businessSchema>;

/** Step 1: the name, time zone and address customers see. */
export function BusinessStep({ profile, onDone }: { profile: BusinessProfile; onDone: () => void }) {
  const save = useUpdateProfile();
  const [problem, setProblem] = useState<{ error: unknown; placed: string[] } | null>(null);
  const zones = useMemo(() => {
    const known = timeZoneOptions();
    return known.includes(profile.timezone) ? known : [profile.timezone, ...known];
  }, [profile.timezone]);
  const zoneCountry = countryName(profile.country ? null : profile.default_country);
  const countries = useMemo(
    () => [
      { value: FROM_ZONE, label: zoneCountry ? `From the time zone (${zoneCountry})` : 'From the time zone' },
      ...countryOptions(),
    ],
    [zoneCountry],
  );
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<BusinessValues>({
    resolver: zodResolver(businessSchema),
    mode: 'onTouched',
    defaultValues: {
      name: profile.name,
      timezone: profile.timezone,
      address: profile.address ?? '',
      country: profile.country ?? '',
    },
  });

  const submit = async (values: BusinessValues) => {
    setProblem(null);
    try {
      await save.mutateAsync({
        name: values.name,
        timezone: values.timezone,
        address: values.address || null,
        country: values.country || null,
      });
      onDone();
    } catch (error) {
      const field = !isApiError(error)
        ? null
        : error.title === 'Invalid timezone'
          ? 'timezone'
          : error.title === 'Invalid country'
            ? 'country'
            : null;
      if (field && isApiError(error)) {
        setError(field, { type: 'server', message: error.detail ?? error.title }, { shouldFocus: true });
        return;
      }
      setProblem({ error, placed: placeFieldErrors(error, setError, FIELDS) });
    }
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Tell customers who you are
        </Title>
        <Text size="sm" c="dimmed">
          Your booking page shows this, and so do confirmations and reminders.
        </Text>
      </div>
      <form onSubmit={handleSubmit(submit)} noValidate aria-label="Your business">
        <Stack gap="md">
          <TextInput label="Business name" required error={errors.name?.message} {...register('name')} />
          <Controller
            control={control}
            name="timezone"
            render={({ field, fieldState }) => (
              <Select
                label="Time zone"
                description="Opening hours and appointment times are in this zone"
                data={zones}
                searchable
                required
                allowDeselect={false}
                value={field.value}
                onChange={(value) => field.onChange(value ?? '')}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
              />
            )}
          />
          <TextInput
            label="Address"
            description="Where customers come to; leave empty if you work online or visit them"
            autoComplete="street-address"
            error={errors.address?.message}
            {...register('address')}
          />
          <Controller
            control={control}
            name="country"
            render={({ field, fieldState }) => (
              <Select
                label="Country"
                description="Customers' phone numbers are read as numbers of this country"
                data={countries}
                searchable
                allowDeselect={false}
                value={field.value || FROM_ZONE}
                onChange={(value) => field.onChange(!value || value === FROM_ZONE ? '' : value)}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
              />
            )}
          />
          {problem && <SaveProblem error={problem.error} placed={problem.placed} />}
          <Group>
            <Button type="submit" loading={isSubmitting}>
              Save and continue
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
