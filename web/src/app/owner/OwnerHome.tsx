import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { ErrorState, LoadingState } from '@/components/feedback/states';
import { api, unwrap } from '@/lib/api';
import { canManage, ownerKeys, useMe } from '@/lib/session';

/** `/app`: a business without a service or a staff member starts on the setup guide. */
export function OwnerHome() {
  const me = useMe();
  const manager = canManage(me.data?.role);
  const setup = useQuery({
    queryKey: ownerKeys.setupState,
    queryFn: async () => {
      const [services, staff] = await Promise.all([
        unwrap(api.GET('/api/v1/business/services')),
        unwrap(api.GET('/api/v1/business/staff')),
      ]);
      return { ready: services.length > 0 && staff.length > 0 };
    },
    enabled: manager,
    staleTime: 0,
  });
  if (!manager) return <Navigate to="/app/calendar" replace />;
  if (setup.isPending) return <LoadingState />;
  if (setup.isError) return <ErrorState error={setup.error} onRetry={() => setup.refetch()} />;
  return <Navigate to={setup.data.ready ? '/app/calendar' : '/app/setup'} replace />;
}
