import { Paper, SimpleGrid, Text } from '@mantine/core';
import { formatCount, formatRate, type Totals } from '../utils/summary';

interface Stat {
  label: string;
  value: string;
  note?: string;
}

/** The range's totals, one card each, as a description list. */
export function StatCards({ totals }: { totals: Totals }) {
  const stats: Stat[] = [
    { label: 'Bookings', value: formatCount(totals.booked) },
    { label: 'Cancellations', value: formatCount(totals.cancelled) },
    { label: 'Completed', value: formatCount(totals.completed) },
    { label: 'No-shows', value: formatCount(totals.no_show) },
    {
      label: 'No-show rate',
      value: formatRate(totals.noShowRate),
      note: totals.noShowRate === null ? 'No appointment was closed yet' : 'Of completed and no-show appointments',
    },
    { label: 'Reminders sent', value: formatCount(totals.reminders_sent) },
    { label: 'Reminders failed', value: formatCount(totals.reminders_failed) },
  ];
  return (
    <SimpleGrid component="dl" cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="sm" m={0} aria-label="Totals">
      {stats.map((stat) => (
        <Paper key={stat.label} withBorder p="sm" radius="md">
          <Text component="dt" size="sm" c="dimmed">
            {stat.label}
          </Text>
          <Text component="dd" m={0} fz={26} fw={700} lh={1.3} data-stat={stat.label}>
            {stat.value}
          </Text>
          {stat.note && (
            <Text component="dd" m={0} size="xs" c="dimmed">
              {stat.note}
            </Text>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}
