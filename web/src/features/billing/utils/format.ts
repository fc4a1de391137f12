/** Money and dates on the billing page, in the visitor's locale. */

/** Digits after the decimal point of a currency's minor unit: 2 for USD and EUR, 0 for JPY. */
export function minorUnitDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units (Stripe's cents) with its currency, e.g. 2900 usd → "US$29.00". */
export function formatMoney(minorAmount: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  const value = minorAmount / 10 ** minorUnitDigits(code);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: code }).format(value);
  } catch {
    return `${value.toFixed(2)} ${code}`;
  }
}

/** The calendar day of an instant in the business's zone, e.g. "3 Dec 2026". */
export function formatDate(instant: string, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(instant),
  );
}

/** "December 2026": the month an instant falls in, in the business's zone. */
export function formatMonth(instant: Date, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, month: 'long', year: 'numeric' }).format(instant);
}

export type UsageLevel = 'ok' | 'close' | 'reached';

/** How close this month's bookings are to the plan's limit (80 % and up is close). */
export function usageLevel(used: number, limit: number | null): UsageLevel {
  if (limit === null) return 'ok';
  if (used >= limit) return 'reached';
  return used >= limit * 0.8 ? 'close' : 'ok';
}

export function usagePercent(used: number, limit: number): number {
  if (limit <= 0) return 100;
  return Math.min(100, Math.round((used / limit) * 100));
}
