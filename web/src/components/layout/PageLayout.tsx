import { Anchor, Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** Header, one <main> landmark and a readable column, from 390 px phones to desktops. */
export function PageLayout({ children }: { children: ReactNode }) {
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
            <Text size="sm" c="dimmed">
              Online booking
            </Text>
          </Group>
        </Container>
      </header>
      <Container component="main" id="main" tabIndex={-1} size="sm" py="lg" px="md">
        {children}
      </Container>
    </>
  );
}
