import { Alert, Grid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { useMe } from '@/lib/session';
import { useLogins } from '../api/logins';
import { sortLogins } from '../utils/roles';
import { LoginRow } from './LoginRow';
import { NewLoginForm } from './NewLoginForm';
import { RolesHelp } from './RolesHelp';

/** Who can sign in for the business, with which role; the owner adds logins. */
export function TeamPage() {
  usePageTitle('Team logins');
  const me = useMe();
  const logins = useLogins();
  const [saved, setSaved] = useState<string | null>(null);
  const isOwner = me.data?.role === 'owner';

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Team logins</Title>
        <Text c="dimmed" mt={4}>
          Everyone who signs in to run this business, and what they can do.
        </Text>
      </div>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm" component="section" aria-labelledby="logins-title">
            <Title order={2} size="h4" id="logins-title">
              Logins
            </Title>
            <div role="status" aria-live="polite">
              {saved && (
                <Alert color="teal" variant="light" withCloseButton closeButtonLabel="Dismiss" onClose={() => setSaved(null)}>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {saved}
                  </Text>
                </Alert>
              )}
            </div>
            {logins.isPending || me.isPending ? (
              <LoadingState label="Loading logins…" />
            ) : logins.isError ? (
              <ErrorState title="The logins could not be loaded" error={logins.error} onRetry={() => logins.refetch()} />
            ) : me.isError ? (
              <ErrorState title="Your login could not be loaded" error={me.error} onRetry={() => me.refetch()} />
            ) : logins.data.length === 0 ? (
              <EmptyState title="No logins yet" />
            ) : (
              <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="logins-title">
                {sortLogins(logins.data).map((login) => (
                  <LoginRow key={login.id} login={login} me={me.data} onChanged={setSaved} />
                ))}
              </Stack>
            )}
            {logins.data?.length === 1 && (
              <Text size="sm" c="dimmed">
                Only you can sign in so far. {isOwner ? 'Add a login for each person who helps you run the business.' : ''}
              </Text>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            {isOwner ? (
              <NewLoginForm />
            ) : (
              <Alert color="gray" variant="light" title="Adding logins">
                Only the business owner can add logins. As an admin you can change roles and deactivate or reactivate
                logins.
              </Alert>
            )}
            <RolesHelp />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
