import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { ZoneNote } from '@/components/ZoneNote';
import type { CustomerAppointment } from '@/lib/api';
import { formatTimeRange } from '@/lib/datetime';
import { formatPrice } from '@/lib/money';
import { statusLabel } from '../utils/status';

const STATUS_COLORS: Record<string, string> = { booked: 'green', cancelled: 'red' };

export function AppointmentDetails({ appointment }: { appointment: CustomerAppointment }) {
  const { business } = appointment;
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Group gap="xs">
          <Text fw={600}>Status:</Text>
          <Badge color={STATUS_COLORS[appointment.status] ?? 'gray'} variant="light" size="lg">
            {statusLabel(appointment.status)}
          </Badge>
        </Group>
        <Text>
          <strong>What:</strong> {appointment.service_name} ({appointment.duration_minutes} min ·{' '}
          {formatPrice(appointment.price, business.currency)})
        </Text>
        <Text>
          <strong>When:</strong> {formatTimeRange(appointment.start_time, appointment.end_time, appointment.timezone)}
        </Text>
        <ZoneNote zone={appointment.timezone} instants={[appointment.start_time]} />
        <Text>
          <strong>Where:</strong> {business.name}
          {business.address ? `, ${business.address}` : ''}
        </Text>
        <Text>
          <strong>With:</strong> {appointment.staff_name}
        </Text>
        {appointment.note && (
          <Text style={{ whiteSpace: 'pre-line' }}>
            <strong>Your note:</strong> {appointment.note}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
