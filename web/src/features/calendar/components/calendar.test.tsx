import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import type { Appointment } from '../types';
import { AppointmentPage } from './AppointmentPage';
import { AppointmentsPage } from './AppointmentsPage';
import { CalendarPage } from './CalendarPage';

const YEAR = new Date().getUTCFullYear() + 1;
// The EU's spring-forward day next year: the last Sunday of March.
const SPRING = (() => {
  const last = new Date(Date.UTC(YEAR, 3, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
})();

/** An hour as this machine's locale writes it, as the pages do. */
function clock(hour: number): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(
    new Date(Date.UTC(2000, 0, 1, hour)),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TEN_TO_ELEVEN = new RegExp(`${escape(clock(10))}–${escape(clock(11))}`);

const profile = {
  id: 'b1',
  name: 'Salon Ada',
  slug: 'salon-ada',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  booking_horizon_days: 365,
  min_notice_minutes: 0,
};
const me = { id: 'u1', email: 'owner@example.com', role: 'owner', business_id: 'b1' };
const staff = [
  { id: 's1', name: 'Mia', is_active: true, working_hours: [] },
  { id: 's2', name: 'Leo', is_active: true, working_hours: [] },
];

function appointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: '0b7f0f5e-0000-4000-8000-000000000001',
    status: 'booked',
    staff_id: 's1',
    staff_name: 'Mia',
    service_id: 'v1',
    service_name: 'Haircut',
    duration_minutes: 60,
    price: '30.00',
    start_time: `${SPRING}T10:00:00+02:00`,
    end_time: `${SPRING}T11:00:00+02:00`,
    note: 'Short at the back',
    customer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+4917012345678' },
    reminders: [
      {
        id: 'r1',
        remind_at: `${SPRING}T09:00:00+02:00`,
        type: 'email',
        channel: 'email',
        status: 'pending',
        sent_at: null,
        failure_reason: null,
      },
    ],
    history: [{ status: 'booked', at: `${YEAR}-01-10T12:00:00+01:00`, reason: null, actor: null, from_time: null, to_time: null }],
    ...overrides,
  };
}

function commonRoutes(appointments: Appointment[], total?: number) {
  return {
    'GET /api/v1/auth/me': () => json(me),
    'GET /api/v1/business/profile': () => json(profile),
    'GET /api/v1/business/staff': () => json(staff),
    'GET /api/v1/appointments': () => {
      const response = json(appointments);
      if (total !== undefined) response.headers.set('X-Total-Count', String(total));
      return response;
    },
  };
}

describe('CalendarPage', () => {
  it('asks for the business’s local day, 23 hours on the spring-forward day, and lists it per staff member', async () => {
    const calls = mockApi(commonRoutes([appointment()]));
    renderWithProviders(<CalendarPage />, { path: `/app/calendar?view=day&date=${SPRING}` });

    const mia = await screen.findByRole('region', { name: 'Mia' });
    const link = within(mia).getByRole('link', { name: new RegExp(`${TEN_TO_ELEVEN.source}.*Ada Lovelace.*Haircut`) });
    expect(link).toHaveAttribute('href', '/app/appointments/0b7f0f5e-0000-4000-8000-000000000001');
    expect(within(screen.getByRole('region', { name: 'Leo' })).getByText('Nothing booked')).toBeInTheDocument();
    expect(screen.getByText(new RegExp(`Clocks go forward one hour at ${escape(clock(2))} \\(GMT\\+1 → GMT\\+2\\): this day has 23 hours`))).toBeInTheDocument();

    const request = calls.find((call) => call.url.pathname === '/api/v1/appointments');
    const from = new Date(request?.url.searchParams.get('from') ?? '');
    const to = new Date(request?.url.searchParams.get('to') ?? '');
    expect(from.toISOString()).toBe(new Date(`${SPRING}T00:00:00+01:00`).toISOString());
    expect((to.getTime() - from.getTime()) / 3_600_000).toBe(23);
  });

  it('says what to do next when the week is empty', async () => {
    mockApi(commonRoutes([]));
    renderWithProviders(<CalendarPage />, { path: `/app/calendar?view=week&date=${SPRING}` });
    expect(await screen.findByText('No appointments this week')).toBeInTheDocument();
    expect(screen.getByText(/Share your booking link/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'setup guide' })).toHaveAttribute('href', '/app/setup');
  });
});

