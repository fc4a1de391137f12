/** Lengths of time and prices as an owner reads them. */

import { formatPrice } from '@/lib/money';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "45 min", "1 h 30 min", "2 h". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** A span of minutes in words: "30 minutes", "24 hours", "2 days", "1 hour 30 minutes". */
export function describeMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0 && minutes >= 48 * 60) return plural(minutes / (24 * 60), 'day', 'days');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour', 'hours');
  if (minutes < 60) return plural(minutes, 'minute', 'minutes');
  return `${plural(Math.floor(minutes / 60), 'hour', 'hours')} ${plural(minutes % 60, 'minute', 'minutes')}`;
}

/** A reminder's offset: "24 hours before", "2 hours before". */
export function describeOffset(minutes: number): string {
  return `${describeMinutes(minutes)} before`;
}

/** A service as its list shows it: "45 min · €30.00" (the price in the business's currency). */
export function formatLengthAndPrice(
  service: { duration_minutes: number; price: string | number },
  currency: string | undefined,
): string {
  return `${formatDuration(service.duration_minutes)} · ${formatPrice(service.price, currency)}`;
}

export type TimeUnit = 'minutes' | 'hours' | 'days';

export const UNIT_MINUTES: Record<TimeUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

export const UNIT_OPTIONS: { value: TimeUnit; label: string }[] = [
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
];

/** The largest unit that states `minutes` exactly: 1440 → 1 day, 90 → 90 minutes. */
export function splitMinutes(minutes: number): { amount: number; unit: TimeUnit } {
  if (minutes > 0 && minutes % UNIT_MINUTES.days === 0) return { amount: minutes / UNIT_MINUTES.days, unit: 'days' };
  if (minutes > 0 && minutes % UNIT_MINUTES.hours === 0) return { amount: minutes / UNIT_MINUTES.hours, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}
