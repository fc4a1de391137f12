import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { monthBounds } from '@/lib/datetime';
import { BookingPage } from './BookingPage';

const business = {
  slug: 'salon-ada',
  name: 'Salon Ada',
  timezone: 'Europe/Berlin',
  address: 'Hauptstraße 1, 10115 Berlin',
  country: 'DE',
  booking_horizon_days: 365,
  services: [{ id: 'svc-1', name: 'Haircut', duration_minutes: 60, price: '30.00', description: 'Wash, cut and dry' }],
  staff: [{ id: 'staff-1', name: 'Ada' }],
};

/** Every month has one free day, its last, so the test never depends on today's date. */
function availability(url: URL) {
  const from = url.searchParams.get('from') ?? '';
  const { to } = monthBounds(from);
  const days = [];
  for (let day = 1; day <= Number(to.slice(8)); day += 1) {
    const date = `${from.slice(0, 8)}${String(day).padStart(2, '0')}`;
    days.push({ date, available: date === to });
  }
  return json({ timezone: 'Europe/Berlin', from, to, days, next_available_date: to });
}

function slots(url: URL) {
  const date = url.searchParams.get('date') ?? '';
  const slot = (hour: string) => ({
    start: `${date}T${hour}:00:00+01:00`,
    end: `${date}T${hour}:59:00+01:00`,
    staff_ids: ['staff-1'],
  });
  return json({ date, timezone: 'Europe/Berlin', slots: [slot('09'), slot('10')] });
}

async function chooseTime(hour: RegExp) {
  await userEvent.click(await screen.findByRole('button', { name: hour }));
}

describe('BookingPage', () => {
  it('says so kindly when the business is unknown', async () => {
    mockApi({});
    renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/nobody' });
    expect(await screen.findByRole('heading', { name: 'Business not found' })).toBeInTheDocument();
  });

  it('keeps the typed details when the time is taken meanwhile, then books another', async () => {
    let bookings = 0;
    const calls = mockApi({
      'GET /api/v1/public/businesses/salon-ada': () => json(business),
      'GET /api/v1/public/availability': availability,
      'GET /api/v1/public/slots': slots,
      'POST /api/v1/public/book': async (_url, request) => {
        bookings += 1;
        if (bookings === 1) return json({ title: 'Conflict', status: 409, detail: 'The time is not free' }, 409);
        const body = (await request.json()) as { time: string };
        return json(
          {
            appointment_id: 'appt-1',
            status: 'booked',
            staff_id: 'staff-1',
            start_time: body.time,
            end_time: body.time.replace('T10:00', 'T10:59'),
            reminders: [],
            manage_token: 'tok en',
            manage_url: 'http://127.0.0.1:8080/manage/appt-1?token=tok%20en',
          },
          201,
        );
      },
    });
    renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Salon Ada' })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole('button', { name: /, free times/ }));
    await chooseTime(/^09:00/);

    await userEvent.type(screen.getByRole('textbox', { name: /^Name/ }), 'Ada Lovelace');
    await userEvent.type(screen.getByRole('textbox', { name: /^Phone number/ }), '0170 1234567');
    await userEvent.click(screen.getByRole('button', { name: /Confirm booking/ }));

    expect(await screen.findByText(/was booked by someone else/)).toBeInTheDocument();
    await waitFor(() => expect(calls.filter((call) => call.url.pathname.endsWith('/slots'))).toHaveLength(2));

    await chooseTime(/^10:00/);
    expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('Ada Lovelace');
    await userEvent.click(screen.getByRole('button', { name: /Confirm booking/ }));

    expect(await screen.findByRole('heading', { name: "You're booked" })).toBeInTheDocument();
    const booked = calls.filter((call) => call.method === 'POST').at(-1)?.body;
    expect(booked).toMatchObject({
      service_id: 'svc-1',
      staff_id: null,
      customer_info: { name: 'Ada Lovelace', email: null, phone: '+491701234567' },
    });
    expect(screen.getByRole('link', { name: 'Manage this appointment' })).toHaveAttribute(
      'href',
      '/manage/appt-1?token=tok%20en',
    );
    expect(screen.getByRole('link', { name: 'Add to calendar' })).toHaveAttribute(
      'href',
      '/api/v1/public/appointments/appt-1/calendar.ics?token=tok%20en',
    );
    expect(screen.getByText(/Hauptstraße 1/)).toBeInTheDocument();
  });
});
