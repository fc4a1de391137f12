import { Paper, Stack, Text, Title } from '@mantine/core';
import type { Role } from '@/lib/session';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../utils/roles';

const ORDER: Role[] = ['owner', 'admin', 'staff'];

/** What each role can do, next to where roles are chosen. */
export function RolesHelp() {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="roles-help-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="roles-help-title">
          What each role can do
        </Title>
        <Stack component="dl" gap={6} m={0}>
          {ORDER.map((role) => (
            <div key={role}>
              <Text component="dt" fw={600} size="sm">
                {ROLE_LABELS[role]}
              </Text>
              <Text component="dd" m={0} size="sm" c="dimmed">
                {ROLE_DESCRIPTIONS[role]}
              </Text>
            </div>
          ))}
        </Stack>
        <Text size="sm" c="dimmed">
          Changing a login&apos;s role or deactivating it signs that person out at once.
        </Text>
      </Stack>
    </Paper>
  );
}
