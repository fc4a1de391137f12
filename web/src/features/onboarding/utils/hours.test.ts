import {
  PRESETS,
  copyDay,
  emptyWeek,
  formatClock,
  fromWorkingHours,
  nextInterval,
  normalizeClock,
  parseClock,
  summarizeWeek,
  toWorkingHours,
  validateDay,
  validateWeek,
  weekOf,
  type Week,
} from './hours';

const lunchBreak = [
  { start: '09:00', end: '12:30' },
  { start: '13:30', end: '18:00' },
];

describe('parseClock', () => {
  it('reads HH:MM from 00:00 to 24:00', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('23:59')).toBe(1439);
    expect(parseClock('24:00')).toBe(1440);
  });

  it('refuses what the API refuses', () => {
    for (const value of ['9:00', '24:01', '25:00', '12:60', '12', '', ' 09:00', '09:00 ']) {
      expect(parseClock(value)).toBeNull();
    }
  });
});

describe('normalizeClock', () => {
  it('turns what people type into HH:MM', () => {
    expect(normalizeClock('9')).toBe('09:00');
    expect(normalizeClock('9:30')).toBe('09:30');
    expect(normalizeClock('9.30')).toBe('09:30');
    expect(normalizeClock('930')).toBe('09:30');
    expect(normalizeClock(' 1730 ')).toBe('17:30');
    expect(normalizeClock('24')).toBe('24:00');
  });

  it('leaves what it cannot read for validation to refuse', () => {
    expect(normalizeClock('24:30')).toBe('24:30');
    expect(normalizeClock('noon')).toBe('noon');
    expect(normalizeClock('9:5')).toBe('9:5');
  });
});

describe('validateDay', () => {
  it('accepts a day with a lunch break and one that ends at 24:00', () => {
    expect(validateDay(lunchBreak)).toEqual([]);
    expect(validateDay([{ start: '18:00', end: '24:00' }])).toEqual([]);
  });

  it('marks a malformed time on its own input', () => {
    expect(validateDay([{ start: '9am', end: '25:00' }], 2)).toEqual([
      { day: 2, index: 0, field: 'start', message: 'Use HH:MM, e.g. 09:00' },
      { day: 2, index: 0, field: 'end', message: 'Use HH:MM, up to 24:00' },
    ]);
  });

  it('wants the end after the start', () => {
    expect(validateDay([{ start: '12:00', end: '12:00' }])).toEqual([
      { day: 0, index: 0, field: 'end', message: 'Must be after the start (12:00)' },
    ]);
    expect(validateDay([{ start: '17:00', end: '09:00' }])[0]?.field).toBe('end');
  });

  it('reports an overlap on the later range, whatever the order they were entered in', () => {
    const issues = validateDay([
      { start: '13:00', end: '18:00' },
      { start: '09:00', end: '13:30' },
    ]);
    expect(issues).toEqual([{ day: 0, index: 0, field: 'start', message: 'Overlaps 09:00–13:30' }]);
  });

  it('lets ranges touch: one may end where the next starts', () => {
    expect(
      validateDay([
        { start: '09:00', end: '12:00' },
        { start: '12:00', end: '15:00' },
      ]),
    ).toEqual([]);
  });
});

describe('validateWeek', () => {
  it('names the day of each problem', () => {
    const week = emptyWeek();
    week[4] = [
      { start: '09:00', end: '17:00' },
      { start: '16:00', end: '18:00' },
    ];
    expect(validateWeek(week)).toEqual([{ day: 4, index: 1, field: 'start', message: 'Overlaps 09:00–17:00' }]);
  });
});

describe('serialisation', () => {
  it('writes the API list by day and start, whatever the order on screen', () => {
    const week = emptyWeek();
    week[0] = [lunchBreak[1]!, lunchBreak[0]!];
    week[5] = [{ start: '10:00', end: '14:00' }];
    expect(toWorkingHours(week)).toEqual([
      { day_of_week: 0, start_time: '09:00', end_time: '12:30' },
      { day_of_week: 0, start_time: '13:30', end_time: '18:00' },
      { day_of_week: 5, start_time: '10:00', end_time: '14:00' },
    ]);
  });

  it('normalises loosely typed times on the way out', () => {
    const week = weekOf([2], [{ start: '9', end: '17.30' }]);
    expect(toWorkingHours(week)).toEqual([{ day_of_week: 2, start_time: '09:00', end_time: '17:30' }]);
  });

  it('reads the API list back into the same week', () => {
    const week = weekOf([0, 1, 2, 3, 4], lunchBreak);
    const items = toWorkingHours(week);
    expect(fromWorkingHours([...items].reverse())).toEqual(week);
  });

  it('has seven days even for a member without hours', () => {
    expect(fromWorkingHours([])).toEqual([[], [], [], [], [], [], []]);
  });
});

describe('presets and copying', () => {
  it('"Mon–Fri 9–17" opens the weekdays only', () => {
    const preset = PRESETS.find((candidate) => candidate.label === 'Mon–Fri 9–17')!;
    expect(toWorkingHours(preset.week)).toHaveLength(5);
    expect(preset.week[5]).toEqual([]);
    expect(preset.week[6]).toEqual([]);
  });

  it('copies a day onto others, replacing their hours and leaving the rest', () => {
    const week: Week = weekOf([0], lunchBreak);
    week[6] = [{ start: '10:00', end: '12:00' }];
    const copied = copyDay(week, 0, [1, 2, 3, 4]);
    expect(copied[3]).toEqual(lunchBreak);
    expect(copied[6]).toEqual([{ start: '10:00', end: '12:00' }]);
    copied[1]![0]!.start = '08:00';
    expect(copied[0]![0]!.start).toBe('09:00');
  });

  it('suggests the next range after the day\'s last, within the day', () => {
    expect(nextInterval([])).toEqual({ start: '09:00', end: '17:00' });
    expect(nextInterval([{ start: '09:00', end: '12:30' }])).toEqual({ start: '13:30', end: '14:30' });
    expect(nextInterval([{ start: '09:00', end: '24:00' }])).toEqual({ start: '23:00', end: '24:00' });
  });
});

describe('summarizeWeek', () => {
  it('joins days with the same hours and leaves out days off', () => {
    const week = weekOf([0, 1, 2, 3, 4], lunchBreak);
    week[5] = [{ start: '10:00', end: '14:00' }];
    expect(summarizeWeek(week, 'en-GB')).toEqual(['Mon–Fri: 09:00–12:30, 13:30–18:00', 'Sat: 10:00–14:00']);
  });

  it('writes times as the locale does', () => {
    expect(formatClock('13:30', 'en-US')).toBe('01:30 PM');
    expect(formatClock('24:00', 'en-GB')).toBe('24:00');
    expect(summarizeWeek(emptyWeek(), 'en-GB')).toEqual([]);
  });
});
