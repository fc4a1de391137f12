import { isApiError } from '@/lib/api';
import type { BusinessProfile } from '@/lib/session';
import type { ProfileChanges } from '../api/profile';
import type { BusinessDetailsValues } from './schemas';

export function businessDetailsOf(profile: BusinessProfile): BusinessDetailsValues {
  return {
    name: profile.name,
    timezone: profile.timezone,
    currency: profile.currency,
    address: profile.address ?? '',
    country: profile.country ?? '',
  };
}

/** The details as the API takes them: no address, and the time zone's country, are null. */
export function businessDetailsChanges(values: BusinessDetailsValues): ProfileChanges {
  return {
    name: values.name,
    timezone: values.timezone,
    currency: values.currency,
    address: values.address || null,
    country: values.country || null,
  };
}

/** The API's own checks of a profile (address taken, unknown zone, country or currency) name no field: the status or title does. */
export function refusedProfileField(error: unknown): 'slug' | 'timezone' | 'country' | 'currency' | null {
  if (!isApiError(error)) return null;
  if (error.status === 409) return 'slug';
  if (error.title === 'Invalid timezone') return 'timezone';
  if (error.title === 'Invalid country') return 'country';
  if (error.title === 'Invalid currency') return 'currency';
  return null;
}
