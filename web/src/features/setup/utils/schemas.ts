// zod/mini, with the limits of api/business/schemas.py, so forms refuse what the API would.
import * as z from 'zod/mini';
import { UNIT_MINUTES } from './format';
import { countIntervals, MAX_DAY_INTERVALS, MAX_WEEK_INTERVALS, validateDay, validateWeek, type Interval, type Week } from './hours';

/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/;
const CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

export const MAX_REMINDER_OFFSET = 60 * 24 * 30;
export const MAX_REMINDERS = 5;
export const MAX_BUFFER = 240;
export const MAX_DURATION = 24 * 60;
export const MAX_PRICE = 99_999_999.99;
export const MAX_HORIZON_DAYS = 730;
export const MAX_MIN_NOTICE = 60 * 24 * 30;
export const MIN_SLOT_INTERVAL = 5;
export const MAX_SLOT_INTERVAL = 24 * 60;
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const oneLine = (missing: string, max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, missing),
      z.maxLength(max, `Use at most ${max} characters`),
      z.refine((value) => !CONTROL_CHARACTERS.test(value), 'Use one line of text without special characters'),
    );

const wholeNumber = (missing: string, min: number, max: number, unit: string) =>
  z
    .number(missing)
    .check(
      z.int(`Use whole ${unit}`),
      z.gte(min, `Use at least ${min} ${unit}`),
      z.lte(max, `Use at most ${max} ${unit}`),
    );

export const serviceSchema = z.object({
  name: oneLine('Name the service, e.g. Haircut', 200),
  description: z
    .string()
    .check(
      z.maxLength(2000, 'Use at most 2000 characters'),
      z.refine((value) => !CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS.test(value), 'Remove special control characters'),
    ),
  duration_minutes: wholeNumber('Enter how many minutes it takes', 1, MAX_DURATION, 'minutes'),
  price: z
    .number('Enter a price (0 if it is free)')
    .check(
      z.gte(0, 'The price cannot be negative'),
      z.lte(MAX_PRICE, 'The price is too high'),
      z.refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'Use at most 2 decimals'),
    ),
  buffer_before_minutes: wholeNumber('Enter 0 for no buffer', 0, MAX_BUFFER, 'minutes'),
  buffer_after_minutes: wholeNumber('Enter 0 for no buffer', 0, MAX_BUFFER, 'minutes'),
});

export type ServiceValues = z.infer<typeof serviceSchema>;

export const staffNameSchema = oneLine('Enter their name', 200);

export const profileSchema = z.object({
  name: oneLine('Enter your business name', 200),
  slug: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Choose the address of your booking page'),
      z.maxLength(80, 'Use at most 80 characters'),
      z.regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens, e.g. salon-ada'),
    ),
  timezone: z.string().check(z.minLength(1, 'Choose the time zone your business works in'), z.maxLength(64)),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Choose the currency of your prices')),
  address: z
    .string()
    .check(
      z.trim(),
      z.maxLength(300, 'Use at most 300 characters'),
      z.refine((value) => !CONTROL_CHARACTERS.test(value), 'Write the address on one line'),
    ),
  /** '' stands for "the time zone's country". */
  country: z.string().check(z.refine((value) => value === '' || /^[A-Z]{2}$/.test(value), 'Choose a country')),
});

export type ProfileValues = z.infer<typeof profileSchema>;

/** What the setup guide's first step asks: the profile without the booking page address. */
export const businessDetailsSchema = z.pick(profileSchema, { name: true, timezone: true, currency: true, address: true, country: true });

export type BusinessDetailsValues = z.infer<typeof businessDetailsSchema>;

export const remindersSchema = z.object({
  reminder_offsets_minutes: z
    .array(z.number().check(z.int(), z.gte(1), z.lte(MAX_REMINDER_OFFSET)))
    .check(
      z.maxLength(MAX_REMINDERS, `At most ${MAX_REMINDERS} reminders`),
      z.refine((offsets) => new Set(offsets).size === offsets.length, 'Each reminder time only once'),
    ),
  reminder_channels: z.array(z.enum(['email', 'sms'])).check(z.minLength(1, 'Choose at least one way to remind customers')),
});

export type ReminderValues = z.infer<typeof remindersSchema>;

export const bookingRulesSchema = z
  .object({
    booking_horizon_days: wholeNumber('Enter a number of days', 1, MAX_HORIZON_DAYS, 'days'),
    min_notice_amount: z.number('Enter 0 for no minimum').check(z.int('Use a whole number'), z.gte(0, 'Use 0 or more')),
    min_notice_unit: z.enum(['minutes', 'hours', 'days']),
    /** null: one slot per service length. */
    slot_interval_minutes: z.nullable(wholeNumber('Enter minutes', MIN_SLOT_INTERVAL, MAX_SLOT_INTERVAL, 'minutes')),
  })
  .check(
    z.refine((values) => values.min_notice_amount * UNIT_MINUTES[values.min_notice_unit] <= MAX_MIN_NOTICE, {
      path: ['min_notice_amount'],
      message: 'Use at most 30 days',
    }),
  );

export type BookingRuleValues = z.infer<typeof bookingRulesSchema>;

const interval = z.object({ start: z.string(), end: z.string() });

/** A week of hours: each problem lands on its input (path [day, index, "start" | "end"]). */
export const weekSchema = z.array(z.array(interval)).check(
  z.superRefine((week: Week, ctx) => {
    for (const issue of validateWeek(week)) {
      ctx.addIssue({ code: 'custom', path: [issue.day, issue.index, issue.field], message: issue.message, input: week });
    }
    if (countIntervals(week) > MAX_WEEK_INTERVALS) {
      ctx.addIssue({ code: 'custom', message: `Use at most ${MAX_WEEK_INTERVALS} time ranges a week`, input: week });
    }
  }),
);

/** One date's hours: problems at [index, "start" | "end"]. */
export const dayHoursSchema = z.array(interval).check(
  z.superRefine((intervals: Interval[], ctx) => {
    for (const issue of validateDay(intervals)) {
      ctx.addIssue({ code: 'custom', path: [issue.index, issue.field], message: issue.message, input: intervals });
    }
    if (intervals.length > MAX_DAY_INTERVALS) {
      ctx.addIssue({ code: 'custom', message: `Use at most ${MAX_DAY_INTERVALS} time ranges a day`, input: intervals });
    }
  }),
);

export const staffSchema = z.object({ name: staffNameSchema, week: weekSchema });

export type StaffValues = z.infer<typeof staffSchema>;
