import { Paper, Text, Timeline, Title } from '@mantine/core';
import type { Appointment } from '../types';
import { actorLabel, historyOf, statusLabel } from '../utils/appointment';
import { formatDateTime } from '../utils/format';

/** The appointment's changes, oldest first: booked, moved, cancelled or closed, when and by whom. */
export function StatusHistory({ appointment, zone }: { appointment: Appointment; zone: string }) {
  const history = historyOf(appointment);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="appointment-history">
      <Title order={2} size="h4" id="appointment-history" mb="sm">
        History
      </Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          No changes recorded for this appointment.
        </Text>
      ) : (
        <Timeline active={history.length - 1} bulletSize={14} lineWidth={2} color="gray.6">
          {history.map((entry, index) => {
            const who = actorLabel(entry.actor);
            return (
              <Timeline.Item key={`${entry.at}-${index}`} title={statusLabel(entry.status)}>
                <Text size="sm" c="dimmed">
                  {formatDateTime(entry.at, zone)}
                  {who ? ` · ${who}` : ''}
                </Text>
                {entry.status === 'rescheduled' && entry.fromTime && entry.toTime && (
                  <Text size="sm">
                    From {formatDateTime(entry.fromTime, zone)} to {formatDateTime(entry.toTime, zone)}
                  </Text>
                )}
                {entry.reason && (
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    Reason: {entry.reason}
                  </Text>
                )}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Paper>
  );
}
