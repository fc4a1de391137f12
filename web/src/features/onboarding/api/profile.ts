import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';
import { ownerKeys } from '@/lib/session';

export type ProfileChanges = components['schemas']['ProfileUpdate'];

/** Saves part of the profile; the header's business name and every page reading it follow. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileChanges) => unwrap(api.PATCH('/api/v1/business/profile', { body })),
    onSuccess: async (profile) => {
      queryClient.setQueryData(ownerKeys.profile, profile);
      await queryClient.invalidateQueries({ queryKey: ownerKeys.profile });
    },
  });
}
