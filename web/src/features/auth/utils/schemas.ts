import * as z from 'zod/mini';

// api/auth/schemas.py: passwords are 8 to 128 characters.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const newPasswordSchema = z
  .object({
    password: z
      .string()
      .check(
        z.minLength(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`),
        z.maxLength(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`),
      ),
    repeat: z.string(),
  })
  .check(
    z.refine((values) => values.password === values.repeat, {
      path: ['repeat'],
      message: 'The two passwords differ',
    }),
  );

export type NewPassword = z.infer<typeof newPasswordSchema>;

export const signInSchema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().check(z.minLength(1, 'Enter your password'), z.maxLength(PASSWORD_MAX_LENGTH)),
});

export type SignIn = z.infer<typeof signInSchema>;

export const signUpSchema = z.object({
  business_name: z.string().check(z.trim(), z.minLength(1, 'Enter your business name'), z.maxLength(200)),
  timezone: z.string().check(z.minLength(1, 'Choose the time zone your business works in')),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Choose the currency of your prices')),
  email: z.email('Enter a valid email address'),
  password: z
    .string()
    .check(
      z.minLength(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`),
      z.maxLength(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`),
    ),
});

export type SignUp = z.infer<typeof signUpSchema>;

export const forgotPasswordSchema = z.object({ email: z.email('Enter a valid email address') });

export type ForgotPassword = z.infer<typeof forgotPasswordSchema>;
