/**
 * Dates and times as the visitor should read them. The API sends instants with the
 * business's own offset and calendar days (YYYY-MM-DD) in the business's zone; everything
 * here goes through Intl with an explicit zone, never through the browser's own zone.
 */

/** A calendar day, `YYYY-MM-DD`, with no zone attached. */
export type CalendarDay = string;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in `zone`. */
export function dayInZone(instant: string | Date, zone: string): CalendarDay {
  let formatter = dayFormatters.get(zone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(zone, formatter);
  }
  return formatter.format(new Date(instant));
}

export function todayInZone(zone: string, now: Date = new Date()): CalendarDay {
  return dayInZone(now, zone);
}

/** A calendar day as a Date at noon UTC, so formatting it in UTC never shifts the day. */
function dayAsDate(day: CalendarDay): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1, 12));
}

function toDay(date: Date): CalendarDay {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  const date = dayAsDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}

export function firstOfMonth(day: CalendarDay): CalendarDay {
  return `${day.slice(0, 7)}-01`;
}

/** First and last day of the month `day` belongs to. */
export function monthBounds(day: CalendarDay): { from: CalendarDay; to: CalendarDay } {
  const start = dayAsDate(firstOfMonth(day));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0, 12));
  return { from: toDay(start), to: toDay(end) };
}

export function formatDay(day: CalendarDay, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(dayAsDate(day));
}

export function formatTime(instant: string, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(instant),
  );
}

/** The zone's offset at that instant, e.g. "GMT+1" (or "GMT+2" in summer). */
export function zoneOffset(instant: string | Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(
    new Date(instant),
  );
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone;
}

/** "Europe/Berlin (GMT+1)": the zone's name, with its offset at that instant. */
export function zoneLabel(instant: string | Date, zone: string): string {
  return `${zone} (${zoneOffset(instant, zone)})`;
}

/** Distinct offsets a list of instants has in `zone`, in order: two on a day the clocks change. */
export function offsetsAmong(instants: string[], zone: string): string[] {
  return [...new Set(instants.map((instant) => zoneOffset(instant, zone)))];
}

/** "Friday, 4 December 2026, 09:00 – 10:00" in the given zone. */
export function formatTimeRange(start: string, end: string, zone: string, locale?: string): string {
  const day = formatDay(dayInZone(start, zone), locale);
  return `${day}, ${formatTime(start, zone, locale)} – ${formatTime(end, zone, locale)}`;
}

export interface VisitorTime {
  time: string;
  /** The visitor's day when it differs from the business's day at that instant. */
  otherDay: CalendarDay | null;
}

/**
 * The instant on the visitor's clock, or null when it reads the same as the business's
 * (same zone, or a different zone with the same offset then).
 */
export function visitorTime(
  instant: string,
  businessZone: string,
  visitorZone: string,
  locale?: string,
): VisitorTime | null {
  if (businessZone === visitorZone) return null;
  const time = formatTime(instant, visitorZone, locale);
  const businessDay = dayInZone(instant, businessZone);
  const visitorDay = dayInZone(instant, visitorZone);
  if (time === formatTime(instant, businessZone, locale) && businessDay === visitorDay) return null;
  return { time, otherDay: visitorDay === businessDay ? null : visitorDay };
}

/** Slots grouped by the calendar day they start on in `zone`, days and slots in order. */
export function groupByDayInZone<T extends { start: string }>(
  slots: readonly T[],
  zone: string,
): { day: CalendarDay; slots: T[] }[] {
  const byDay = new Map<CalendarDay, T[]>();
  const ordered = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const slot of ordered) {
    const day = dayInZone(slot.start, zone);
    const group = byDay.get(day);
    if (group) group.push(slot);
    else byDay.set(day, [slot]);
  }
  return [...byDay.entries()].map(([day, daySlots]) => ({ day, slots: daySlots }));
}

/** Short weekday name of a calendar day, e.g. "Sat". */
export function formatWeekday(day: CalendarDay, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(dayAsDate(day));
}

/** IANA time zones the browser knows, for pickers. */
export function timeZoneOptions(): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...supported])].sort();
}
