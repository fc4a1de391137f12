import { getCountries } from 'libphonenumber-js/min';

export interface CountryOption {
  value: string;
  label: string;
}

/**
 * The countries the API accepts (those phone numbers exist for, as libphonenumber lists
 * them, like the API's own check), named in the visitor's language and sorted by name.
 */
export function countryOptions(locale?: string): CountryOption[] {
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region', fallback: 'code' });
  return getCountries()
    .map((code) => ({ value: code, label: names.of(code) ?? code }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

export function countryName(code: string | null | undefined, locale?: string): string | null {
  if (!code) return null;
  return new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region', fallback: 'code' }).of(code) ?? code;
}
