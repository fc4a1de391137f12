import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api';
import { startSession } from '@/lib/session';

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: { token: string; new_password: string }) =>
      unwrap(api.POST('/api/v1/auth/password-reset/confirm', { body })),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: { email: string }) => unwrap(api.POST('/api/v1/auth/password-reset', { body })),
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (data) => startSession(data.access_token),
  });
}

/** Asks for a sign-up: the API answers alike whether or not the address has an account, and
 * emails either a confirmation link or a note that the account exists. */
export function useRegister() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; business_name: string; timezone: string; currency: string }) =>
      unwrap(api.POST('/api/v1/auth/register', { body })),
  });
}

/** Confirms a sign-up with the token from its email; the owner is signed in. */
export function useConfirmSignUp() {
  return useMutation({
    mutationFn: (body: { token: string }) => unwrap(api.POST('/api/v1/auth/register/confirm', { body })),
    onSuccess: (data) => startSession(data.access_token),
  });
}
