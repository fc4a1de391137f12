import { Alert, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { Subscription } from '../api/billing';
import { useOpenPortal, useStartCheckout } from '../api/billing';
import { billingError } from '../utils/errors';
import { formatDate } from '../utils/format';

const PRO_FEATURES = ['Unlimited bookings every month', 'Unlimited staff members', 'SMS reminders as well as email'];

const STATUS_LABELS: Record<string, { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  trialing: { label: 'Trial', color: 'teal' },
  past_due: { label: 'Payment overdue', color: 'orange' },
  unpaid: { label: 'Unpaid', color: 'red' },
  canceled: { label: 'Cancelled', color: 'gray' },
  incomplete: { label: 'Payment incomplete', color: 'orange' },
  incomplete_expired: { label: 'Expired', color: 'gray' },
};

/** "Renews on …", "Ended on …" for the subscription's period end. */
function periodLine(subscription: Subscription, zone: string): string | null {
  const end = subscription.current_period_end;
  if (!end) return null;
  const date = formatDate(end, zone);
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      return subscription.cancel_at_period_end ? `Ends on ${date}: it was cancelled and will not renew` : `Renews on ${date}`;
    case 'past_due':
      return `The last payment did not go through. Update your card in Manage billing before ${date}.`;
    case 'canceled':
    case 'incomplete_expired':
      return subscription.tier === 'pro' ? `Ends on ${date}` : `Ended on ${date}`;
    default:
      return `Current period ends on ${date}`;
  }
}

interface PlanCardProps {
  subscription: Subscription;
  zone: string;
  isOwner: boolean;
}

/** The plan in force, what Pro adds, and the way to Stripe (checkout or the portal). */
export function PlanCard({ subscription, zone, isOwner }: PlanCardProps) {
  const checkout = useStartCheckout();
  const portal = useOpenPortal();
  const pro = subscription.tier === 'pro';
  const status = subscription.status ? STATUS_LABELS[subscription.status] : undefined;
  const period = periodLine(subscription, zone);
  const busy = checkout.isPending || portal.isPending;

  // Back from Stripe with the browser's back button: the page may come back as it was left.
  useEffect(() => {
    const restored = (event: PageTransitionEvent) => {
      if (event.persisted) {
        checkout.reset();
        portal.reset();
      }
    };
    window.addEventListener('pageshow', restored);
    return () => window.removeEventListener('pageshow', restored);
  }, [checkout, portal]);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="plan-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4}>
            <Title order={2} size="h4" id="plan-title">
              Your plan
            </Title>
            <Group gap="xs">
              <Text fz={28} fw={700} lh={1.2} data-testid="plan-name">
                {pro ? 'Pro' : 'Free'}
              </Text>
              {status && (
                <Badge variant="light" color={status.color}>
                  {status.label}
                </Badge>
              )}
            </Group>
            {period && (
              <Text size="sm" c="dimmed">
                {period}
              </Text>
            )}
          </Stack>
        </Group>

        {pro ? (
          <Text size="sm">Pro includes:</Text>
        ) : (
          <Text size="sm">
            Free includes up to {subscription.monthly_booking_limit ?? 100} bookings a month, one active staff member and
            email reminders. <strong>Pro</strong> adds:
          </Text>
        )}
        <List spacing={4} size="sm" aria-label="What Pro includes">
          {PRO_FEATURES.map((feature) => (
            <List.Item key={feature}>{feature}</List.Item>
          ))}
        </List>

        {(checkout.isError || portal.isError) && (
          <Alert color="red" role="alert" title={checkout.isError ? 'Checkout did not start' : 'Billing account did not open'}>
            {billingError(checkout.error ?? portal.error)}
          </Alert>
        )}

        <Group gap="sm">
          {!pro && (
            <Button
              onClick={() => {
                portal.reset();
                checkout.mutate();
              }}
              loading={checkout.isPending}
              disabled={!isOwner || busy}
              aria-describedby={isOwner ? undefined : 'owner-only-note'}
            >
              Upgrade to Pro
            </Button>
          )}
          {subscription.has_billing_account && (
            <Button
              variant={pro ? 'filled' : 'default'}
              onClick={() => {
                checkout.reset();
                portal.mutate();
              }}
              loading={portal.isPending}
              disabled={!isOwner || busy}
              aria-describedby={isOwner ? undefined : 'owner-only-note'}
            >
              Manage billing
            </Button>
          )}
        </Group>
        {busy && (
          <Text size="sm" c="dimmed" role="status">
            {checkout.isPending ? 'Opening the secure Stripe checkout…' : 'Opening your billing account on Stripe…'}
          </Text>
        )}
        {isOwner ? (
          subscription.has_billing_account && (
            <Text size="xs" c="dimmed">
              Manage billing opens Stripe, where you can change your card, download invoices or cancel Pro.
            </Text>
          )
        ) : (
          <Text size="sm" c="dimmed" id="owner-only-note">
            Only the business owner can change the plan or open the billing account.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
