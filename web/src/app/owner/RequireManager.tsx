import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { MessagePage } from '@/components/feedback/states';
import { canManage, useMe } from '@/lib/session';

/** Setup, team and billing pages are for owners and admins; staff logins are told so. */
export function RequireManager({ children }: { children: ReactNode }) {
  const me = useMe();
  if (canManage(me.data?.role)) return children;
  return (
    <MessagePage title="Only owners and admins can open this page">
      <Text>Your login can see the calendar and appointments. Ask the business owner if you need more access.</Text>
      <Anchor component={Link} to="/app/calendar">
        Go to the calendar
      </Anchor>
    </MessagePage>
  );
}
