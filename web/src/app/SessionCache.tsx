import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSession } from '@/lib/session';

/** A new or ended session never sees the previous one's cached answers (or its 401s). */
export function SessionCache() {
  const { token } = useSession();
  const queryClient = useQueryClient();
  const previous = useRef(token);
  useEffect(() => {
    if (previous.current !== token) queryClient.clear();
    previous.current = token;
  }, [token, queryClient]);
  return null;
}
