import { Select, TextInput } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { Controller, useFormContext, useFormState } from 'react-hook-form';
import { CurrencySelect } from '@/components/CurrencySelect';
import { timeZoneOptions } from '@/lib/datetime';
import type { BusinessProfile } from '@/lib/session';
import { countryName, countryOptions } from '../utils/countries';
import type { BusinessDetailsValues } from '../utils/schemas';

/** The Select's stand-in for "no country set": the time zone's is used. */
const FROM_ZONE = 'zone';

interface BusinessDetailsFieldsProps {
  profile: BusinessProfile;
  /** What the address is for, as the page puts it. */
  addressHint: string;
  /** How the country is used, as the page puts it. */
  countryHint: string;
  /** Fields that come right after the name (the settings' booking page address). */
  children?: ReactNode;
}

/** The business's name, time zone, currency, address and country, in the form a <FormProvider> gives. */
export function BusinessDetailsFields({ profile, addressHint, countryHint, children }: BusinessDetailsFieldsProps) {
  const { register, control } = useFormContext<BusinessDetailsValues>();
  const { errors } = useFormState({ control, name: ['name', 'address'] });
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

  return (
    <>
      <TextInput label="Business name" required error={errors.name?.message} {...register('name')} />
      {children}
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
      <Controller
        control={control}
        name="currency"
        render={({ field, fieldState }) => (
          <CurrencySelect
            description="The currency of your service prices; changing it does not convert them"
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            error={fieldState.error?.message}
          />
        )}
      />
      <TextInput
        label="Address"
        description={addressHint}
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
            description={countryHint}
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
    </>
  );
}
