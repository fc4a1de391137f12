// zod/mini: the same validation as zod at a fraction of the bundle size.
import * as z from 'zod/mini';
import { toE164 } from './phone';

// The API refuses control characters in a name, and in a note all but line breaks.
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

export const NOTE_MAX_LENGTH = 1000;

export const customerDetailsSchema = z
  .object({
    name: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'Enter your name'),
        z.maxLength(255, 'Use at most 255 characters'),
        z.refine((name) => !CONTROL_CHARACTERS.test(name), 'Use letters, spaces and punctuation only, on one line'),
      ),
    email: z.union([z.literal(''), z.email('Enter a valid email address').check(z.maxLength(320))]),
    phoneCountry: z.nullable(z.string()),
    phone: z.string().check(z.trim(), z.maxLength(40, 'Use at most 40 characters')),
    note: z
      .string()
      .check(
        z.maxLength(NOTE_MAX_LENGTH, `Use at most ${NOTE_MAX_LENGTH} characters`),
        z.refine((note) => !CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS.test(note), 'Remove special control characters'),
      ),
  })
  .check(
    z.superRefine((details, ctx) => {
      if (!details.email && !details.phone) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address or a phone number', input: details });
        return;
      }
      if (details.phone) {
        const phone = toE164(details.phoneCountry, details.phone);
        if (!phone.ok) ctx.addIssue({ code: 'custom', path: ['phone'], message: phone.message, input: details });
      }
    }),
  );

export type CustomerDetailsInput = z.input<typeof customerDetailsSchema>;
export type CustomerDetails = z.output<typeof customerDetailsSchema>;

/** The booking request's customer part, with the phone number in E.164. */
export function toCustomerInfo(details: CustomerDetails): { name: string; email: string | null; phone: string | null } {
  const phone = details.phone ? toE164(details.phoneCountry, details.phone) : null;
  return {
    name: details.name,
    email: details.email || null,
    phone: phone?.ok ? phone.e164 : null,
  };
}

/** API field paths (`customer_info.phone`) to this form's field names. */
export function formFieldOf(apiField: string): keyof CustomerDetailsInput | null {
  const name = apiField.replace(/^body\./, '').replace(/^customer_info\./, '');
  return (['name', 'email', 'phone', 'note'] as const).find((field) => field === name) ?? null;
}