describe('AppointmentPage', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the customer, the time on the business’s clock and each reminder', async () => {
    mockApi({
      ...commonRoutes([]),
      'GET /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001': () => json(appointment()),
    });
    renderWithProviders(<AppointmentPage />, {
      route: '/app/appointments/:appointmentId',
      path: '/app/appointments/0b7f0f5e-0000-4000-8000-000000000001',
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getByText(TEN_TO_ELEVEN)).toBeInTheDocument();
    const euros = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(30).replace(/\s/g, ' ');
    expect(screen.getByText(`Haircut · 60 min · ${euros}`)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'ada@example.com' })).toHaveAttribute('href', 'mailto:ada@example.com');
    const reminders = screen.getByRole('region', { name: 'Reminders' });
    expect(within(reminders).getByText('Email')).toBeInTheDocument();
    expect(within(reminders).getByText('Pending')).toBeInTheDocument();
    // Before its start only moving and cancelling are offered.
    expect(screen.getByRole('button', { name: 'Reschedule' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Mark no-show' })).not.toBeInTheDocument();
    expect(screen.getByText(/once it has started/)).toBeInTheDocument();
  });

  it('says why a reminder failed and who cancelled, with the reason', async () => {
    const cancelled = appointment({
      status: 'cancelled',
      reminders: [
        {
          id: 'r1',
          remind_at: `${SPRING}T09:00:00+02:00`,
          type: 'sms',
          channel: 'sms',
          status: 'failed',
          sent_at: null,
          failure_reason: 'The customer has opted out of text messages',
        },
      ],
      history: [
        { status: 'booked', at: `${YEAR}-01-10T12:00:00+01:00`, reason: null, actor: null, from_time: null, to_time: null },
        {
          status: 'rescheduled',
          at: `${YEAR}-01-11T12:00:00+01:00`,
          reason: null,
          actor: null,
          from_time: `${SPRING}T09:00:00+02:00`,
          to_time: `${SPRING}T10:00:00+02:00`,
        },
        { status: 'cancelled', at: `${YEAR}-01-12T12:00:00+01:00`, reason: 'Moving away', actor: 'customer', from_time: null, to_time: null },
      ],
    });
    mockApi({
      ...commonRoutes([]),
      'GET /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001': () => json(cancelled),
    });
    renderWithProviders(<AppointmentPage />, {
      route: '/app/appointments/:appointmentId',
      path: '/app/appointments/0b7f0f5e-0000-4000-8000-000000000001',
    });
    const reminders = await screen.findByRole('region', { name: 'Reminders' });
    expect(within(reminders).getByText('SMS')).toBeInTheDocument();
    expect(within(reminders).getByText('Not delivered: The customer has opted out of text messages')).toBeInTheDocument();
    const history = screen.getByRole('region', { name: 'History' });
    expect(within(history).getByText('Moved')).toBeInTheDocument();
    expect(within(history).getByText(/by the customer/)).toBeInTheDocument();
    expect(within(history).getByText('Reason: Moving away')).toBeInTheDocument();
    expect(screen.getByText('This appointment is cancelled: there is nothing more to change.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reschedule' })).not.toBeInTheDocument();
  });

  it('explains a refused no-show in plain words', async () => {
    // This device's clock says the appointment has begun; the server's says it has not.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${SPRING}T10:30:00+02:00`) });
    mockApi({
      ...commonRoutes([]),
      'GET /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001': () => json(appointment()),
      'POST /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001/no-show': () =>
        json(
          {
            type: 'https://apptremind.dev/problems/invalid-appointment-transition',
            title: 'Invalid appointment transition',
            status: 409,
            detail: 'An appointment cannot be marked as no-show before it starts',
          },
          409,
        ),
    });
    renderWithProviders(<AppointmentPage />, {
      route: '/app/appointments/:appointmentId',
      path: '/app/appointments/0b7f0f5e-0000-4000-8000-000000000001',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Mark no-show' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not marked as no-show');
    expect(alert).toHaveTextContent(/can’t mark it as a no-show before it has started/);
  });

  it('shows the new state at once after marking it completed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${SPRING}T11:30:00+02:00`) });
    mockApi({
      ...commonRoutes([]),
      'GET /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001': () => json(appointment()),
      'POST /api/v1/appointments/0b7f0f5e-0000-4000-8000-000000000001/complete': () =>
        json(appointment({ status: 'completed' })),
    });
    renderWithProviders(<AppointmentPage />, {
      route: '/app/appointments/:appointmentId',
      path: '/app/appointments/0b7f0f5e-0000-4000-8000-000000000001',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Mark completed' }));
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Completed'));
    expect(screen.getByText('Marked as completed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel appointment' })).not.toBeInTheDocument();
  });
});

describe('AppointmentsPage', () => {
  it('pages with the total the API counts, keeping filters in the address', async () => {
    const calls = mockApi(commonRoutes([appointment()], 26));
    renderWithProviders(<AppointmentsPage />, { path: '/app/appointments?status=booked&page=2&size=25&from=' });
    expect(await screen.findByText('Showing 26–26 of 26')).toBeInTheDocument();
    const request = calls.find((call) => call.url.pathname === '/api/v1/appointments');
    expect(request?.url.searchParams.get('status')).toBe('booked');
    expect(request?.url.searchParams.get('offset')).toBe('25');
    expect(request?.url.searchParams.get('limit')).toBe('25');
    expect(request?.url.searchParams.has('from')).toBe(false);
    expect(screen.getByRole('button', { name: 'Page 1' })).toBeInTheDocument();
  });

  it('offers a next page after a full page when the API sends no total', async () => {
    mockApi(commonRoutes(Array.from({ length: 10 }, (_, index) => appointment({ id: `id-${index}` }))));
    renderWithProviders(<AppointmentsPage />, { path: '/app/appointments?size=10' });
    expect(await screen.findByText('Showing 1–10')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
  });
});
