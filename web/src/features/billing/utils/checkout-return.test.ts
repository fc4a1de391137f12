import {
  CONFIRM_TIMEOUT_MS,
  POLL_INTERVAL_MS,
  checkoutReturnOf,
  confirmation,
  pollInterval,
  type ConfirmationInput,
} from './checkout-return';

const at = (overrides: Partial<ConfirmationInput>): ConfirmationInput => ({
  returned: 'success',
  tier: 'free',
  waitingSince: 1_000,
  now: 1_000,
  ...overrides,
});

describe('checkoutReturnOf', () => {
  it('reads how Checkout sent the owner back', () => {
    expect(checkoutReturnOf(new URLSearchParams('checkout=success'))).toBe('success');
    expect(checkoutReturnOf(new URLSearchParams('checkout=cancelled'))).toBe('cancelled');
    expect(checkoutReturnOf(new URLSearchParams('checkout=whatever'))).toBeNull();
    expect(checkoutReturnOf(new URLSearchParams(''))).toBeNull();
  });
});

describe('confirmation', () => {
  it('does not wait for anything without a checkout', () => {
    expect(confirmation(at({ returned: null }))).toBe('none');
    expect(pollInterval('none')).toBe(false);
  });

  it('waits for Pro after a successful checkout, asking every second', () => {
    const state = confirmation(at({ tier: 'free', now: 1_000 + 5_000 }));
    expect(state).toBe('confirming');
    expect(pollInterval(state)).toBe(POLL_INTERVAL_MS);
  });

  it('waits too before the first answer', () => {
    expect(confirmation(at({ tier: undefined }))).toBe('confirming');
  });

  it('never assumes: only a Pro answer confirms', () => {
    expect(confirmation(at({ tier: 'pro', now: 3_000 }))).toBe('confirmed');
    expect(pollInterval('confirmed')).toBe(false);
  });

  it('stops asking after the timeout and says it is taking longer', () => {
    expect(confirmation(at({ now: 1_000 + CONFIRM_TIMEOUT_MS - 1 }))).toBe('confirming');
    const state = confirmation(at({ now: 1_000 + CONFIRM_TIMEOUT_MS }));
    expect(state).toBe('slow');
    expect(pollInterval(state)).toBe(false);
  });

  it('confirms a late Pro answer even after the timeout', () => {
    expect(confirmation(at({ tier: 'pro', now: 1_000 + 2 * CONFIRM_TIMEOUT_MS }))).toBe('confirmed');
  });

  it('waits again when the owner checks again', () => {
    // The last answer came before the new wait started.
    expect(confirmation(at({ waitingSince: 100_000, now: 70_000 }))).toBe('confirming');
  });

  it('tells a cancelled checkout apart and never polls for it', () => {
    const state = confirmation(at({ returned: 'cancelled' }));
    expect(state).toBe('cancelled');
    expect(pollInterval(state)).toBe(false);
  });
});
