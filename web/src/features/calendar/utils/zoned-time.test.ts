import {
  addCalendarDays,
  clockChangeOn,
  dayBounds,
  formatOffset,
  hoursInDay,
  instantAt,
  offsetMinutes,
  placeOnDay,
  wallClock,
  weekBounds,
  weekDays,
  weekStart,
} from './zoned-time';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const HOUR = 3_600_000;

// Dates derived from the calendar rules, not from the code under test, for next year: a
// literal date would go stale. EU clocks change on the last Sunday of March and October,
// US clocks on the second Sunday of March and the first Sunday of November.
const YEAR = new Date().getUTCFullYear() + 1;

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return iso(last);
}

function nthSunday(year: number, month: number, n: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1));
  first.setUTCDate(1 + ((7 - first.getUTCDay()) % 7) + 7 * (n - 1));
  return iso(first);
}

const EU_SPRING = lastSunday(YEAR, 3);
const EU_FALL = lastSunday(YEAR, 10);
const US_SPRING = nthSunday(YEAR, 3, 2);
const US_FALL = nthSunday(YEAR, 11, 1);

describe('where an instant lands on the business’s clock', () => {
  it('puts 10:00 on the spring-forward day at the 10:00 line, in the tenth-hour row', () => {
    const start = `${EU_SPRING}T10:00:00+02:00`;
    const end = `${EU_SPRING}T11:00:00+02:00`;
    expect(placeOnDay(start, end, BERLIN)).toEqual({ day: EU_SPRING, top: 600, length: 60, row: 10 });
  });

  it('puts 10:00 on the fall-back day at the 10:00 line, though 25 hours long', () => {
    const start = `${EU_FALL}T10:00:00+01:00`;
    const end = `${EU_FALL}T10:45:00+01:00`;
    expect(placeOnDay(start, end, BERLIN)).toEqual({ day: EU_FALL, top: 600, length: 45, row: 10 });
  });

  it('reads the same instant on each zone’s own clock, never the browser’s', () => {
    const instant = `${US_SPRING}T14:00:00Z`; // 10:00 EDT, the first Sunday of US summer time
    expect(wallClock(instant, NEW_YORK)).toEqual({ day: US_SPRING, minutes: 600 });
    expect(wallClock(instant, BERLIN)).toEqual({ day: US_SPRING, minutes: 15 * 60 }); // still winter in Europe
    expect(wallClock(instant, 'Asia/Kolkata')).toEqual({ day: US_SPRING, minutes: 19 * 60 + 30 });
  });

  it('puts an evening in UTC on the next local day east of it', () => {
    const placed = placeOnDay(`${YEAR}-01-15T23:30:00Z`, `${YEAR}-01-16T00:00:00Z`, BERLIN);
    expect(placed).toMatchObject({ day: `${YEAR}-01-16`, top: 30, row: 0 });
  });

  it('cuts an appointment running past midnight at the end of its day', () => {
    const placed = placeOnDay(`${YEAR}-01-15T23:30:00+01:00`, `${YEAR}-01-16T00:30:00+01:00`, BERLIN);
    expect(placed).toMatchObject({ day: `${YEAR}-01-15`, top: 23 * 60 + 30, length: 30 });
  });

  it('knows the offsets either side of the change', () => {
    expect(offsetMinutes(`${EU_SPRING}T00:59:00Z`, BERLIN)).toBe(60);
    expect(offsetMinutes(`${EU_SPRING}T01:00:00Z`, BERLIN)).toBe(120);
    expect(formatOffset(120)).toBe('GMT+2');
    expect(formatOffset(330)).toBe('GMT+5:30');
    expect(formatOffset(-210)).toBe('GMT-3:30');
    expect(formatOffset(0)).toBe('GMT');
  });
});

