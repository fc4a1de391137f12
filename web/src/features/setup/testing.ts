import type { BusinessProfile } from '@/lib/session';

/** A free-plan business as the API returns it, before its address is set. */
export const aProfile: BusinessProfile = {
  id: 'biz-1',
  name: 'Salon Ada',
  slug: 'salon-ada',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  address: null,
  country: null,
  default_country: 'DE',
  subscription_tier: 'free',
  reminder_offsets_minutes: [1440, 60],
  reminder_channels: ['email'],
  booking_horizon_days: 365,
  min_notice_minutes: 60,
  slot_interval_minutes: null,
};
