/**
 * Where an instant lands on a business's wall clock, and which instants bound its local days
 * and weeks. Everything goes through Intl with an explicit zone: the browser's own zone is
 * never consulted, so an owner travelling abroad still sees the shop's day.
 *
 * Days are plain calendar days (`YYYY-MM-DD`). A local day is not always 24 hours long: on the
 * day the clocks go forward it has 23, on the day they go back 25. Bounds are therefore
 * computed per day, never as "start + 24 h".
 */
import type { CalendarDay } from '@/lib/datetime';

const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;

export interface WallClock {
  day: CalendarDay;
  /** Minutes since local midnight as the clock reads them: 10:00 is 600 on any day. */
  minutes: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(zone, formatter);
  }
  return formatter;
}

function fields(time: number, zone: string) {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(new Date(time))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 1970,
    month: values.month ?? 1,
    day: values.day ?? 1,
    // Some engines still write midnight as 24 with h23.
    hour: (values.hour ?? 0) % 24,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function toTime(instant: string | Date | number): number {
  return typeof instant === 'number' ? instant : new Date(instant).getTime();
}

/** The local day and clock minutes of an instant in `zone`. */
export function wallClock(instant: string | Date | number, zone: string): WallClock {
  const f = fields(toTime(instant), zone);
  return { day: `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`, minutes: f.hour * 60 + f.minute + f.second / 60 };
}

/** The zone's offset from UTC at that instant, in minutes (Berlin: 60 in winter, 120 in summer). */
export function offsetMinutes(instant: string | Date | number, zone: string): number {
  const time = toTime(instant);
  const f = fields(time, zone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(time / 1000) * 1000) / MINUTE);
}

function utcOf(day: CalendarDay): number {
  const [year, month, date] = day.split('-').map(Number);
  return Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1);
}

/**
 * The instant the clock in `zone` reads `minutes` past midnight on `day`. A time the clocks
 * skip (02:30 on a spring-forward night) moves forward by the jump, as clocks do; a time that
 * happens twice (fall-back night) is its first occurrence.
 */
export function instantAt(day: CalendarDay, minutes: number, zone: string): Date {
  const local = utcOf(day) + Math.round(minutes * MINUTE);
  const before = offsetMinutes(local - DAY_MS, zone);
  const offsets = new Set([before, offsetMinutes(local, zone), offsetMinutes(local + DAY_MS, zone)]);
  const exact = [...offsets]
    .map((offset) => local - offset * MINUTE)
    .filter((time) => {
      const clock = wallClock(time, zone);
      return clock.day === day && Math.abs(clock.minutes - minutes) < 1 / 60;
    })
    .sort((a, b) => a - b);
  return new Date(exact[0] ?? local - before * MINUTE);
}

export function addCalendarDays(day: CalendarDay, days: number): CalendarDay {
  return new Date(utcOf(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` comes first). */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((utcOf(to) - utcOf(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as the calendar (not any clock) has it. */
export function weekdayOf(day: CalendarDay): number {
  return new Date(utcOf(day)).getUTCDay();
}

export interface Bounds {
  /** The first instant of the range. */
  from: Date;
  /** The first instant after it. */
  to: Date;
}

/** The instants a local day starts and ends at: 23, 24 or 25 hours apart. */
export function dayBounds(day: CalendarDay, zone: string): Bounds {
  return { from: instantAt(day, 0, zone), to: instantAt(addCalendarDays(day, 1), 0, zone) };
}

/** Hours in the local day: 23 when the clocks go forward, 25 when they go back. */
export function hoursInDay(day: CalendarDay, zone: string): number {
  const { from, to } = dayBounds(day, zone);
  return (to.getTime() - from.getTime()) / (60 * MINUTE);
}

/** The first day of the week `day` is in; weeks start on Monday unless told otherwise. */
export function weekStart(day: CalendarDay, firstDayOfWeek = 1): CalendarDay {
  return addCalendarDays(day, -((weekdayOf(day) - firstDayOfWeek + 7) % 7));
}

export function weekDays(day: CalendarDay, firstDayOfWeek = 1): CalendarDay[] {
  const first = weekStart(day, firstDayOfWeek);
  return Array.from({ length: 7 }, (_, index) => addCalendarDays(first, index));
}

/** From the first instant of the week's first local day to the first of the next week. */
export function weekBounds(day: CalendarDay, zone: string, firstDayOfWeek = 1): Bounds {
  const first = weekStart(day, firstDayOfWeek);
  return { from: instantAt(first, 0, zone), to: instantAt(addCalendarDays(first, 7), 0, zone) };
}

export interface ClockChange {
  /** Offsets before and after, e.g. "GMT+1" → "GMT+2". */
  before: number;
  after: number;
  hours: number;
}

/** How the clocks change on `day` in `zone`, or null on an ordinary day. */
export function clockChangeOn(day: CalendarDay, zone: string): ClockChange | null {
  const { from, to } = dayBounds(day, zone);
  const before = offsetMinutes(from, zone);
  const after = offsetMinutes(to.getTime() - 1, zone);
  if (before === after) return null;
  return { before, after, hours: (to.getTime() - from.getTime()) / (60 * MINUTE) };
}

/** "GMT+2", "GMT-3:30", "GMT" for an offset in minutes. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'GMT';
  const sign = minutes > 0 ? '+' : '-';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `GMT${sign}${hours}${rest ? `:${pad(rest)}` : ''}`;
}

export interface Placement {
  /** The local day the appointment starts on. */
  day: CalendarDay;
  /** Clock minutes of its start since local midnight: where it sits on the day's grid. */
  top: number;
  /** Its length on the grid in minutes, cut at the end of the local day. */
  length: number;
  /** The grid row (hour of the clock) it starts in. */
  row: number;
}

/**
 * Where an appointment sits on a day's grid, rows being the hours of the clock. Its start is
 * read on the local clock (10:00 sits on the 10:00 line whatever the day's length); its
 * height is its real duration.
 */
export function placeOnDay(start: string, end: string, zone: string): Placement {
  const clock = wallClock(start, zone);
  const duration = (toTime(end) - toTime(start)) / MINUTE;
  return {
    day: clock.day,
    top: clock.minutes,
    length: Math.max(0, Math.min(duration, 24 * 60 - clock.minutes)),
    row: Math.floor(clock.minutes / 60),
  };
}
