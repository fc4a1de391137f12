import type { QueryClient } from '@tanstack/react-query';
import { ownerKeys } from '@/lib/session';

/** Query keys of the business's setup; ownerKeys.profile (['business', 'profile']) is the profile's. */
export const setupKeys = {
  services: ['business', 'services'] as const,
  staff: ['business', 'staff'] as const,
  staffMember: (staffId: string) => ['business', 'staff', staffId] as const,
  overrides: (staffId: string) => ['business', 'staff', staffId, 'overrides'] as const,
};

/**
 * `/app` decides between the setup guide and the calendar from whether services and staff
 * exist; a cached answer must not outlive a change to either.
 */
export function forgetSetupState(queryClient: QueryClient): void {
  queryClient.removeQueries({ queryKey: ownerKeys.setupState });
}
