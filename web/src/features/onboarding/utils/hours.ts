/**
 * Weekly working hours as the hours editor holds them: seven days (0 = Monday … 6 = Sunday),
 * each a list of clock intervals "HH:MM"–"HH:MM" (00:00 to 24:00, the end of the day).
 * Validation mirrors the API's (api/business/schemas.py) so a week is refused before it is sent.
 */

export interface Interval {
  start: string;
  end: string;
}

/** Seven days, Monday first; an empty day is a day off. */
export type Week = Interval[][];

/** The API's shape of one interval of a week. */
export interface WorkingHoursItem {
  day_of_week: number;
  start_time: string;
  end_time: string;
}

export interface HoursIssue {
  day: number;
  index: number;
  field: 'start' | 'end';
  message: string;
}

export const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;
export const WEEKDAYS = [0, 1, 2, 3, 4] as const;
export const END_OF_DAY = 24 * 60;
/** The API's limits: intervals a week holds, and a single date's. */
export const MAX_WEEK_INTERVALS = 100;
export const MAX_DAY_INTERVALS = 20;

const CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** Minutes after midnight of a strict "HH:MM" (00:00 to 24:00), or null. */
export function parseClock(value: string): number | null {
  const match = CLOCK.exec(value);
  if (!match) return null;
  if (match[1] === undefined) return END_OF_DAY;
  return Number(match[1]) * 60 + Number(match[2]);
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * What people type, as "HH:MM": "9" → "09:00", "9:30", "9.30" and "930" → "09:30".
 * Anything else comes back trimmed, for validation to refuse.
 */
export function normalizeClock(raw: string): string {
  const text = raw.trim();
  const match = /^(\d{1,2})(?:[:.h]?(\d{2}))?$/.exec(text);
  if (!match) return text;
  const hours = Number(match[1]);
  const minutes = match[2] === undefined ? 0 : Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return text;
  return clockOf(hours * 60 + minutes);
}

export function emptyWeek(): Week {
  return DAYS.map(() => []);
}

/** One day's problems: a malformed time, an end not after its start, an overlap. */
export function validateDay(intervals: readonly Interval[], day = 0): HoursIssue[] {
  const issues: HoursIssue[] = [];
  const valid: { index: number; start: number; end: number }[] = [];
  intervals.forEach((interval, index) => {
    const start = parseClock(interval.start);
    const end = parseClock(interval.end);
    if (start === null) issues.push({ day, index, field: 'start', message: 'Use HH:MM, e.g. 09:00' });
    if (end === null) issues.push({ day, index, field: 'end', message: 'Use HH:MM, up to 24:00' });
    if (start === null || end === null) return;
    if (end <= start) {
      issues.push({ day, index, field: 'end', message: `Must be after the start (${interval.start})` });
      return;
    }
    valid.push({ index, start, end });
  });
  const ordered = [...valid].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ordered.length; i += 1) {
    const earlier = ordered[i - 1];
    const later = ordered[i];
    if (earlier && later && later.start < earlier.end) {
      issues.push({
        day,
        index: later.index,
        field: 'start',
        message: `Overlaps ${clockOf(earlier.start)}–${clockOf(earlier.end)}`,
      });
    }
  }
  return issues;
}

export function validateWeek(week: Week): HoursIssue[] {
  return DAYS.flatMap((day) => validateDay(week[day] ?? [], day));
}

export function countIntervals(week: Week): number {
  return week.reduce((sum, day) => sum + day.length, 0);
}

function byStart(a: Interval, b: Interval): number {
  return (parseClock(a.start) ?? 0) - (parseClock(b.start) ?? 0);
}

/** The API's list for a valid week: days in order, each day's intervals by start. */
export function toWorkingHours(week: Week): WorkingHoursItem[] {
  return DAYS.flatMap((day) =>
    [...(week[day] ?? [])].sort(byStart).map((interval) => ({
      day_of_week: day,
      start_time: normalizeClock(interval.start),
      end_time: normalizeClock(interval.end),
    })),
  );
}

/** A week from the API's list (any order), each day's intervals by start. */
export function fromWorkingHours(items: readonly WorkingHoursItem[]): Week {
  const week = emptyWeek();
  for (const item of items) {
    week[item.day_of_week]?.push({ start: item.start_time, end: item.end_time });
  }
  return week.map((intervals) => intervals.sort(byStart));
}

