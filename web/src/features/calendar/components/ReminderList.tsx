import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { Appointment, ReminderView } from '../types';
import { channelLabel, remindersOf } from '../utils/appointment';
import { formatDateTime } from '../utils/format';

const STATE_COLORS: Record<string, string> = { pending: 'blue', sent: 'green', failed: 'red', cancelled: 'gray' };
const STATE_LABELS: Record<string, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed', cancelled: 'Cancelled' };

function stateText(reminder: ReminderView, zone: string): string {
  switch (reminder.status) {
    case 'pending':
      return 'Waiting to be sent';
    case 'sent':
      return reminder.sentAt ? `Sent ${formatDateTime(reminder.sentAt, zone)}` : 'Sent';
    case 'failed':
      return reminder.failureReason ? `Not delivered: ${reminder.failureReason}` : 'Not delivered (no reason recorded)';
    case 'cancelled':
      return 'Not sent: the appointment changed before it was due';
    default:
      return reminder.status;
  }
}

/** Each reminder with its channel, when it is due and what became of it. */
export function ReminderList({ appointment, zone }: { appointment: Appointment; zone: string }) {
  const reminders = remindersOf(appointment);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="appointment-reminders">
      <Title order={2} size="h4" id="appointment-reminders" mb="sm">
        Reminders
      </Title>
      {reminders.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reminders for this appointment: it was booked too close to its time, or the customer left no way to reach
          them for the business’s reminder channels.
        </Text>
      ) : (
        <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
          {reminders.map((reminder) => (
            <li key={reminder.id} data-reminder={reminder.id}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Badge variant="outline" color="gray.8" w={64} style={{ flex: '0 0 auto' }}>
                  {channelLabel(reminder.channel)}
                </Badge>
                <Stack gap={0} miw={0}>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      Due {formatDateTime(reminder.remindAt, zone)}
                    </Text>
                    <Badge size="sm" variant="light" color={STATE_COLORS[reminder.status] ?? 'gray'}>
                      {STATE_LABELS[reminder.status] ?? reminder.status}
                    </Badge>
                  </Group>
                  <Text size="sm" c={reminder.status === 'failed' ? 'red.9' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
                    {stateText(reminder, zone)}
                  </Text>
                </Stack>
              </Group>
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
