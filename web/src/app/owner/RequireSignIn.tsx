import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState, LoadingState } from '@/components/feedback/states';
import { useMe, useSession } from '@/lib/session';

/**
 * Owner pages need a session. Without one (never signed in, signed out, or the token was
 * refused) the owner goes to sign-in, which says why and brings them back here afterwards.
 */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const me = useMe();
  if (!session.token) {
    return <Navigate to="/app/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState title="Your account could not be loaded" error={me.error} onRetry={() => me.refetch()} />;
  return children;
}
