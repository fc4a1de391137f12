/** Prices in the business's currency, as the reader's browser writes money. */

/**
 * "€30.00" (en-US), "30,00 €" (de-DE), "$30.00": `amount` (the API's decimal string, or a
 * number) in `currency` (ISO 4217) in the browser's locale, or in `locale` when given.
 * An amount that is no number is shown as it came; while the currency is not known yet
 * (null) the bare amount "30.00" is shown, and an unknown code falls back to "30.00 XYZ"
 * rather than failing the page.
 */
export function formatPrice(amount: string | number, currency: string | null | undefined, locale?: string): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (typeof amount === 'string' && amount.trim() === '') return amount;
  if (!Number.isFinite(value)) return String(amount);
  const plain = () => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  if (!currency) return plain();
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
  } catch {
    return `${plain()} ${currency}`;
  }
}

/** ISO 4217 codes offered first when an owner picks a currency. */
export const COMMON_CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'BGN',
  'TRY',
  'JPY',
  'CNY',
  'INR',
  'SGD',
  'HKD',
  'BRL',
  'MXN',
  'ZAR',
  'AED',
  'ILS',
] as const;

/** The picker's options: the common codes, and `current` first when it is another. */
export function currencyOptions(current?: string | null, locale?: string): { value: string; label: string }[] {
  const codes: string[] = [...COMMON_CURRENCIES];
  if (current && !codes.includes(current)) codes.unshift(current);
  return codes.map((code) => ({ value: code, label: currencyLabel(code, locale) }));
}

const EURO_REGIONS = [
  'AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK',
];
const REGION_CURRENCIES: Record<string, string> = {
  ...Object.fromEntries(EURO_REGIONS.map((region) => [region, 'EUR'])),
  US: 'USD', GB: 'GBP', CH: 'CHF', LI: 'CHF', CA: 'CAD', AU: 'AUD', NZ: 'NZD', SE: 'SEK', NO: 'NOK', DK: 'DKK',
  PL: 'PLN', CZ: 'CZK', HU: 'HUF', RO: 'RON', BG: 'BGN', TR: 'TRY', JP: 'JPY', CN: 'CNY', IN: 'INR', SG: 'SGD',
  HK: 'HKD', BR: 'BRL', MX: 'MXN', ZA: 'ZAR', AE: 'AED', IL: 'ILS',
};

/** A first guess at a new business's currency: its browser's region's (en-US → USD,
 * de-AT → EUR), else the euro. The owner can change it at sign-up and in the settings. */
export function browserCurrency(language: string = typeof navigator === 'undefined' ? 'en' : navigator.language): string {
  try {
    const region = new Intl.Locale(language).maximize().region;
    return (region && REGION_CURRENCIES[region]) || 'EUR';
  } catch {
    return 'EUR';
  }
}

/** "EUR — Euro" in the browser's language, or the code alone where it has no name for it. */
export function currencyLabel(code: string, locale?: string): string {
  try {
    const name = new Intl.DisplayNames(locale, { type: 'currency' }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}
