import { addDays, monthBounds, type CalendarDay } from '@/lib/datetime';

/** GET /analytics/summary answers at most this many days at once. */
export const MAX_RANGE_DAYS = 366;

export type Preset = '7d' | '30d' | 'month';
export type RangeChoice = Preset | 'custom';

export const PRESETS: { value: Preset; label: string }[] = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'month', label: 'This month' },
];

export const DEFAULT_PRESET: Preset = '30d';

export interface DateRange {
  from: CalendarDay;
  to: CalendarDay;
}

export interface ChosenRange extends DateRange {
  choice: RangeChoice;
  /** Why the address's range was not used, when it was not. */
  problem: string | null;
}

/** The preset's days, counted back from `today` (the business's today), inclusive. */
export function presetRange(preset: Preset, today: CalendarDay): DateRange {
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return monthBounds(today);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDay(value: string | null): value is CalendarDay {
  if (!value || !DAY.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Days from `from` to `to`, both included. */
export function daysInRange({ from, to }: DateRange): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Why a custom range cannot be asked for, or null when it can. */
export function rangeProblem(range: DateRange): string | null {
  if (range.from > range.to) return 'The first day must not be after the last day.';
  if (daysInRange(range) > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

/**
 * The range the address asks for: `?range=7d|30d|month` (relative to today, so a bookmark
 * stays current) or `?from=YYYY-MM-DD&to=YYYY-MM-DD`; the default preset otherwise.
 */
export function rangeFromParams(params: URLSearchParams, today: CalendarDay): ChosenRange {
  const preset = params.get('range');
  if (PRESETS.some((p) => p.value === preset)) {
    return { ...presetRange(preset as Preset, today), choice: preset as Preset, problem: null };
  }
  const from = params.get('from');
  const to = params.get('to');
  const fallback = { ...presetRange(DEFAULT_PRESET, today), choice: DEFAULT_PRESET };
  if (from === null && to === null && preset === null) return { ...fallback, problem: null };
  if (!isCalendarDay(from) || !isCalendarDay(to)) {
    return { ...fallback, problem: 'The dates in the address are not valid, so the last 30 days are shown.' };
  }
  const problem = rangeProblem({ from, to });
  if (problem) return { ...fallback, problem: `${problem} The last 30 days are shown instead.` };
  return { from, to, choice: 'custom', problem: null };
}

/** The address's search parameters for a choice. */
export function paramsFor(choice: Preset | DateRange): Record<string, string> {
  return typeof choice === 'string' ? { range: choice } : { from: choice.from, to: choice.to };
}

/** A calendar day as a Date at noon UTC, for formatting it in UTC without shifting it. */
function asDate(day: CalendarDay): Date {
  return new Date(`${day}T12:00:00Z`);
}

/** "4 Nov – 3 Dec 2026" in the locale. */
export function formatRange({ from, to }: DateRange, locale?: string): string {
  const format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  return from === to ? format.format(asDate(from)) : format.formatRange(asDate(from), asDate(to));
}

/** "3 Dec" for chart axes. */
export function formatShortDay(day: CalendarDay, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(asDate(day));
}

/** "Thu, 3 Dec 2026" for table rows. */
export function formatTableDay(day: CalendarDay, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(asDate(day));
}
