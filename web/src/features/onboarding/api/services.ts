import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';
import { forgetSetupState, setupKeys } from './keys';

export type Service = components['schemas']['ServiceResponse'];
export type ServiceInput = components['schemas']['ServiceCreate'];

export function useServices() {
  return useQuery({
    queryKey: setupKeys.services,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/business/services', { signal })),
  });
}

function useServiceChange<Variables>(mutationFn: (variables: Variables) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      forgetSetupState(queryClient);
      await queryClient.invalidateQueries({ queryKey: setupKeys.services });
    },
  });
}

export function useCreateService() {
  return useServiceChange((body: ServiceInput) => unwrap(api.POST('/api/v1/business/services', { body })));
}

export function useUpdateService() {
  return useServiceChange(({ id, body }: { id: string; body: ServiceInput }) =>
    unwrap(api.PATCH('/api/v1/business/services/{service_id}', { params: { path: { service_id: id } }, body })),
  );
}

/** Deletes the service for good: it leaves the booking page; booked appointments keep their copy. */
export function useDeleteService() {
  return useServiceChange((id: string) =>
    unwrap(api.DELETE('/api/v1/business/services/{service_id}', { params: { path: { service_id: id } } })),
  );
}
