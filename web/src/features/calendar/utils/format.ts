/** The calendar's words for days and times: Intl, the browser's locale, the business's zone. */
import { formatTime, type CalendarDay } from '@/lib/datetime';
import { clockChangeOn, dayBounds, formatOffset, offsetMinutes, type ClockChange } from './zoned-time';

/** A calendar day as a Date at noon UTC, formatted in UTC: the day never shifts. */
function noonUtc(day: CalendarDay): Date {
  return new Date(`${day}T12:00:00Z`);
}

function dayFormat(options: Intl.DateTimeFormatOptions, locale?: string) {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
}

/** "Mon 23 Mar" (order and words as the locale has them). */
export function formatShortDay(day: CalendarDay, locale?: string): string {
  return dayFormat({ weekday: 'short', day: 'numeric', month: 'short' }, locale).format(noonUtc(day));
}

/** "Mon 23 Mar 2027" */
export function formatDayWithYear(day: CalendarDay, locale?: string): string {
  return dayFormat({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }, locale).format(noonUtc(day));
}

/** "Monday 23 March" */
export function formatLongDay(day: CalendarDay, locale?: string): string {
  return dayFormat({ weekday: 'long', day: 'numeric', month: 'long' }, locale).format(noonUtc(day));
}

/** "Monday, 23 March 2027" */
export function formatFullDay(day: CalendarDay, locale?: string): string {
  return dayFormat({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }, locale).format(noonUtc(day));
}

/** "23–29 March 2027", "29 March – 4 April 2027" */
export function formatDayRange(first: CalendarDay, last: CalendarDay, locale?: string): string {
  return dayFormat({ day: 'numeric', month: 'long', year: 'numeric' }, locale).formatRange(noonUtc(first), noonUtc(last));
}

/** An hour of the clock as the locale writes it: "10:00" or "10 AM". */
export function formatHour(hour: number, locale?: string): string {
  return dayFormat({ hour: '2-digit', minute: '2-digit' }, locale).format(new Date(Date.UTC(2000, 0, 1, hour % 24)));
}

/** "10:00–11:00" on the business's clock. */
export function formatTimes(start: string, end: string, zone: string, locale?: string): string {
  return `${formatTime(start, zone, locale)}–${formatTime(end, zone, locale)}`;
}

/** "Sun 28 Mar 2027, 10:00" on the business's clock. */
export function formatDateTime(instant: string, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(instant));
}

/** "GMT+1" now (or at `instant`) in the zone. */
export function zoneOffsetLabel(zone: string, instant: Date | string = new Date()): string {
  return formatOffset(offsetMinutes(instant, zone));
}

/** The clock time (on the old clock) the change happens at: "02:00" in Berlin. */
function changeTime(day: CalendarDay, change: ClockChange, zone: string, locale?: string): string {
  // Search the day for the first instant on the new offset.
  const bounds = dayBounds(day, zone);
  let low = bounds.from.getTime();
  let high = bounds.to.getTime() - 1;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMinutes(middle, zone) === change.before) low = middle;
    else high = middle;
  }
  const atOldClock = Math.round((high + change.before * 60_000) / 60_000) * 60_000;
  return dayFormat({ hour: '2-digit', minute: '2-digit' }, locale).format(new Date(atOldClock));
}

/**
 * "Clocks go forward one hour at 02:00 (GMT+1 → GMT+2): this day has 23 hours." or null on
 * an ordinary day.
 */
export function describeClockChange(day: CalendarDay, zone: string, locale?: string): string | null {
  const change = clockChangeOn(day, zone);
  if (!change) return null;
  const shift = Math.abs(change.after - change.before);
  const amount = shift === 60 ? 'one hour' : shift === 30 ? 'half an hour' : `${shift} minutes`;
  const direction = change.after > change.before ? 'forward' : 'back';
  const hours = Number.isInteger(change.hours) ? `${change.hours} hours` : `${change.hours.toFixed(1)} hours`;
  return `Clocks go ${direction} ${amount} at ${changeTime(day, change, zone, locale)} (${formatOffset(change.before)} → ${formatOffset(change.after)}): this day has ${hours}.`;
}
