import { Grid, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { ownerKeys, useBusinessProfile, useMe } from '@/lib/session';
import { billingKeys, useSubscription } from '../api/billing';
import { checkoutReturnOf, confirmation, pollInterval } from '../utils/checkout-return';
import { formatMonth } from '../utils/format';
import { CheckoutNotice } from './CheckoutNotice';
import { InvoicesCard } from './InvoicesCard';
import { PlanCard } from './PlanCard';
import { UsageCard } from './UsageCard';

/** The plan, this month's use of it, Stripe checkout and portal, and paid invoices. */
export function BillingPage() {
  usePageTitle('Billing');
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const me = useMe();
  const profile = useBusinessProfile();
  // Read once: the address loses its ?checkout= when the outcome is known, the page keeps it.
  const [returned] = useState(() => checkoutReturnOf(params));
  const [waitingSince, setWaitingSince] = useState(() => Date.now());
  const subscription = useSubscription((data) =>
    pollInterval(confirmation({ returned, tier: data?.tier, waitingSince, now: Date.now() })),
  );
  const state = confirmation({
    returned,
    tier: subscription.data?.tier,
    waitingSince,
    now: Math.max(subscription.dataUpdatedAt, subscription.errorUpdatedAt),
  });

  // Once the outcome is known the address drops ?checkout=, so a reload does not wait again.
  const settled = state === 'confirmed' || state === 'cancelled';
  useEffect(() => {
    if (!settled || !params.has('checkout')) return;
    const next = new URLSearchParams(params);
    next.delete('checkout');
    setParams(next, { replace: true });
    if (state === 'confirmed') {
      void queryClient.invalidateQueries({ queryKey: billingKeys.invoices });
      void queryClient.invalidateQueries({ queryKey: ownerKeys.profile });
    }
  }, [settled, state, params, setParams, queryClient]);

  const checkAgain = () => {
    setWaitingSince(Date.now());
    void subscription.refetch();
  };

  const zone = profile.data?.timezone ?? 'UTC';
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Billing</Title>
        <Text c="dimmed" mt={4}>
          Your plan, this month&apos;s bookings and your invoices.
        </Text>
      </div>
      <CheckoutNotice state={state} onCheckAgain={checkAgain} />
      {subscription.isPending || profile.isPending ? (
        <LoadingState label="Loading your plan…" />
      ) : subscription.isError ? (
        <ErrorState title="Your plan could not be loaded" error={subscription.error} onRetry={() => subscription.refetch()} />
      ) : (
        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <PlanCard subscription={subscription.data} zone={zone} isOwner={me.data?.role === 'owner'} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="lg">
              <UsageCard subscription={subscription.data} month={formatMonth(new Date(subscription.dataUpdatedAt), zone)} />
              <InvoicesCard zone={zone} />
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
