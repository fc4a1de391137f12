import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Paper, Stack, Text, Title } from '@mantine/core';
import { formatShortDay } from '../utils/range';
import type { DaySummary } from '../utils/summary';

const APPOINTMENT_SERIES = [
  { name: 'booked', label: 'Bookings', color: 'blue.7' },
  { name: 'cancelled', label: 'Cancellations', color: 'orange.7' },
  { name: 'completed', label: 'Completed', color: 'teal.7' },
  { name: 'no_show', label: 'No-shows', color: 'red.7' },
];

const REMINDER_SERIES = [
  { name: 'reminders_sent', label: 'Sent', color: 'teal.7' },
  { name: 'reminders_failed', label: 'Failed', color: 'red.7' },
];

const whole = (value: number) => new Intl.NumberFormat().format(value);

interface ChartCardProps {
  title: string;
  description: string;
  children: React.ReactNode;
}

/**
 * A chart is a picture for sighted readers; screen readers get its description here and the
 * same figures in the table view.
 */
function ChartCard({ title, description, children }: ChartCardProps) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        <div role="img" aria-label={description}>
          {children}
        </div>
      </Stack>
    </Paper>
  );
}

/** Appointments and reminders per day over the range. */
export function SummaryCharts({ days }: { days: DaySummary[] }) {
  const data = days.map((day) => ({ ...day, label: formatShortDay(day.date) }));
  const many = days.length > 14;
  const xAxisProps = { interval: 'preserveStartEnd' as const, minTickGap: 16 };
  return (
    <Stack gap="md">
      <ChartCard
        title="Appointments per day"
        description={`Line chart of bookings, cancellations, completed appointments and no-shows for each of the ${days.length} days. Switch to the table view to read the figures.`}
      >
        <LineChart
          h={260}
          data={data}
          dataKey="label"
          series={APPOINTMENT_SERIES}
          curveType="linear"
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          withDots={!many}
          valueFormatter={whole}
          yAxisProps={{ allowDecimals: false, width: 32 }}
          xAxisProps={xAxisProps}
          tooltipAnimationDuration={0}
        />
      </ChartCard>
      <ChartCard
        title="Reminders sent and failed"
        description={`Bar chart of reminders sent and reminders that failed for each of the ${days.length} days. Switch to the table view to read the figures.`}
      >
        <BarChart
          h={220}
          data={data}
          dataKey="label"
          type="stacked"
          series={REMINDER_SERIES}
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          valueFormatter={whole}
          yAxisProps={{ allowDecimals: false, width: 32 }}
          xAxisProps={xAxisProps}
          maxBarWidth={28}
          tooltipAnimationDuration={0}
        />
      </ChartCard>
      <Text size="xs" c="dimmed">
        Each appointment counts on the day it takes place.
      </Text>
    </Stack>
  );
}
