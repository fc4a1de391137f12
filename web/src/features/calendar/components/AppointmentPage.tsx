import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorState, LoadingState, MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { isApiError } from '@/lib/api';
import { useBusinessProfile } from '@/lib/session';
import { useAppointment } from '../api/appointments';
import type { Appointment } from '../types';
import { statusColor, statusLabel } from '../utils/appointment';
import { formatPrice } from '@/lib/money';
import { formatFullDay, formatTimes, zoneOffsetLabel } from '../utils/format';
import { wallClock } from '../utils/zoned-time';
import { AppointmentActions } from './AppointmentActions';
import type { BackState } from './AppointmentItem';
import { ReminderList } from './ReminderList';
import { StatusHistory } from './StatusHistory';

function backFrom(state: unknown): BackState | null {
  const value = state as Partial<BackState> | null;
  return value && typeof value.from === 'string' && typeof value.label === 'string' ? { from: value.from, label: value.label } : null;
}

export function AppointmentPage() {
  const { appointmentId = '' } = useParams();
  const profile = useBusinessProfile();
  const appointment = useAppointment(appointmentId);
  const zone = profile.data?.timezone;
  usePageTitle(
    appointment.data && zone
      ? `${appointment.data.customer.name} · ${formatFullDay(wallClock(appointment.data.start_time, zone).day)}`
      : 'Appointment',
  );

  if (appointment.isPending || profile.isPending) return <LoadingState label="Loading the appointment…" />;
  // 422: not even shaped like an appointment id.
  if (appointment.isError && (isApiError(appointment.error, 404) || isApiError(appointment.error, 422))) {
    return (
      <MessagePage title="Appointment not found">
        <Text>It may have been removed, or the link is incomplete.</Text>
        <Anchor component={Link} to="/app/calendar">
          Go to the calendar
        </Anchor>
      </MessagePage>
    );
  }
  if (appointment.isError) {
    return (
      <ErrorState title="The appointment could not be loaded" error={appointment.error} onRetry={() => void appointment.refetch()} />
    );
  }
  if (profile.isError) {
    return <ErrorState title="The business could not be loaded" error={profile.error} onRetry={() => void profile.refetch()} />;
  }
  return (
    <AppointmentView
      appointment={appointment.data}
      zone={profile.data.timezone}
      currency={profile.data.currency}
      horizonDays={profile.data.booking_horizon_days}
    />
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text component="div">{children}</Text>
    </div>
  );
}

function AppointmentView({
  appointment,
  zone,
  currency,
  horizonDays,
}: {
  appointment: Appointment;
  zone: string;
  currency: string;
  horizonDays: number;
}) {
  const location = useLocation();
  const day = wallClock(appointment.start_time, zone).day;
  const back = backFrom(location.state) ?? {
    from: `/app/calendar?view=day&date=${day}`,
    label: 'Back to the calendar',
  };
  const [notice, setNotice] = useState<string | null>(null);
  const { customer } = appointment;

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={back.from} size="sm">
        <span aria-hidden="true">‹ </span>
        {back.label}
      </Anchor>

      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2} miw={0}>
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {customer.name}
          </Title>
          <Text>
            {appointment.service_name} with {appointment.staff_name}
          </Text>
        </Stack>
        <Badge size="lg" variant="light" color={statusColor(appointment.status)} data-testid="status">
          {statusLabel(appointment.status)}
        </Badge>
      </Group>

      {notice && (
        <Alert color="green" title={notice} role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel="Dismiss" />
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="appointment-when">
          <Title order={2} size="h4" id="appointment-when" mb="sm">
            Appointment
          </Title>
          <Stack gap="sm">
            <Fact label="When">
              {formatFullDay(day)}, {formatTimes(appointment.start_time, appointment.end_time, zone)}
              <Text size="sm" c="dimmed">
                Times in {zone} ({zoneOffsetLabel(zone, appointment.start_time)})
              </Text>
            </Fact>
            <Fact label="Service">
              {appointment.service_name} · {appointment.duration_minutes} min · {formatPrice(appointment.price, currency)}
            </Fact>
            <Fact label="Staff">{appointment.staff_name}</Fact>
            {appointment.note && (
              <Fact label="Customer’s note">
                <Text style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>{appointment.note}</Text>
              </Fact>
            )}
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="appointment-customer">
          <Title order={2} size="h4" id="appointment-customer" mb="sm">
            Customer
          </Title>
          <Stack gap="sm">
            <Fact label="Name">{customer.name}</Fact>
            <Fact label="Email">
              {customer.email ? (
                <Anchor href={`mailto:${customer.email}`} style={{ overflowWrap: 'anywhere' }}>
                  {customer.email}
                </Anchor>
              ) : (
                <Text c="dimmed">None given</Text>
              )}
            </Fact>
            <Fact label="Phone">
              {customer.phone ? (
                <Anchor href={`tel:${customer.phone}`}>{customer.phone}</Anchor>
              ) : (
                <Text c="dimmed">None given</Text>
              )}
            </Fact>
          </Stack>
        </Paper>
      </SimpleGrid>

      <AppointmentActions appointment={appointment} zone={zone} horizonDays={horizonDays} onDone={setNotice} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <ReminderList appointment={appointment} zone={zone} />
        <StatusHistory appointment={appointment} zone={zone} />
      </SimpleGrid>
    </Stack>
  );
}
