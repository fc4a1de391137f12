import { screen, waitFor } from '@testing-library/react';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { BillingPage } from './BillingPage';

const me = { id: 'u-1', business_id: 'b-1', email: 'owner@example.com', role: 'owner', is_active: true };
const profile = { name: 'Salon Ada', timezone: 'Europe/Berlin' };
const free = {
  tier: 'free',
  status: null,
  current_period_end: null,
  cancel_at_period_end: false,
  bookings_this_month: 85,
  monthly_booking_limit: 100,
  has_billing_account: true,
};
const pro = {
  ...free,
  tier: 'pro',
  status: 'active',
  current_period_end: '2027-01-02T10:00:00Z',
  monthly_booking_limit: null,
};
const invoice = {
  id: 'in_1',
  number: 'LOCAL-0001',
  amount: 2900,
  currency: 'usd',
  status: 'paid',
  paid_at: '2026-12-03T10:00:00Z',
  hosted_invoice_url: 'https://stripe.example/invoices/in_1',
};

describe('BillingPage', () => {
  it('says when a cancelled Pro plan ends instead of renewing', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json(me),
      'GET /api/v1/business/profile': () => json(profile),
      'GET /api/v1/billing/subscription': () => json({ ...pro, cancel_at_period_end: true }),
      'GET /api/v1/billing/invoices': () => json([]),
    });
    renderWithProviders(<BillingPage />, { route: '/app/billing', path: '/app/billing' });

    expect(await screen.findByText(/^Ends on .*will not renew/)).toBeInTheDocument();
    expect(screen.queryByText(/^Renews on/)).not.toBeInTheDocument();
  });

  it('after checkout, confirms the payment by asking until the plan is Pro', async () => {
    let asked = 0;
    mockApi({
      'GET /api/v1/auth/me': () => json(me),
      'GET /api/v1/business/profile': () => json(profile),
      'GET /api/v1/billing/subscription': () => json(++asked < 2 ? free : pro),
      'GET /api/v1/billing/invoices': () => json(asked < 2 ? [] : [invoice]),
    });
    renderWithProviders(<BillingPage />, { route: '/app/billing', path: '/app/billing?checkout=success' });

    expect(await screen.findByText('Confirming your payment…')).toBeInTheDocument();
    expect(await screen.findByTestId('plan-name')).toHaveTextContent('Free');
    expect(await screen.findByText('Welcome to Pro', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByTestId('plan-name')).toHaveTextContent('Pro');
    expect(screen.getByText(/^Renews on/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Upgrade to Pro' })).not.toBeInTheDocument();
    expect(await screen.findByRole('link', { name: /LOCAL-0001/ })).toHaveAttribute('href', invoice.hosted_invoice_url);
    expect(screen.getByText(/\$29\.00/)).toBeInTheDocument();
    // Answered once Pro, no more asking.
    const settled = asked;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(asked).toBe(settled);
  });

  it('shows the Free limit close to full, and explains a refused checkout', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json(me),
      'GET /api/v1/business/profile': () => json(profile),
      'GET /api/v1/billing/subscription': () => json(free),
      'GET /api/v1/billing/invoices': () => json([]),
      'POST /api/v1/billing/checkout': () =>
        json({ title: 'Payment provider error', status: 502, detail: 'Stripe refused the checkout: card_declined.' }, 502),
    });
    renderWithProviders(<BillingPage />, { route: '/app/billing', path: '/app/billing' });

    const bar = await screen.findByRole('progressbar', { name: 'Bookings this month' });
    expect(bar).toHaveAttribute('aria-valuetext', '85 of 100 bookings');
    expect(screen.getByText(/close to this month/)).toBeInTheDocument();
    expect(await screen.findByText('No invoices yet')).toBeInTheDocument();
    expect(screen.queryByText('Confirming your payment…')).not.toBeInTheDocument();

    screen.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await waitFor(() => expect(screen.getByRole('alert', { name: 'Checkout did not start' })).toHaveTextContent(/card_declined\. Nothing was charged/));
  });

  it('tells an admin that only the owner changes the plan', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json({ ...me, role: 'admin' }),
      'GET /api/v1/business/profile': () => json(profile),
      'GET /api/v1/billing/subscription': () => json({ ...free, bookings_this_month: 100 }),
      'GET /api/v1/billing/invoices': () => json([]),
    });
    renderWithProviders(<BillingPage />, { route: '/app/billing', path: '/app/billing' });

    const upgrade = await screen.findByRole('button', { name: 'Upgrade to Pro' });
    expect(upgrade).toBeDisabled();
    expect(upgrade).toHaveAccessibleDescription('Only the business owner can change the plan or open the billing account.');
    expect(screen.getByRole('button', { name: 'Manage billing' })).toBeDisabled();
    expect(screen.getByText(/The limit is reached/)).toBeInTheDocument();
  });
});
