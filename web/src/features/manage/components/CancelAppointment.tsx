import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { describeError, isApiError, type CustomerAppointment } from '@/lib/api';
import { formatTimeRange } from '@/lib/datetime';
import { useCancelAppointment } from '../api/appointment';

interface CancelAppointmentProps {
  appointment: CustomerAppointment;
  token: string;
}

export function CancelAppointment({ appointment, token }: CancelAppointmentProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const cancel = useCancelAppointment({ appointmentId: appointment.id, token });

  const confirm = () => {
    if (cancel.isPending) return;
    cancel.mutate(reason.trim() || null, { onSuccess: close });
  };

  return (
    <>
      <Button color="red" variant="outline" onClick={open}>
        Cancel appointment
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title="Cancel this appointment?"
        centered
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text>
            {appointment.service_name} on{' '}
            {formatTimeRange(appointment.start_time, appointment.end_time, appointment.timezone)} ({appointment.timezone})
            will be cancelled. This cannot be undone.
          </Text>
          <Textarea
            label="Reason (optional)"
            description="Shared with the business"
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          {cancel.isError && (
            <Alert color="red" role="alert" title="Not cancelled">
              {isApiError(cancel.error, 409)
                ? 'This appointment can no longer be cancelled online: it has begun or was already changed. Please reload the page or contact the business.'
                : describeError(cancel.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep appointment
            </Button>
            <Button color="red" onClick={confirm} loading={cancel.isPending} disabled={cancel.isPending}>
              Yes, cancel it
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