/** A day's intervals for a date's special hours (same rules, no weekday). */
export function toClockIntervals(intervals: readonly Interval[]): { start_time: string; end_time: string }[] {
  return [...intervals]
    .sort(byStart)
    .map((interval) => ({ start_time: normalizeClock(interval.start), end_time: normalizeClock(interval.end) }));
}

/** The same hours on the given days, every other day off. */
export function weekOf(days: readonly number[], intervals: readonly Interval[]): Week {
  return DAYS.map((day) => (days.includes(day) ? intervals.map((interval) => ({ ...interval })) : []));
}

/** `from`'s intervals copied onto each of `targets` (their own hours replaced). */
export function copyDay(week: Week, from: number, targets: readonly number[]): Week {
  const source = week[from] ?? [];
  return week.map((intervals, day) =>
    day !== from && targets.includes(day) ? source.map((interval) => ({ ...interval })) : intervals,
  );
}

/**
 * A sensible next interval for a day: after its last one (an hour later, for an hour),
 * or 09:00–17:00 on an empty day.
 */
export function nextInterval(intervals: readonly Interval[]): Interval {
  const ends = intervals.map((interval) => parseClock(interval.end)).filter((end): end is number => end !== null);
  if (ends.length === 0) return { start: '09:00', end: '17:00' };
  const start = Math.min(Math.max(...ends) + 60, END_OF_DAY - 60);
  return { start: clockOf(start), end: clockOf(Math.min(start + 60, END_OF_DAY)) };
}

export interface Preset {
  id: string;
  label: string;
  week: Week;
}

export const PRESETS: readonly Preset[] = [
  { id: 'weekdays-9-17', label: 'Mon–Fri 9–17', week: weekOf(WEEKDAYS, [{ start: '09:00', end: '17:00' }]) },
  {
    id: 'weekdays-lunch',
    label: 'Mon–Fri 9–18, lunch 12:30–13:30',
    week: weekOf(WEEKDAYS, [
      { start: '09:00', end: '12:30' },
      { start: '13:30', end: '18:00' },
    ]),
  },
  { id: 'mon-sat-10-19', label: 'Mon–Sat 10–19', week: weekOf([0, 1, 2, 3, 4, 5], [{ start: '10:00', end: '19:00' }]) },
];

// 1 January 2024 was a Monday.
const weekdayDate = (day: number) => new Date(Date.UTC(2024, 0, 1 + day, 12));

export function weekdayName(day: number, locale?: string, width: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(weekdayDate(day));
}

/** A clock time as the locale writes it ("09:00", "9:00 AM"); 24:00 stays the day's end. */
export function formatClock(value: string, locale?: string): string {
  const minutes = parseClock(value);
  if (minutes === null) return value;
  const format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  if (minutes === END_OF_DAY) {
    const cycle = format.resolvedOptions().hourCycle;
    return cycle === 'h23' || cycle === 'h24' ? '24:00' : 'midnight';
  }
  return format.format(new Date(Date.UTC(1970, 0, 1, Math.floor(minutes / 60), minutes % 60)));
}

export function formatIntervals(intervals: readonly Interval[], locale?: string): string {
  return [...intervals]
    .sort(byStart)
    .map((interval) => `${formatClock(interval.start, locale)}–${formatClock(interval.end, locale)}`)
    .join(', ');
}

/**
 * The week in a few lines: consecutive days with the same hours share one line
 * ("Mon–Fri: 09:00–12:30, 13:30–18:00"); days off are left out.
 */
export function summarizeWeek(week: Week, locale?: string): string[] {
  const lines: string[] = [];
  let runStart = 0;
  for (let day = 0; day <= DAYS.length; day += 1) {
    const current = day < DAYS.length ? formatIntervals(week[day] ?? [], locale) : null;
    const previous = formatIntervals(week[runStart] ?? [], locale);
    if (day === DAYS.length || current !== previous) {
      if (previous) {
        const first = weekdayName(runStart, locale, 'short');
        const last = weekdayName(day - 1, locale, 'short');
        lines.push(`${runStart === day - 1 ? first : `${first}–${last}`}: ${previous}`);
      }
      runStart = day;
    }
  }
  return lines;
}
