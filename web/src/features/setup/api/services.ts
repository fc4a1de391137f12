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

/** Every service, the offered ones by name and then the archived ones by name. */
export function useAllServices() {
  return useQuery({
    queryKey: [...setupKeys.services, 'with-archived'] as const,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/business/services', { params: { query: { include_archived: true } }, signal })),
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

/**
 * Archives the service (the API keeps it; `DELETE` only archives): it leaves the booking page and
 * can no longer be booked, its appointments stay and can still be moved or cancelled.
 */
export function useArchiveService() {
  return useServiceChange((id: string) =>
    unwrap(api.DELETE('/api/v1/business/services/{service_id}', { params: { path: { service_id: id } } })),
  );
}

/** Offers an archived service on the booking page again. */
export function useRestoreService() {
  return useServiceChange((id: string) =>
    unwrap(
      api.PATCH('/api/v1/business/services/{service_id}', {
        params: { path: { service_id: id } },
        body: { archived: false },
      }),
    ),
  );
}
