import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { describeError } from '@/lib/api';
import type { Login } from '@/lib/session';
import { useDeactivateLogin } from '../api/logins';

interface DeactivateModalProps {
  login: Login;
  opened: boolean;
  onClose: () => void;
  onDone: (login: Login) => void;
}

/** Asks before deactivating: the person is signed out at once. */
export function DeactivateModal({ login, opened, onClose, onDone }: DeactivateModalProps) {
  const deactivate = useDeactivateLogin(login.id);
  const close = () => {
    if (deactivate.isPending) return;
    deactivate.reset();
    onClose();
  };
  const confirm = () =>
    deactivate.mutate(undefined, {
      onSuccess: (changed) => {
        deactivate.reset();
        onDone(changed);
      },
    });

  return (
    <Modal opened={opened} onClose={close} title="Deactivate this login?" centered>
      <Stack gap="md">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <strong>{login.email}</strong> is signed out at once and cannot sign in until you reactivate the login. Their
          appointments and history stay as they are.
        </Text>
        {deactivate.isError && (
          <Alert color="red" role="alert" title="Not deactivated">
            {describeError(deactivate.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={deactivate.isPending}>
            Keep active
          </Button>
          <Button color="red" onClick={confirm} loading={deactivate.isPending}>
            Deactivate
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
