import type { components } from '@/lib/api';

export type DaySummary = components['schemas']['DaySummaryResponse'];

export interface Totals {
  booked: number;
  cancelled: number;
  completed: number;
  no_show: number;
  reminders_sent: number;
  reminders_failed: number;
  /** No-shows among the appointments that were closed (completed + no-show); null when none were. */
  noShowRate: number | null;
}

/** The share of closed appointments that were no-shows; null when nothing was closed. */
export function noShowRate(completed: number, noShow: number): number | null {
  const closed = completed + noShow;
  return closed > 0 ? noShow / closed : null;
}

/**
 * The range's totals from its day rows. The rate is computed from the summed counts, never
 * as an average of the days' rates (a day with one no-show out of one is not worth a day
 * with ten closed appointments).
 */
export function totalsOf(days: readonly DaySummary[]): Totals {
  const sum = (key: keyof Omit<DaySummary, 'date' | 'no_show_rate'>) => days.reduce((total, day) => total + day[key], 0);
  const completed = sum('completed');
  const noShow = sum('no_show');
  return {
    booked: sum('booked'),
    cancelled: sum('cancelled'),
    completed,
    no_show: noShow,
    reminders_sent: sum('reminders_sent'),
    reminders_failed: sum('reminders_failed'),
    noShowRate: noShowRate(completed, noShow),
  };
}

/** True when anything at all happened in the range. */
export function hasActivity(totals: Totals): boolean {
  return (
    totals.booked + totals.cancelled + totals.completed + totals.no_show + totals.reminders_sent + totals.reminders_failed >
    0
  );
}

/** "25 %"-style percentage for the locale, or "—" when there is no rate. */
export function formatRate(rate: number | null, locale?: string): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

export function formatCount(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}
