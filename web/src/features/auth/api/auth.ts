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

export function useRegister() {
  return useMutation({
    mutationFn: (body: { email: string; password: string; business_name: string; timezone: string }) =>
      unwrap(api.POST('/api/v1/auth/register', { body })),
    onSuccess: (data) => startSession(data.access_token),
  });
}
