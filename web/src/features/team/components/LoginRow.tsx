import { Alert, Badge, Button, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useId } from 'react';
import { describeError, isApiError } from '@/lib/api';
import type { Login, Role } from '@/lib/session';
import { useUpdateLogin } from '../api/logins';
import { lockReason, roleChoices, roleLabel } from '../utils/roles';
import { DeactivateModal } from './DeactivateModal';

interface LoginRowProps {
  login: Login;
  me: Login;
  onChanged: (message: string) => void;
}

function refusal(error: unknown): string {
  if (isApiError(error, 404)) return 'This login no longer exists. The list has been refreshed.';
  return describeError(error);
}

/** One login: who, its role (a select) and whether it can sign in. */
export function LoginRow({ login, me, onChanged }: LoginRowProps) {
  const update = useUpdateLogin(login.id);
  const [confirming, confirm] = useDisclosure(false);
  const locked = lockReason(me, login);
  const reasonId = useId();
  const isMe = login.id === me.id;

  const changeRole = (role: Role) => {
    if (role === login.role) return;
    update.mutate(
      { role },
      { onSuccess: (changed) => onChanged(`${changed.email} is now ${roleLabel(changed.role)}. They need to sign in again.`) },
    );
  };
  const reactivate = () =>
    update.mutate(
      { is_active: true },
      { onSuccess: (changed) => onChanged(`${changed.email} can sign in again.`) },
    );

  return (
    <Paper component="li" withBorder p="sm" radius="md" aria-label={login.email}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
          <Stack gap={4} miw={0} style={{ flex: '1 1 220px' }}>
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {login.email}
            </Text>
            <Group gap={6}>
              {isMe && (
                <Badge variant="light" color="blue">
                  You
                </Badge>
              )}
              <Badge variant="light" color={login.is_active ? 'teal' : 'gray'}>
                {login.is_active ? 'Active' : 'Deactivated'}
              </Badge>
            </Group>
          </Stack>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <NativeSelect
              label="Role"
              aria-label={`Role of ${login.email}`}
              data={roleChoices(login).map((role) => ({ value: role, label: roleLabel(role) }))}
              value={login.role}
              onChange={(event) => changeRole(event.currentTarget.value as Role)}
              disabled={locked !== null || update.isPending}
              aria-describedby={locked ? reasonId : undefined}
              w={130}
            />
            {login.is_active ? (
              <Button
                variant="outline"
                color="red"
                onClick={confirm.open}
                disabled={locked !== null || update.isPending}
                aria-describedby={locked ? reasonId : undefined}
              >
                Deactivate
              </Button>
            ) : (
              <Button
                variant="outline"
                onClick={reactivate}
                loading={update.isPending && update.variables && 'is_active' in update.variables}
                disabled={locked !== null || update.isPending}
              >
                Reactivate
              </Button>
            )}
          </Group>
        </Group>
        {locked && (
          <Text id={reasonId} size="sm" c="dimmed">
            {locked}
          </Text>
        )}
        {update.isPending && update.variables && 'role' in update.variables && (
          <Text size="sm" c="dimmed" role="status">
            Changing the role…
          </Text>
        )}
        {update.isError && (
          <Alert color="red" role="alert" title="Not changed" withCloseButton onClose={() => update.reset()} closeButtonLabel="Dismiss">
            {refusal(update.error)}
          </Alert>
        )}
      </Stack>
      {/* Mounted while the login turns inactive, so the confirmation can report back. */}
      {!locked && (
        <DeactivateModal
          login={login}
          opened={confirming}
          onClose={confirm.close}
          onDone={(changed) => {
            confirm.close();
            onChanged(`${changed.email} is deactivated and signed out.`);
          }}
        />
      )}
    </Paper>
  );
}
