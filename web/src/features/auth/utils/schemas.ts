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
