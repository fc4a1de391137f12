import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';

export type Login = components['schemas']['UserResponse'];
export type BusinessProfile = components['schemas']['ProfileResponse'];
export type Role = 'owner' | 'admin' | 'staff';

export const ownerKeys = {
  me: ['auth', 'me'] as const,
  profile: ['business', 'profile'] as const,
  /** Whether the business has a service and a staff member (`/app` picks its first page by it). */
  setupState: ['owner-home', 'setup-state'] as const,
};

/** The signed-in login: who they are, their business and role. */
export function useMe() {
  return useQuery({ queryKey: ownerKeys.me, queryFn: () => unwrap(api.GET('/api/v1/auth/me')), staleTime: 60_000 });
}

export function useBusinessProfile() {
  return useQuery({
    queryKey: ownerKeys.profile,
    queryFn: () => unwrap(api.GET('/api/v1/business/profile')),
  });
}

/** Owners and admins change setup, the team and billing; staff logins see the calendar. */
export function canManage(role: string | undefined): boolean {
  return role === 'owner' || role === 'admin';
}
