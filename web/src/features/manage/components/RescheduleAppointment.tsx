import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SlotPicker, slotQueryKeys, type PickedSlot } from '@/components/slot-picker';
import { describeError, isApiError, type CustomerAppointment } from '@/lib/api';
import { dayInZone, formatDay, formatTime } from '@/lib/datetime';
import { rescheduleSlotSource, useRescheduleAppointment } from '../api/appointment';

// The appointment does not carry the business's booking horizon; the calendar only needs
// an upper bound for its arrows, and the API refuses days past the real horizon anyway.
const CALENDAR_HORIZON_DAYS = 365;

interface RescheduleAppointmentProps {
  appointment: CustomerAppointment;
  token: string;
  onDone: () => void;
  onCancel: () => void;
}

export function RescheduleAppointment({ appointment, token, onDone, onCancel }: RescheduleAppointmentProps) {
  const queryClient = useQueryClient();
  const [slot, setSlot] = useState<PickedSlot | null>(null);
  const [taken, setTaken] = useState<string | null>(null);
  const reschedule = useRescheduleAppointment({ appointmentId: appointment.id, token });
  const zone = appointment.timezone;

  const confirm = () => {
    if (!slot || reschedule.isPending) return;
    setTaken(null);
    reschedule.mutate(slot.start, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
        onDone();
      },
      onError: (error) => {
        if (!isApiError(error, 409)) return;
        setTaken(slot.start);
        setSlot(null);
        void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
      },
    });
  };

  return (
    <section aria-labelledby="reschedule-heading">
      <Stack gap="md">
        <Title order={2} id="reschedule-heading" size="h3">
          Choose a new time
        </Title>
        <SlotPicker
          source={rescheduleSlotSource({ appointmentId: appointment.id, token })}
          timezone={zone}
          horizonDays={CALENDAR_HORIZON_DAYS}
          selectedStart={slot?.start ?? null}
          onSelect={setSlot}
          headingOrder={3}
        />
        {taken && (
          <Alert color="orange" role="alert" title="That time was just taken">
            Sorry, {formatTime(taken, zone)} is no longer free. Your appointment is unchanged; please pick another
            time.
          </Alert>
        )}
        {reschedule.isError && !isApiError(reschedule.error, 409) && (
          <Alert color="red" role="alert" title="Not moved">
            {describeError(reschedule.error)}
          </Alert>
        )}
        {slot && (
          <Text>
            New time: {formatDay(dayInZone(slot.start, zone))} at {formatTime(slot.start, zone)} ({zone})
          </Text>
        )}
        <Group>
          <Button onClick={confirm} disabled={!slot || reschedule.isPending} loading={reschedule.isPending}>
            Move my appointment
          </Button>
          <Button variant="default" onClick={onCancel}>
            Keep the current time
          </Button>
        </Group>
      </Stack>
    </section>
  );
}