describe('the instant a clock time stands for', () => {
  it('turns a local time into its instant on either side of a change', () => {
    expect(instantAt(EU_SPRING, 600, BERLIN).toISOString()).toBe(new Date(`${EU_SPRING}T10:00:00+02:00`).toISOString());
    expect(instantAt(EU_FALL, 600, BERLIN).toISOString()).toBe(new Date(`${EU_FALL}T10:00:00+01:00`).toISOString());
    expect(instantAt(US_FALL, 9 * 60, NEW_YORK).toISOString()).toBe(new Date(`${US_FALL}T09:00:00-05:00`).toISOString());
  });

  it('moves a skipped time forward by the jump, and takes the first of a repeated one', () => {
    expect(instantAt(EU_SPRING, 150, BERLIN).toISOString()).toBe(new Date(`${EU_SPRING}T03:30:00+02:00`).toISOString());
    expect(instantAt(EU_FALL, 150, BERLIN).toISOString()).toBe(new Date(`${EU_FALL}T02:30:00+02:00`).toISOString());
  });
});

describe('the bounds of a local day and week', () => {
  it('gives the spring-forward day 23 hours and the fall-back day 25', () => {
    const spring = dayBounds(EU_SPRING, BERLIN);
    expect(spring.from.toISOString()).toBe(new Date(`${EU_SPRING}T00:00:00+01:00`).toISOString());
    expect(spring.to.toISOString()).toBe(new Date(`${addCalendarDays(EU_SPRING, 1)}T00:00:00+02:00`).toISOString());
    expect(hoursInDay(EU_SPRING, BERLIN)).toBe(23);
    expect(hoursInDay(EU_FALL, BERLIN)).toBe(25);
    expect(hoursInDay(US_SPRING, NEW_YORK)).toBe(23);
    expect(hoursInDay(US_FALL, NEW_YORK)).toBe(25);
    expect(hoursInDay(addCalendarDays(EU_SPRING, 1), BERLIN)).toBe(24);
  });

  it('says how the clocks change on the day they do, and nothing on other days', () => {
    expect(clockChangeOn(EU_SPRING, BERLIN)).toEqual({ before: 60, after: 120, hours: 23 });
    expect(clockChangeOn(EU_FALL, BERLIN)).toEqual({ before: 120, after: 60, hours: 25 });
    expect(clockChangeOn(addCalendarDays(EU_SPRING, -1), BERLIN)).toBeNull();
    expect(clockChangeOn(EU_SPRING, 'Asia/Tokyo')).toBeNull();
  });

  it('starts weeks on Monday and keeps the days of a week across a change', () => {
    // The EU changes fall on Sundays: the week runs from the Monday six days before.
    expect(weekStart(EU_SPRING)).toBe(addCalendarDays(EU_SPRING, -6));
    expect(weekStart(addCalendarDays(EU_SPRING, -6))).toBe(addCalendarDays(EU_SPRING, -6));
    expect(weekStart(EU_SPRING, 0)).toBe(EU_SPRING);
    expect(weekDays(EU_SPRING)).toEqual(Array.from({ length: 7 }, (_, i) => addCalendarDays(EU_SPRING, i - 6)));
  });

  it('makes the week of a change an hour shorter or longer, from local midnight to local midnight', () => {
    const spring = weekBounds(EU_SPRING, BERLIN);
    expect(spring.from.toISOString()).toBe(new Date(`${addCalendarDays(EU_SPRING, -6)}T00:00:00+01:00`).toISOString());
    expect(spring.to.toISOString()).toBe(new Date(`${addCalendarDays(EU_SPRING, 1)}T00:00:00+02:00`).toISOString());
    expect((spring.to.getTime() - spring.from.getTime()) / HOUR).toBe(167);

    const fall = weekBounds(EU_FALL, BERLIN);
    expect((fall.to.getTime() - fall.from.getTime()) / HOUR).toBe(169);

    // A US week (Sunday first) beginning on the change day itself.
    const us = weekBounds(US_SPRING, NEW_YORK, 0);
    expect(us.from.toISOString()).toBe(new Date(`${US_SPRING}T00:00:00-05:00`).toISOString());
    expect((us.to.getTime() - us.from.getTime()) / HOUR).toBe(167);
  });
});
