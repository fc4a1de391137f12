import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, Stack, Text, Title } from '@mantine/core';
import { formatShortDay } from '../utils/range';
import type { DaySummary } from '../utils/summary';

// A day's bar is its bookings, split by what became of them; nothing overlaps or hides.
const APPOINTMENT_SERIES = [
  { name: 'completed', label: 'Completed', color: 'teal.7' },
  { name: 'no_show', label: 'No-shows', color: 'red.7' },
  { name: 'cancelled', label: 'Cancelled', color: 'orange.6' },
  { name: 'open', label: 'Not closed yet', color: 'blue.3' },
];

const REMINDER_SERIES = [
  { name: 'reminders_sent', label: 'Sent', color: 'teal.7' },
  { name: 'reminders_failed', label: 'Failed', color: 'red.7' },
];

const whole = (value: number) => new Intl.NumberFormat().format(value);

interface ChartCardProps {
  title: string;
  note?: string;
  description: string;
  children: React.ReactNode;
}

/**
 * A chart is a picture for sighted readers; screen readers get its description here and the
 * same figures in the table view.
 */
function ChartCard({ title, note, description, children }: ChartCardProps) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {note && (
          <Text size="sm" c="dimmed" mt={-4}>
            {note}
          </Text>
        )}
        <div role="img" aria-label={description}>
          {children}
        </div>
      </Stack>
    </Paper>
  );
}

type Series = typeof APPOINTMENT_SERIES;

/** One stacked bar a day; both charts read the same way. */
function DailyBars({ height, data, series }: { height: number; data: Record<string, unknown>[]; series: Series }) {
  return (
    <BarChart
      h={height}
      data={data}
      dataKey="label"
      type="stacked"
      series={series}
      withLegend
      legendProps={{ verticalAlign: 'bottom' }}
      valueFormatter={whole}
      yAxisProps={{ allowDecimals: false, width: 32 }}
      tickLine="none"
      xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 16 }}
      maxBarWidth={36}
      tooltipAnimationDuration={0}
    />
  );
}

/** Appointments and reminders per day over the range. */
export function SummaryCharts({ days }: { days: DaySummary[] }) {
  const data = days.map((day) => ({
    ...day,
    label: formatShortDay(day.date),
    open: Math.max(0, day.booked - day.cancelled - day.completed - day.no_show),
  }));
  return (
    <Stack gap="md">
      <ChartCard
        title="Appointments per day"
        note="Each bar is the day's bookings, split by outcome."
        description={`Bar chart of the bookings of each of the ${days.length} days, split into completed, no-shows, cancelled and not closed yet. Switch to the table view to read the figures.`}
      >
        <DailyBars height={260} data={data} series={APPOINTMENT_SERIES} />
      </ChartCard>
      <ChartCard
        title="Reminders sent and failed"
        description={`Bar chart of reminders sent and reminders that failed for each of the ${days.length} days. Switch to the table view to read the figures.`}
      >
        <DailyBars height={220} data={data} series={REMINDER_SERIES} />
      </ChartCard>
      <Text size="xs" c="dimmed">
        Each appointment counts on the day it takes place.
      </Text>
    </Stack>
  );
}
