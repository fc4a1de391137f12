/**
 * Coming back from Stripe Checkout (`/app/billing?checkout=success|cancelled`): the payment's
 * webhook reaches the API on its own time, so the page asks for the subscription every second
 * until the business is on Pro — never assuming it — and gives up asking after a minute.
 */

export const POLL_INTERVAL_MS = 1_000;
export const CONFIRM_TIMEOUT_MS = 60_000;

export type CheckoutReturn = 'success' | 'cancelled' | null;

/**
 * - `none`: not back from a checkout;
 * - `cancelled`: the owner left the checkout without paying;
 * - `confirming`: paid, waiting for the plan to turn Pro;
 * - `slow`: still not Pro after the timeout (polling stops; the owner may check again);
 * - `confirmed`: the plan is Pro.
 */
export type Confirmation = 'none' | 'cancelled' | 'confirming' | 'slow' | 'confirmed';

export function checkoutReturnOf(params: URLSearchParams): CheckoutReturn {
  const value = params.get('checkout');
  if (value === 'success') return 'success';
  if (value === 'cancelled' || value === 'canceled') return 'cancelled';
  return null;
}

export interface ConfirmationInput {
  returned: CheckoutReturn;
  /** The tier the last answer reported; undefined before the first answer. */
  tier: string | undefined;
  /** When the waiting (re)started, in ms. */
  waitingSince: number;
  /** When the last answer (or failure) came, in ms. */
  now: number;
  timeoutMs?: number;
}

export function confirmation({
  returned,
  tier,
  waitingSince,
  now,
  timeoutMs = CONFIRM_TIMEOUT_MS,
}: ConfirmationInput): Confirmation {
  if (returned === 'cancelled') return 'cancelled';
  if (returned !== 'success') return 'none';
  if (tier === 'pro') return 'confirmed';
  return now - waitingSince >= timeoutMs ? 'slow' : 'confirming';
}

/** How often to ask for the subscription in that state (false: not at all). */
export function pollInterval(state: Confirmation): number | false {
  return state === 'confirming' ? POLL_INTERVAL_MS : false;
}
