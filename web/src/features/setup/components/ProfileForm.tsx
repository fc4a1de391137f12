import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { isApiError } from '@/lib/api';
import { timeZoneOptions } from '@/lib/datetime';
import type { BusinessProfile } from '@/lib/session';
import { useUpdateProfile } from '../api/profile';
import { countryName, countryOptions } from '../utils/countries';
import { placeFieldErrors } from '../utils/form-errors';
import { profileSchema, type ProfileValues } from '../utils/schemas';
import { SaveProblem, SavedNote } from './Feedback';

const FIELDS = ['name', 'slug', 'timezone', 'address', 'country'] as const;
/** The Select's stand-in for "no country set": the time zone's is used. */
const FROM_ZONE = 'zone';

function valuesOf(profile: BusinessProfile): ProfileValues {
  return {
    name: profile.name,
    slug: profile.slug,
    timezone: profile.timezone,
    address: profile.address ?? '',
    country: profile.country ?? '',
  };
}

export function bookingLink(slug: string): string {
  return `${window.location.origin}/b/${slug}`;
}

/** Name, booking page address, time zone, address and country. */
export function ProfileForm({ profile }: { profile: BusinessProfile }) {
  const save = useUpdateProfile();
  const [saved, setSaved] = useState(false);
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
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<ProfileValues>({ resolver: zodResolver(profileSchema), mode: 'onTouched', defaultValues: valuesOf(profile) });
  const slug = useWatch({ control, name: 'slug' });

  const submit = async (values: ProfileValues) => {
    setSaved(false);
    setProblem(null);
    try {
      const updated = await save.mutateAsync({
        name: values.name,
        slug: values.slug,
        timezone: values.timezone,
        address: values.address || null,
        country: values.country || null,
      });
      reset(valuesOf(updated));
      setSaved(true);
    } catch (error) {
      // The API's own checks (slug taken, unknown zone or country) name no field: the title does.
      const field = !isApiError(error)
        ? null
        : error.status === 409
          ? 'slug'
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
    <form onSubmit={handleSubmit(submit)} noValidate aria-label="Business profile">
      <Stack gap="md">
        <TextInput label="Business name" required error={errors.name?.message} {...register('name')} />
        <TextInput
          label="Booking page address"
          description={`Your booking link: ${bookingLink(slug || '…')}. Links you already shared stop working if you change it.`}
          required
          autoCapitalize="none"
          spellCheck={false}
          error={errors.slug?.message}
          {...register('slug')}
          styles={{ description: { overflowWrap: 'anywhere' } }}
        />
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
          description="Shown on your booking page and in confirmations; leave empty if you work online"
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
              description="Customers' phone numbers are read as numbers of this country unless they start with +"
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
        {problem && <SaveProblem error={problem.error} placed={problem.placed} title="Profile not saved" />}
        {saved && !isDirty && <SavedNote onClose={() => setSaved(false)}>Profile saved.</SavedNote>}
        <Group>
          <Button type="submit" loading={isSubmitting}>
            Save profile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
