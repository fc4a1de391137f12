import { describe, expect, it } from 'vitest';
import { browserCurrency, COMMON_CURRENCIES, currencyLabel, currencyOptions, formatPrice } from './money';

// Intl puts narrow no-break spaces between amount and symbol in some locales.
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatPrice', () => {
  it('writes the amount with its currency in the given locale', () => {
    expect(formatPrice('30.00', 'EUR', 'en-US')).toBe('€30.00');
    expect(spaces(formatPrice('30.00', 'EUR', 'de-DE'))).toBe('30,00 €');
    expect(formatPrice('30.00', 'USD', 'en-US')).toBe('$30.00');
    expect(formatPrice('1234.5', 'GBP', 'en-GB')).toBe('£1,234.50');
    expect(spaces(formatPrice(12.5, 'CHF', 'de-CH'))).toBe('CHF 12.50');
  });

  it('follows the currency’s own minor unit', () => {
    expect(formatPrice('3000.00', 'JPY', 'en-US')).toBe('¥3,000');
  });

  it('shows a free service as zero in the currency', () => {
    expect(formatPrice('0.00', 'EUR', 'en-US')).toBe('€0.00');
  });

  it('uses the browser’s locale when none is given', () => {
    expect(formatPrice('30.00', 'USD')).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(30),
    );
  });

  it('keeps what is not a number as it came, and never throws on a malformed code', () => {
    expect(formatPrice('n/a', 'EUR', 'en-US')).toBe('n/a');
    expect(formatPrice('', 'EUR', 'en-US')).toBe('');
    expect(formatPrice('30.00', 'EURO', 'en-US')).toBe('30.00 EURO');
  });

  it('shows the bare amount while the currency is not known', () => {
    expect(formatPrice('30', null, 'en-US')).toBe('30.00');
    expect(formatPrice('30', undefined, 'de-DE')).toBe('30,00');
  });
});

describe('currencies to pick from', () => {
  it('are distinct ISO 4217 codes, euro first', () => {
    expect(COMMON_CURRENCIES[0]).toBe('EUR');
    expect(new Set(COMMON_CURRENCIES).size).toBe(COMMON_CURRENCIES.length);
    for (const code of COMMON_CURRENCIES) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('are named in the reader’s language', () => {
    expect(currencyLabel('EUR', 'en')).toBe('EUR — Euro');
    expect(currencyLabel('USD', 'en')).toBe('USD — US Dollar');
  });
});

describe('currencyOptions', () => {
  it('lists the common codes, the current one first when it is another', () => {
    expect(currencyOptions('EUR', 'en').map((option) => option.value)).toEqual([...COMMON_CURRENCIES]);
    const options = currencyOptions('ISK', 'en');
    expect(options[0]).toEqual({ value: 'ISK', label: 'ISK — Icelandic Króna' });
    expect(options).toHaveLength(COMMON_CURRENCIES.length + 1);
  });
});

describe('browserCurrency', () => {
  it('guesses from the language’s region, else the euro', () => {
    expect(browserCurrency('en-US')).toBe('USD');
    expect(browserCurrency('de-AT')).toBe('EUR');
    expect(browserCurrency('en-GB')).toBe('GBP');
    expect(browserCurrency('ja')).toBe('JPY'); // ja maximizes to ja-Jpan-JP
    expect(browserCurrency('is-IS')).toBe('EUR'); // not among the common ones
    expect(browserCurrency('not a language')).toBe('EUR');
  });
});
