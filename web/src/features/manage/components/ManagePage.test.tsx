import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { ManagePage } from './ManagePage';

const appointment = {
  id: 'appt-1',
  status: 'booked',
  service_id: 'svc-1',
  service_name: 'Haircut',
  duration_minutes: 60,
  price: '30.00',
  staff_id: 'staff-1',
  staff_name: 'Ada',
  start_time: '2099-12-04T09:00:00+01:00',
  end_time: '2099-12-04T10:00:00+01:00',
  timezone: 'Europe/Berlin',
  note: null,
  customer: { name: 'Grace', email: 'grace@example.com', phone: null },
  business: { name: 'Salon Ada', slug: 'salon-ada', address: 'Hauptstraße 1', timezone: 'Europe/Berlin', currency: 'GBP' },
};

function renderAt(path: string) {
  renderWithProviders(<ManagePage />, { route: '/manage/:appointmentId', path });
}

describe('ManagePage', () => {
  it('shows "not valid" and no data for a wrong token', async () => {
    mockApi({});
    renderAt('/manage/appt-1?token=tampered');
    expect(await screen.findByRole('heading', { name: 'This link is not valid' })).toBeInTheDocument();
    expect(screen.queryByText('Haircut')).not.toBeInTheDocument();
  });

  it('cancels after confirming, and shows the new state at once', async () => {
    const calls = mockApi({
      'GET /api/v1/public/appointments/appt-1': () => json(appointment),
      'POST /api/v1/public/appointments/appt-1/cancel': () => json({ ...appointment, status: 'cancelled' }),
    });
    renderAt('/manage/appt-1?token=good');

    expect(await screen.findByText('Booked')).toBeInTheDocument();
    const price = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'GBP' }).format(30).replace(/\s/g, ' ');
    expect(screen.getByText(/^What:/).closest('p')).toHaveTextContent(`What: Haircut (60 min · ${price})`);
    expect(screen.getByText(/Times in/)).toHaveTextContent('Times in Europe/Berlin (GMT+1)');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel appointment' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Yes, cancel it' }));

    expect(await screen.findByText('Cancelled')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reschedule' })).not.toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'GET')).toHaveLength(1);
    expect(calls.at(-1)?.url.searchParams.get('token')).toBe('good');
  });
});
