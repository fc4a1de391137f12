import { daysInRange, formatRange, isCalendarDay, presetRange, rangeFromParams, rangeProblem } from './range';

const params = (query: string) => new URLSearchParams(query);

describe('presetRange', () => {
  it('counts the last days back from the business’s today, today included', () => {
    expect(presetRange('7d', '2026-12-03')).toEqual({ from: '2026-11-27', to: '2026-12-03' });
    expect(presetRange('30d', '2026-12-03')).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(daysInRange(presetRange('30d', '2026-03-01'))).toBe(30);
  });

  it('takes this month whole, upcoming appointments included', () => {
    expect(presetRange('month', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});

describe('rangeFromParams', () => {
  it('defaults to the last 30 days', () => {
    expect(rangeFromParams(params(''), '2026-12-03')).toEqual({
      from: '2026-11-04',
      to: '2026-12-03',
      choice: '30d',
      problem: null,
    });
  });

  it('reads a preset relative to today', () => {
    expect(rangeFromParams(params('range=7d'), '2026-12-03')).toMatchObject({ from: '2026-11-27', choice: '7d' });
    expect(rangeFromParams(params('range=month'), '2026-12-03')).toMatchObject({ to: '2026-12-31', choice: 'month' });
  });

  it('reads a custom range', () => {
    expect(rangeFromParams(params('from=2026-10-01&to=2026-10-15'), '2026-12-03')).toEqual({
      from: '2026-10-01',
      to: '2026-10-15',
      choice: 'custom',
      problem: null,
    });
  });

  it('falls back and says why for a range it cannot use', () => {
    for (const query of ['from=2026-02-30&to=2026-03-01', 'from=yesterday&to=2026-03-01', 'from=2026-03-01', 'range=year']) {
      const range = rangeFromParams(params(query), '2026-12-03');
      expect(range.choice).toBe('30d');
      expect(range.problem).toMatch(/not valid/);
    }
    expect(rangeFromParams(params('from=2026-03-02&to=2026-03-01'), '2026-12-03').problem).toMatch(/after the last/);
    expect(rangeFromParams(params('from=2024-01-01&to=2026-03-01'), '2026-12-03').problem).toMatch(/at most 366/);
  });
});

describe('helpers', () => {
  it('checks calendar days', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay(null)).toBe(false);
  });

  it('allows a single day and a full leap year', () => {
    expect(rangeProblem({ from: '2026-12-03', to: '2026-12-03' })).toBeNull();
    expect(rangeProblem({ from: '2028-01-01', to: '2028-12-31' })).toBeNull();
  });

  it('formats a range for the locale', () => {
    expect(formatRange({ from: '2026-11-04', to: '2026-12-03' }, 'en-GB').replace(/\s/g, ' ')).toBe('4 Nov – 3 Dec 2026');
    expect(formatRange({ from: '2026-12-03', to: '2026-12-03' }, 'en-GB')).toBe('3 Dec 2026');
  });
});
