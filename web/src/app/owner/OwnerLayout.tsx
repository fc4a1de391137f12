import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary } from '@/components/feedback/ErrorBoundary';
import { LoadingState } from '@/components/feedback/states';
import { canManage, endSession, useBusinessProfile, useMe } from '@/lib/session';

interface NavItem {
  to: string;
  label: string;
  managersOnly?: boolean;
}

const NAV: NavItem[] = [
  { to: '/app/calendar', label: 'Calendar' },
  { to: '/app/appointments', label: 'Appointments' },
  { to: '/app/analytics', label: 'Analytics' },
  { to: '/app/services', label: 'Services', managersOnly: true },
  { to: '/app/staff', label: 'Staff & hours', managersOnly: true },
  { to: '/app/settings', label: 'Settings', managersOnly: true },
  { to: '/app/team', label: 'Team logins', managersOnly: true },
  { to: '/app/billing', label: 'Billing', managersOnly: true },
  { to: '/app/setup', label: 'Setup guide', managersOnly: true },
];

/** The owner app's frame: business name, navigation (a drawer on phones), sign-out. */
export function OwnerLayout() {
  const [navOpen, nav] = useDisclosure(false);
  const me = useMe();
  const profile = useBusinessProfile();
  const navigate = useNavigate();
  const location = useLocation();
  const manager = canManage(me.data?.role);

  const signOut = () => {
    endSession('signed-out');
    navigate('/app/sign-in', { replace: true });
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Text fw={700} truncate>
              {profile.data?.name ?? 'ApptRemind'}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm" truncate maw={240}>
              {me.data?.email}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Owner pages">
        <ScrollArea>
          <Stack gap={2}>
            {NAV.filter((item) => manager || !item.managersOnly).map((item) => (
              <NavLink
                key={item.to}
                component={RouterNavLink}
                to={item.to}
                label={item.label}
                active={location.pathname.startsWith(item.to)}
                onClick={nav.close}
              />
            ))}
          </Stack>
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <ErrorBoundary>
          <Suspense fallback={<LoadingState />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
