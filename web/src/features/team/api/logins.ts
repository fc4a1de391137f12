import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api';
import type { Login } from '@/lib/session';
import type { NewLogin } from '../utils/schemas';

export const teamKeys = {
  logins: ['auth', 'users'] as const,
};

export function useLogins() {
  return useQuery({
    queryKey: teamKeys.logins,
    queryFn: () => unwrap(api.GET('/api/v1/auth/users')),
    staleTime: 0,
  });
}

/** Puts the changed login in the cached list, then checks the list against the server. */
function useReplaceLogin() {
  const queryClient = useQueryClient();
  return (changed: Login) => {
    queryClient.setQueryData<Login[]>(teamKeys.logins, (logins) =>
      logins?.map((login) => (login.id === changed.id ? changed : login)),
    );
    return queryClient.invalidateQueries({ queryKey: teamKeys.logins });
  };
}

export function useCreateLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewLogin) => unwrap(api.POST('/api/v1/auth/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.logins }),
  });
}

export type LoginChange = { role: 'admin' | 'staff' | 'owner' } | { is_active: true };

export function useUpdateLogin(userId: string) {
  const queryClient = useQueryClient();
  const replace = useReplaceLogin();
  return useMutation({
    mutationFn: (body: LoginChange) =>
      unwrap(api.PATCH('/api/v1/auth/users/{user_id}', { params: { path: { user_id: userId } }, body })),
    onSuccess: replace,
    // A refusal may come from a list that changed meanwhile (another manager, a removed login).
    onError: () => queryClient.invalidateQueries({ queryKey: teamKeys.logins }),
  });
}

export function useDeactivateLogin(userId: string) {
  const queryClient = useQueryClient();
  const replace = useReplaceLogin();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/auth/users/{user_id}', { params: { path: { user_id: userId } } })),
    onSuccess: replace,
    onError: () => queryClient.invalidateQueries({ queryKey: teamKeys.logins }),
  });
}
