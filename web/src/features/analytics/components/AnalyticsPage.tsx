import { Alert, Group, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { todayInZone } from '@/lib/datetime';
import { useBusinessProfile } from '@/lib/session';
import { useSummary } from '../api/summary';
import { formatRange, paramsFor, rangeFromParams, type DateRange, type Preset } from '../utils/range';
import { hasActivity, totalsOf } from '../utils/summary';
import { RangePicker } from './RangePicker';
import { StatCards } from './StatCards';
import { SummaryCharts } from './SummaryCharts';
import { SummaryTable } from './SummaryTable';

/** Bookings, outcomes and reminders per day over a chosen range, in the business's days. */
export function AnalyticsPage() {
  usePageTitle('Analytics');
  const profile = useBusinessProfile();
  return (
    <Stack gap="lg">
      <Title order={1}>Analytics</Title>
      {profile.isPending ? (
        <LoadingState />
      ) : profile.isError ? (
        <ErrorState title="Your business could not be loaded" error={profile.error} onRetry={() => profile.refetch()} />
      ) : (
        <Figures zone={profile.data.timezone} />
      )}
    </Stack>
  );
}

function Figures({ zone }: { zone: string }) {
  const [params, setParams] = useSearchParams();
  const today = todayInZone(zone);
  const range = useMemo(() => rangeFromParams(params, today), [params, today]);
  const summary = useSummary(range);
  const [asTable, setAsTable] = useState(false);
  const totals = useMemo(() => (summary.data ? totalsOf(summary.data) : null), [summary.data]);

  const choose = (choice: Preset | DateRange) => setParams(paramsFor(choice), { replace: false });

  return (
    <Stack gap="lg">
      <Text c="dimmed" size="sm" mt={-8}>
        Days in {zone}. New bookings and changes show up here within a few seconds.
      </Text>
      <RangePicker key={`${range.from}/${range.to}`} range={range} onPreset={choose} onCustom={choose} />
      {range.problem && (
        <Alert color="yellow" variant="light" title="Range not used">
          {range.problem}
        </Alert>
      )}
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          {formatRange(range)}
        </Title>
        {summary.isFetching && summary.data && (
          <Group gap={6} role="status" aria-live="polite">
            <Loader size="xs" aria-hidden />
            <Text size="sm" c="dimmed">
              Updating…
            </Text>
          </Group>
        )}
      </Group>
      {summary.isPending ? (
        <LoadingState label="Loading figures…" />
      ) : summary.isError ? (
        <ErrorState title="The figures could not be loaded" error={summary.error} onRetry={() => summary.refetch()} />
      ) : totals && !hasActivity(totals) ? (
        <EmptyState title="No activity in this period yet">
          <Text size="sm">
            Bookings, cancellations, completed appointments, no-shows and reminders appear here once they happen. Choose
            another period, or share your booking page to get the first bookings.
          </Text>
        </EmptyState>
      ) : (
        totals && (
          <Stack gap="md">
            <StatCards totals={totals} />
            <Switch
              label="Show figures as a table"
              checked={asTable}
              onChange={(event) => setAsTable(event.currentTarget.checked)}
            />
            {asTable ? (
              <SummaryTable days={summary.data} totals={totals} range={range} />
            ) : (
              <SummaryCharts days={summary.data} />
            )}
          </Stack>
        )
      )}
    </Stack>
  );
}
