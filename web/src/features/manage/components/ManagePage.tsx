import { Alert, Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState, LoadingState, MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { isApiError } from '@/lib/api';
import { calendarFileLink } from '@/lib/links';
import { useCustomerAppointment } from '../api/appointment';
import { canChange } from '../utils/status';
import { AppointmentDetails } from './AppointmentDetails';
import { CancelAppointment } from './CancelAppointment';
import { RescheduleAppointment } from './RescheduleAppointment';

function InvalidLink() {
  usePageTitle('Link not valid');
  return (
    <MessagePage title="This link is not valid">
      <Text>
        The link may be incomplete or mistyped. Please open it again from your confirmation email or text message, or
        contact the business.
      </Text>
    </MessagePage>
  );
}

export function ManagePage() {
  const { appointmentId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  if (!token || !appointmentId) return <InvalidLink />;
  return <ManageAppointment appointmentId={appointmentId} token={token} />;
}

function ManageAppointment({ appointmentId, token }: { appointmentId: string; token: string }) {
  const appointment = useCustomerAppointment({ appointmentId, token });
  const [rescheduling, setRescheduling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle('Your appointment');

  if (appointment.isPending) return <LoadingState label="Loading your appointment…" />;
  // A wrong or tampered token answers 404 like an unknown id (422: not even shaped like one).
  if (appointment.isError && (isApiError(appointment.error, 404) || isApiError(appointment.error, 422))) {
    return <InvalidLink />;
  }
  if (appointment.isError) {
    return (
      <ErrorState
        title="Your appointment could not be loaded"
        error={appointment.error}
        onRetry={() => void appointment.refetch()}
      />
    );
  }

  const current = appointment.data;
  const changeable = canChange(current);

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>Your appointment</Title>
        <Text c="dimmed">at {current.business.name}</Text>
      </Stack>
      {notice && changeable && (
        <Alert color="green" title={notice} role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel="Dismiss" />
      )}
      <AppointmentDetails appointment={current} />
      {current.status === 'cancelled' && (
        <Text>
          This appointment is cancelled.{' '}
          <Anchor component={Link} to={`/b/${encodeURIComponent(current.business.slug)}`}>
            Book a new one at {current.business.name}
          </Anchor>
        </Text>
      )}
      {changeable && !rescheduling && (
        <Group>
          <Button component="a" href={calendarFileLink(current.id, token)} download variant="light">
            Add to calendar
          </Button>
          <Button
            variant="outline"
            onClick={() => {
              setNotice(null);
              setRescheduling(true);
            }}
          >
            Reschedule
          </Button>
          <CancelAppointment appointment={current} token={token} />
        </Group>
      )}
      {changeable && rescheduling && (
        <RescheduleAppointment
          appointment={current}
          token={token}
          onDone={() => {
            setRescheduling(false);
            setNotice('Your appointment has been moved');
          }}
          onCancel={() => setRescheduling(false)}
        />
      )}
    </Stack>
  );
}
