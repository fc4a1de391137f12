import { Paper, Progress, Stack, Text, Title } from '@mantine/core';
import type { Subscription } from '../api/billing';
import { usageLevel, usagePercent } from '../utils/format';

const COLORS = { ok: 'blue', close: 'orange', reached: 'red' } as const;

/** This month's bookings against the plan's monthly limit (none on Pro). */
export function UsageCard({ subscription, month }: { subscription: Subscription; month: string }) {
  const used = subscription.bookings_this_month;
  const limit = subscription.monthly_booking_limit;
  const count = new Intl.NumberFormat();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="usage-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="usage-title">
          Bookings in {month}
        </Title>
        {limit === null ? (
          <Text>
            <Text span fw={700} fz="xl">
              {count.format(used)}
            </Text>{' '}
            {used === 1 ? 'booking' : 'bookings'} so far. Pro has no monthly limit.
          </Text>
        ) : (
          <LimitedUsage used={used} limit={limit} />
        )}
        <Text size="xs" c="dimmed">
          Bookings made this month, cancelled ones not counted.
        </Text>
      </Stack>
    </Paper>
  );
}

function LimitedUsage({ used, limit }: { used: number; limit: number }) {
  const level = usageLevel(used, limit);
  const percent = usagePercent(used, limit);
  const count = new Intl.NumberFormat();
  const summary = `${count.format(used)} of ${count.format(limit)} bookings`;
  return (
    <Stack gap="xs">
      <Text>
        <Text span fw={700} fz="xl">
          {count.format(used)}
        </Text>{' '}
        of {count.format(limit)} bookings included in Free
      </Text>
      <Progress.Root size={22} radius="md">
        <Progress.Section
          value={Math.max(percent, used > 0 ? 2 : 0)}
          color={COLORS[level]}
          withAria={false}
          role="progressbar"
          aria-label="Bookings this month"
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(used, limit)}
          aria-valuetext={summary}
        >
          {percent >= 12 && <Progress.Label>{percent}%</Progress.Label>}
        </Progress.Section>
      </Progress.Root>
      {level === 'close' && (
        <Text size="sm" c="orange.9" fw={500}>
          You are close to this month&apos;s limit. Upgrade to Pro so customers can keep booking online.
        </Text>
      )}
      {level === 'reached' && (
        <Text size="sm" c="red.9" fw={500}>
          The limit is reached: your booking page takes no new bookings until next month. Upgrade to Pro for unlimited
          bookings.
        </Text>
      )}
    </Stack>
  );
}
