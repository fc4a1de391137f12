import { formatRate, hasActivity, noShowRate, totalsOf, type DaySummary } from './summary';

function day(date: string, counts: Partial<Omit<DaySummary, 'date'>> = {}): DaySummary {
  return {
    date,
    booked: 0,
    cancelled: 0,
    completed: 0,
    no_show: 0,
    reminders_sent: 0,
    reminders_failed: 0,
    no_show_rate: null,
    ...counts,
  };
}

describe('totalsOf', () => {
  it('sums every count over the days', () => {
    const totals = totalsOf([
      day('2026-12-01', { booked: 3, cancelled: 1, completed: 1, reminders_sent: 2 }),
      day('2026-12-02'),
      day('2026-12-03', { booked: 2, no_show: 1, reminders_sent: 1, reminders_failed: 1 }),
    ]);
    expect(totals).toEqual({
      booked: 5,
      cancelled: 1,
      completed: 1,
      no_show: 1,
      reminders_sent: 3,
      reminders_failed: 1,
      noShowRate: 0.5,
    });
  });

  it('computes the no-show rate from the summed counts, not as an average of the days', () => {
    // Day one: 1 no-show of 1 closed (100 %); day two: 0 of 9 (0 %). Averaging says 50 %.
    const totals = totalsOf([
      day('2026-12-01', { no_show: 1, no_show_rate: 1 }),
      day('2026-12-02', { completed: 9, no_show_rate: 0 }),
    ]);
    expect(totals.noShowRate).toBeCloseTo(0.1);
  });

  it('leaves out cancellations and open bookings from the rate', () => {
    const totals = totalsOf([day('2026-12-01', { booked: 10, cancelled: 4, completed: 3, no_show: 1 })]);
    expect(totals.noShowRate).toBe(0.25);
  });

  it('has no rate when nothing was closed', () => {
    const totals = totalsOf([day('2026-12-01', { booked: 4, cancelled: 2 })]);
    expect(totals.noShowRate).toBeNull();
    expect(formatRate(totals.noShowRate)).toBe('—');
  });

  it('is all zeros without days', () => {
    const totals = totalsOf([]);
    expect(totals.booked).toBe(0);
    expect(totals.noShowRate).toBeNull();
    expect(hasActivity(totals)).toBe(false);
  });
});

describe('hasActivity', () => {
  it('counts reminders alone as activity', () => {
    expect(hasActivity(totalsOf([day('2026-12-01', { reminders_failed: 1 })]))).toBe(true);
  });
});

describe('noShowRate and formatRate', () => {
  it('reads as a percentage in the locale', () => {
    expect(noShowRate(2, 1)).toBeCloseTo(1 / 3);
    expect(formatRate(noShowRate(2, 1), 'en-GB')).toBe('33.3%');
    expect(formatRate(0, 'en-GB')).toBe('0%');
    expect(formatRate(1, 'de-DE')).toMatch(/^100\s%$/);
  });
});
