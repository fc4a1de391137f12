import { Alert, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { SlotPicker, slotQueryKeys, type PickedSlot } from '@/components/slot-picker';
import { isApiError } from '@/lib/api';
import {
  rescheduleSlotSource,
  useCancelAppointment,
  useCompleteAppointment,
  useMarkNoShow,
  useRescheduleAppointment,
} from '../api/appointments';
import { useNow } from '../hooks/use-now';
import type { Appointment } from '../types';
import { availableActions, statusLabel } from '../utils/appointment';
import { formatDateTime } from '../utils/format';
import { ACTION_FAILED, refusalMessage, type AppointmentAction } from '../utils/refusal';

interface AppointmentActionsProps {
  appointment: Appointment;
  zone: string;
  horizonDays: number;
  onDone: (notice: string) => void;
}

const PROGRESS: Record<AppointmentAction, string> = {
  cancel: 'Cancelling…',
  reschedule: 'Moving the appointment…',
  complete: 'Marking as completed…',
  noShow: 'Marking as no-show…',
};

/**
 * What can be done with the appointment now, as the API's rules have it: only a booked one
 * changes; completed and no-show only once it has started.
 */
export function AppointmentActions({ appointment, zone, horizonDays, onDone }: AppointmentActionsProps) {
  const now = useNow(15_000);
  const actions = availableActions(appointment, now);
  const complete = useCompleteAppointment(appointment.id);
  const noShow = useMarkNoShow(appointment.id);
  const cancel = useCancelAppointment(appointment.id);
  const reschedule = useRescheduleAppointment(appointment.id);
  const [failure, setFailure] = useState<{ action: AppointmentAction; error: unknown } | null>(null);
  const [rescheduling, setRescheduling] = useState(false);
  const [cancelOpen, cancelDialog] = useDisclosure(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The button pressed goes away with the mode it opened: take focus to the new heading.
  const [modeChanged, setModeChanged] = useState(false);
  useEffect(() => {
    if (modeChanged) headingRef.current?.focus();
  }, [rescheduling, modeChanged]);

  const pending: AppointmentAction | null = complete.isPending
    ? 'complete'
    : noShow.isPending
      ? 'noShow'
      : cancel.isPending
        ? 'cancel'
        : reschedule.isPending
          ? 'reschedule'
          : null;
  const busy = pending !== null;
  const context = { startTime: appointment.start_time, zone, currentStatus: appointment.status };

  const closeOutcome = (action: 'complete' | 'noShow') => {
    if (busy) return;
    setFailure(null);
    const mutation = action === 'complete' ? complete : noShow;
    mutation.mutate(undefined, {
      onSuccess: () => onDone(action === 'complete' ? 'Marked as completed' : 'Marked as a no-show'),
      onError: (error) => setFailure({ action, error }),
    });
  };

  const nothingToDo = !actions.cancel && !actions.reschedule && !actions.complete && !actions.noShow;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="appointment-actions">
      <Stack gap="sm">
        <Title order={2} size={rescheduling ? 'h3' : 'h4'} id="appointment-actions" ref={headingRef} tabIndex={-1} style={{ outline: 'none' }}>
          {rescheduling ? `Choose a new time with ${appointment.staff_name}` : 'Actions'}
        </Title>

        {failure && failure.action !== 'cancel' && failure.action !== 'reschedule' && (
          <Alert color="red" role="alert" title={ACTION_FAILED[failure.action]} withCloseButton onClose={() => setFailure(null)} closeButtonLabel="Dismiss">
            {refusalMessage(failure.action, failure.error, context)}
          </Alert>
        )}

        {nothingToDo ? (
          <Text>
            This appointment is {statusLabel(appointment.status).toLowerCase()}: there is nothing more to change.
          </Text>
        ) : (
          !rescheduling && (
            <Group gap="sm">
              {actions.complete && (
                <Button onClick={() => closeOutcome('complete')} loading={pending === 'complete'} disabled={busy && pending !== 'complete'}>
                  Mark completed
                </Button>
              )}
              {actions.noShow && (
                <Button
                  variant="light"
                  color="orange"
                  onClick={() => closeOutcome('noShow')}
                  loading={pending === 'noShow'}
                  disabled={busy && pending !== 'noShow'}
                >
                  Mark no-show
                </Button>
              )}
              {actions.reschedule && (
                <Button
                  variant="outline"
                  onClick={() => {
                    setFailure(null);
                    setModeChanged(true);
                    setRescheduling(true);
                  }}
                  disabled={busy}
                >
                  Reschedule
                </Button>
              )}
              {actions.cancel && (
                <Button
                  variant="outline"
                  color="red.9"
                  onClick={() => {
                    setFailure(null);
                    cancel.reset();
                    cancelDialog.open();
                  }}
                  disabled={busy}
                >
                  Cancel appointment
                </Button>
              )}
            </Group>
          )
        )}

        {actions.waitsForStart && !rescheduling && (
          <Text size="sm" c="dimmed">
            You can mark it as completed or as a no-show once it has started ({formatDateTime(appointment.start_time, zone)}).
          </Text>
        )}

        {pending && pending !== 'cancel' && pending !== 'reschedule' && (
          <Text size="sm" role="status">
            {PROGRESS[pending]}
          </Text>
        )}

        {rescheduling && actions.reschedule && (
          <RescheduleForm
            appointment={appointment}
            zone={zone}
            horizonDays={horizonDays}
            onDone={(start) => {
              setRescheduling(false);
              onDone(`Moved to ${formatDateTime(start, zone)}. The customer is told about the new time.`);
            }}
            onClose={() => setRescheduling(false)}
            reschedule={reschedule}
          />
        )}
      </Stack>

      <CancelDialog
        opened={cancelOpen}
        onClose={cancelDialog.close}
        appointment={appointment}
        zone={zone}
        cancel={cancel}
        onDone={() => {
          cancelDialog.close();
          onDone('Appointment cancelled. The customer is told about it.');
        }}
      />
    </Paper>
  );
}

interface CancelDialogProps {
  opened: boolean;
  onClose: () => void;
  appointment: Appointment;
  zone: string;
  cancel: ReturnType<typeof useCancelAppointment>;
  onDone: () => void;
}

function CancelDialog({ opened, onClose, appointment, zone, cancel, onDone }: CancelDialogProps) {
  const [reason, setReason] = useState('');
  const confirm = () => {
    if (cancel.isPending) return;
    cancel.mutate(reason.trim() || null, {
      onSuccess: () => {
        setReason('');
        onDone();
      },
    });
  };
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!cancel.isPending) onClose();
      }}
      title="Cancel this appointment?"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text>
          {appointment.customer.name}’s {appointment.service_name} on {formatDateTime(appointment.start_time, zone)} will be
          cancelled and its reminders stopped. The customer is told. This cannot be undone.
        </Text>
        <Textarea
          label="Reason (optional)"
          description="Kept with the appointment"
          maxLength={500}
          autosize
          minRows={2}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        {cancel.isError && (
          <Alert color="red" role="alert" title={ACTION_FAILED.cancel}>
            {refusalMessage('cancel', cancel.error, {
              startTime: appointment.start_time,
              zone,
              currentStatus: appointment.status,
            })}
          </Alert>
        )}
        {cancel.isPending && (
          <Text size="sm" role="status">
            {PROGRESS.cancel}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={cancel.isPending}>
            Keep it
          </Button>
          <Button
            color="red.9"
            onClick={confirm}
            loading={cancel.isPending}
            disabled={appointment.status !== 'booked' && !cancel.isPending}
          >
            Yes, cancel it
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

interface RescheduleFormProps {
  appointment: Appointment;
  zone: string;
  horizonDays: number;
  reschedule: ReturnType<typeof useRescheduleAppointment>;
  onDone: (start: string) => void;
  onClose: () => void;
}

function RescheduleForm({ appointment, zone, horizonDays, reschedule, onDone, onClose }: RescheduleFormProps) {
  const queryClient = useQueryClient();
  const [slot, setSlot] = useState<PickedSlot | null>(null);

  const confirm = () => {
    if (!slot || reschedule.isPending) return;
    reschedule.mutate(slot.start, {
      onSuccess: (moved) => {
        void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
        onDone(moved.start_time);
      },
      onError: (error) => {
        if (isApiError(error, 409)) {
          setSlot(null);
          void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
        }
      },
    });
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Now: {formatDateTime(appointment.start_time, zone)}. Only times {appointment.staff_name} is free for a{' '}
        {appointment.duration_minutes}-minute {appointment.service_name} are offered.
      </Text>
      <SlotPicker
        source={rescheduleSlotSource(appointment.id)}
        timezone={zone}
        horizonDays={horizonDays}
        selectedStart={slot?.start ?? null}
        onSelect={(picked) => {
          setSlot(picked);
          if (picked) reschedule.reset();
        }}
        headingOrder={3}
      />
      {reschedule.isError && (
        <Alert color="red" role="alert" title={ACTION_FAILED.reschedule}>
          {refusalMessage('reschedule', reschedule.error, {
            startTime: appointment.start_time,
            zone,
            currentStatus: appointment.status,
          })}
        </Alert>
      )}
      {reschedule.isPending && (
        <Text size="sm" role="status">
          {PROGRESS.reschedule}
        </Text>
      )}
      <Group gap="sm">
        <Button onClick={confirm} disabled={!slot} loading={reschedule.isPending}>
          {slot ? `Move to ${formatDateTime(slot.start, zone)}` : 'Pick a new time above'}
        </Button>
        <Button variant="default" onClick={onClose} disabled={reschedule.isPending}>
          Keep the current time
        </Button>
      </Group>
    </Stack>
  );
}
