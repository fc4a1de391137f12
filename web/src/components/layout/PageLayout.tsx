import { Anchor, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';

/** Who the page is for, beside the name: customers booking, or the businesses' owners. */
function audience(pathname: string): string | null {
  if (pathname.startsWith('/b/') || pathname.startsWith('/manage/')) return 'Online booking';
  if (pathname.startsWith('/app/') || pathname === '/reset-password') return 'For businesses';
  return null;
}

/** Header, one <main> landmark and a readable column, from 390 px phones to desktops. */
export function PageLayout({ children }: { children: ReactNode }) {
  const tagline = audience(useLocation().pathname);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Container size="sm" py="sm">
          <Group justify="space-between">
            <Anchor component={Link} to="/" fw={700} c="dark" underline="never">
              ApptRemind
            </Anchor>
            {tagline && (
              <Text size="sm" c="dimmed">
                {tagline}
              </Text>
            )}
          </Group>
        </Container>
      </header>
      <Container component="main" id="main" tabIndex={-1} size="sm" py="lg" px="md">
        {children}
      </Container>
    </>
  );
}
