import { formatDate, formatMoney, minorUnitDigits, usageLevel, usagePercent } from './format';

const spaces = (text: string) => text.replace(/\s/g, ' ');

describe('formatMoney', () => {
  it('turns Stripe minor units into the currency’s amount for the locale', () => {
    expect(formatMoney(2900, 'usd', 'en-US')).toBe('$29.00');
    expect(spaces(formatMoney(2900, 'eur', 'de-DE'))).toBe('29,00 €');
    expect(formatMoney(1500, 'gbp', 'en-GB')).toBe('£15.00');
  });

  it('knows currencies without minor units', () => {
    expect(minorUnitDigits('jpy')).toBe(0);
    expect(formatMoney(2900, 'jpy', 'en-US')).toBe('¥2,900');
  });
});

describe('formatDate', () => {
  it('shows the day in the business’s zone', () => {
    // 23:30 UTC on 3 Dec is already 4 Dec in Berlin.
    expect(formatDate('2026-12-03T23:30:00Z', 'Europe/Berlin', 'en-GB')).toBe('4 Dec 2026');
    expect(formatDate('2026-12-03T23:30:00Z', 'America/New_York', 'en-GB')).toBe('3 Dec 2026');
  });
});

describe('usage', () => {
  it('is close from 80 % and reached at the limit', () => {
    expect(usageLevel(79, 100)).toBe('ok');
    expect(usageLevel(80, 100)).toBe('close');
    expect(usageLevel(100, 100)).toBe('reached');
    expect(usageLevel(500, null)).toBe('ok');
  });

  it('caps the bar at 100 %', () => {
    expect(usagePercent(42, 100)).toBe(42);
    expect(usagePercent(130, 100)).toBe(100);
  });
});
