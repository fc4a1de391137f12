import {
  addDays,
  dayInZone,
  formatTime,
  formatTimeRange,
  groupByDayInZone,
  monthBounds,
  offsetsAmong,
  visitorTime,
  zoneLabel,
  zoneOffset,
} from './datetime';

describe('dayInZone', () => {
  it('reads the calendar day on the zone’s clock, not UTC’s', () => {
    // 23:30 UTC on 4 Dec is already 5 Dec in Berlin, still 4 Dec in New York.
    expect(dayInZone('2026-12-04T23:30:00Z', 'Europe/Berlin')).toBe('2026-12-05');
    expect(dayInZone('2026-12-04T23:30:00Z', 'America/New_York')).toBe('2026-12-04');
  });
});

describe('groupByDayInZone', () => {
  it('groups slots by the day they start on in the business zone, in time order', () => {
    const slots = [
      { start: '2026-12-05T00:30:00+01:00', end: '2026-12-05T01:30:00+01:00' },
      { start: '2026-12-04T09:00:00+01:00', end: '2026-12-04T10:00:00+01:00' },
      { start: '2026-12-04T23:00:00+01:00', end: '2026-12-05T00:00:00+01:00' },
    ];
    const groups = groupByDayInZone(slots, 'Europe/Berlin');
    expect(groups.map((group) => group.day)).toEqual(['2026-12-04', '2026-12-05']);
    expect(groups[0]?.slots.map((slot) => slot.start)).toEqual([
      '2026-12-04T09:00:00+01:00',
      '2026-12-04T23:00:00+01:00',
    ]);
  });

  it('puts the same instants on other days for a zone far away', () => {
    const slots = [{ start: '2026-12-04T09:00:00+01:00', end: '2026-12-04T10:00:00+01:00' }];
    expect(groupByDayInZone(slots, 'Pacific/Auckland')[0]?.day).toBe('2026-12-04');
    expect(groupByDayInZone(slots, 'Pacific/Honolulu')[0]?.day).toBe('2026-12-03');
  });
});

describe('formatting a slot', () => {
  it('shows the business’s wall-clock time whatever the visitor’s zone', () => {
    expect(formatTime('2026-12-04T09:00:00+01:00', 'Europe/Berlin', 'en-GB')).toBe('09:00');
    expect(formatTime('2026-12-04T09:00:00+01:00', 'America/New_York', 'en-GB')).toBe('03:00');
  });

  it('writes a range with its day', () => {
    expect(formatTimeRange('2026-12-04T09:00:00+01:00', '2026-12-04T10:00:00+01:00', 'Europe/Berlin', 'en-GB')).toMatch(
      /^Friday,? 4 December 2026, 09:00 – 10:00$/,
    );
  });
});

describe('zone labels', () => {
  it('names the zone with its offset at that instant', () => {
    expect(zoneLabel('2026-12-04T09:00:00+01:00', 'Europe/Berlin')).toBe('Europe/Berlin (GMT+1)');
    expect(zoneLabel('2026-07-04T09:00:00+02:00', 'Europe/Berlin')).toBe('Europe/Berlin (GMT+2)');
  });

  it('finds both offsets on the day the clocks go forward', () => {
    // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    const day = ['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T09:00:00+02:00'];
    expect(offsetsAmong(day, 'Europe/Berlin')).toEqual(['GMT+1', 'GMT+2']);
    expect(zoneOffset(day[2] ?? '', 'Europe/Berlin')).toBe('GMT+2');
  });

  it('keeps one offset on an ordinary day', () => {
    expect(offsetsAmong(['2026-12-04T09:00:00+01:00', '2026-12-04T17:00:00+01:00'], 'Europe/Berlin')).toEqual([
      'GMT+1',
    ]);
  });
});

describe('visitorTime', () => {
  const slot = '2026-12-04T09:00:00+01:00';

  it('is absent when the visitor is in the business’s zone', () => {
    expect(visitorTime(slot, 'Europe/Berlin', 'Europe/Berlin', 'en-GB')).toBeNull();
  });

  it('is absent when another zone’s clock reads the same', () => {
    expect(visitorTime(slot, 'Europe/Berlin', 'Europe/Paris', 'en-GB')).toBeNull();
  });

  it('gives the visitor’s time when it differs', () => {
    expect(visitorTime(slot, 'Europe/Berlin', 'America/New_York', 'en-GB')).toEqual({ time: '03:00', otherDay: null });
  });

  it('names the visitor’s day when the instant falls on another day there', () => {
    // 09:00 in Berlin is 22:00 the evening before in Honolulu.
    expect(visitorTime(slot, 'Europe/Berlin', 'Pacific/Honolulu', 'en-GB')).toEqual({
      time: '22:00',
      otherDay: '2026-12-03',
    });
  });
});

describe('calendar days', () => {
  it('bounds a month, leap February included', () => {
    expect(monthBounds('2028-02-17')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthBounds('2026-12-01')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('adds days across a clock change and a year end', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
