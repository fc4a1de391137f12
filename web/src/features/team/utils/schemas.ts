import * as z from 'zod/mini';

// api/auth/schemas.py: passwords are 8 to 128 characters; new logins are staff or admins.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const newLoginSchema = z.object({
  email: z.email('Enter a valid email address').check(z.maxLength(320, 'Use at most 320 characters')),
  password: z
    .string()
    .check(
      z.minLength(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`),
      z.maxLength(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`),
    ),
  role: z.enum(['staff', 'admin'], 'Choose a role'),
});

export type NewLogin = z.infer<typeof newLoginSchema>;
