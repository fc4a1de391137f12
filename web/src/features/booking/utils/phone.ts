import {
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/min';

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

export function isCountryCode(value: string | null | undefined): value is CountryCode {
  return !!value && (getCountries() as string[]).includes(value);
}

/**
 * The number the visitor typed, in E.164 ("+4917012345678"). A number typed with its own
 * "+" prefix keeps that country; otherwise the chosen country's calling code applies.
 */
export function toE164(country: string | null, typed: string): PhoneResult {
  const number = typed.trim();
  if (!number) return { ok: false, message: 'Enter a phone number' };
  const defaultCountry = isCountryCode(country) ? country : undefined;
  if (!defaultCountry && !number.startsWith('+')) {
    return { ok: false, message: 'Choose the country of this number, or start it with + and its country code' };
  }
  const parsed = parsePhoneNumberFromString(number, defaultCountry);
  if (!parsed || !parsed.isValid()) return { ok: false, message: 'This does not look like a valid phone number' };
  return { ok: true, e164: parsed.number };
}

export interface CountryOption {
  value: CountryCode;
  label: string;
}

/** Every country with its calling code, named in the visitor's language, sorted by name. */
export function countryOptions(locale?: string): CountryOption[] {
  const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' });
  return getCountries()
    .map((code) => ({ value: code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}
