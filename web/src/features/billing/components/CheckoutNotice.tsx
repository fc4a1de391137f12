import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { Confirmation } from '../utils/checkout-return';

interface CheckoutNoticeProps {
  state: Confirmation;
  onCheckAgain: () => void;
}

/** What happened after Stripe Checkout sent the owner back here. */
export function CheckoutNotice({ state, onCheckAgain }: CheckoutNoticeProps) {
  switch (state) {
    case 'confirming':
      return (
        <Alert color="blue" variant="light" role="status" aria-live="polite">
          <Group gap="sm" wrap="nowrap">
            <Loader size="sm" aria-hidden />
            <Stack gap={2}>
              <Text fw={600}>Confirming your payment…</Text>
              <Text size="sm">This usually takes a few seconds. You can stay on this page.</Text>
            </Stack>
          </Group>
        </Alert>
      );
    case 'slow':
      return (
        <Alert color="yellow" variant="light" role="alert" title="Your payment is taking longer to confirm">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              Stripe has not confirmed the payment yet. If you paid, Pro turns on as soon as it does; you do not need to
              pay again.
            </Text>
            <Button size="xs" variant="outline" color="yellow.9" onClick={onCheckAgain}>
              Check again
            </Button>
          </Stack>
        </Alert>
      );
    case 'confirmed':
      return (
        <Alert color="teal" variant="light" role="status" title="Welcome to Pro">
          Your payment is confirmed: unlimited bookings and staff, and SMS reminders are on.
        </Alert>
      );
    case 'cancelled':
      return (
        <Alert color="gray" variant="light" role="status" title="Checkout cancelled">
          Nothing was charged. You can upgrade whenever you like.
        </Alert>
      );
    default:
      return null;
  }
}
