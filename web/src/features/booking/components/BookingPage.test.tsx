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
  currency: 'EUR',
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

function booked(body: { time: string }) {
  return json(
    {
      appointment_id: 'appt-1',
      status: 'booked',
      staff_id: 'staff-1',
      start_time: body.time,
      end_time: body.time.replace(':00:00', ':59:00'),
      reminders: [],
      manage_token: 'token',
      manage_url: 'http://127.0.0.1:8080/manage/appt-1?token=token',
    },
    201,
  );
}

const CAPTCHA_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
const captchaOn = { captcha: { widget: 'turnstile', site_key: 'site-key-1', script_url: CAPTCHA_SCRIPT } };

/** Turnstile as its script defines it: a box that passes the check when ticked; `reset` unticks it. */
function fakeTurnstile() {
  let issued = 0;
  const turnstile = {
    render: vi.fn((container: HTMLElement, options: { callback: (token: string) => void }) => {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.setAttribute('aria-label', 'I am human');
      box.addEventListener('change', () => {
        if (box.checked) options.callback(`token-${(issued += 1)}`);
      });
      container.append(box);
      return 'widget-1';
    }),
    reset: vi.fn(() => {
      for (const box of document.querySelectorAll<HTMLInputElement>('input[aria-label="I am human"]')) box.checked = false;
    }),
  };
  vi.stubGlobal('turnstile', turnstile);
  return turnstile;
}

async function fillInDetails() {
  expect(await screen.findByRole('heading', { level: 1, name: 'Salon Ada' })).toBeInTheDocument();
  await userEvent.click(await screen.findByRole('button', { name: /, free times/ }));
  await chooseTime(/^09:00/);
  // Pasted rather than typed key by key: the same form state, a fraction of the time.
  await userEvent.click(screen.getByRole('textbox', { name: /^Name/ }));
  await userEvent.paste('Ada Lovelace');
  await userEvent.click(screen.getByRole('textbox', { name: /^Email/ }));
  await userEvent.paste('ada@example.com');
}

const confirmButton = () => screen.getByRole('button', { name: /Confirm booking/ });

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

  it('sends one Idempotency-Key per booking, the same again when retried after a network failure', async () => {
    const keys: (string | null)[] = [];
    mockApi({
      'GET /api/v1/public/businesses/salon-ada': () => json(business),
      'GET /api/v1/public/availability': availability,
      'GET /api/v1/public/slots': slots,
      'POST /api/v1/public/book': async (_url, request) => {
        keys.push(request.headers.get('Idempotency-Key'));
        // The first answer is lost on the way back (the booking may have been made).
        if (keys.length === 1) throw new TypeError('Failed to fetch');
        return booked((await request.json()) as { time: string });
      },
    });
    renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });
    await fillInDetails();

    await userEvent.click(confirmButton());
    await waitFor(() => expect(keys).toHaveLength(1));
    await waitFor(() => expect(confirmButton()).toBeEnabled());
    await userEvent.click(confirmButton());

    expect(await screen.findByRole('heading', { name: "You're booked" })).toBeInTheDocument();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('shows the price in the business’s currency, in the browser’s way, up to the confirmation', { timeout: 20_000 }, async () => {
    // What the browser (here: the test's default locale) writes for 30 US dollars, e.g. "$30.00".
    const price = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(30).replace(/\s/g, ' ');
    mockApi({
      'GET /api/v1/public/businesses/salon-ada': () => json({ ...business, currency: 'USD' }),
      'GET /api/v1/public/availability': availability,
      'GET /api/v1/public/slots': slots,
      'POST /api/v1/public/book': async (_url, request) => booked((await request.json()) as { time: string }),
    });
    renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });

    expect(await screen.findByText(`60 min · ${price}`)).toBeInTheDocument();
    await fillInDetails();
    expect(confirmButton()).toHaveAccessibleName(expect.stringContaining(`Haircut (${price}),`));
    await userEvent.click(confirmButton());

    expect(await screen.findByRole('heading', { name: "You're booked" })).toBeInTheDocument();
    expect(screen.getByText(`Haircut (60 min · ${price})`)).toBeInTheDocument();
  });

  // Four steps of the page each: more than the default 5 s on a busy machine.
  describe('with the CAPTCHA check on', { timeout: 20_000 }, () => {
    afterEach(() => vi.unstubAllGlobals());

    it('books with the token of the ticked widget, and asks for a new one after a refusal', async () => {
      const turnstile = fakeTurnstile();
      let bookings = 0;
      const calls = mockApi({
        'GET /api/v1/public/businesses/salon-ada': () => json(business),
        'GET /api/v1/public/config': () => json(captchaOn),
        'GET /api/v1/public/availability': availability,
        'GET /api/v1/public/slots': slots,
        'POST /api/v1/public/book': async (_url, request) => {
          bookings += 1;
          if (bookings === 1) {
            const message = 'The robot check failed or expired; please try again';
            return json(
              { title: 'Unprocessable', status: 422, detail: message, errors: [{ field: 'captcha_token', message }] },
              422,
            );
          }
          return booked((await request.json()) as { time: string });
        },
      });
      renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });
      await fillInDetails();

      // The button waits for the check and says why.
      expect(confirmButton()).toHaveAttribute('aria-disabled', 'true');
      expect(confirmButton()).toHaveAccessibleDescription('Complete the robot check above to confirm your booking.');
      await userEvent.click(confirmButton());
      expect(await screen.findByText('Please complete the robot check first.')).toBeInTheDocument();
      expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);

      await userEvent.click(screen.getByRole('checkbox', { name: 'I am human' }));
      expect(turnstile.render).toHaveBeenCalledWith(expect.any(HTMLElement), expect.objectContaining({ sitekey: 'site-key-1' }));
      expect(confirmButton()).not.toHaveAttribute('aria-disabled');
      expect(screen.queryByText('Please complete the robot check first.')).not.toBeInTheDocument();
      await userEvent.click(confirmButton());

      // Refused: the message sits by the widget, which starts over; the details and time stay.
      expect(await screen.findByRole('alert')).toHaveTextContent('The robot check failed or expired; please try again');
      expect(turnstile.reset).toHaveBeenCalledWith('widget-1');
      expect(screen.getByRole('checkbox', { name: 'I am human' })).not.toBeChecked();
      expect(confirmButton()).toHaveAttribute('aria-disabled', 'true');
      expect(screen.getByRole('textbox', { name: /^Name/ })).toHaveValue('Ada Lovelace');

      await userEvent.click(screen.getByRole('checkbox', { name: 'I am human' }));
      await userEvent.click(confirmButton());

      expect(await screen.findByRole('heading', { name: "You're booked" })).toBeInTheDocument();
      const sent = calls.filter((call) => call.method === 'POST').map((call) => call.body);
      expect(sent).toMatchObject([{ captcha_token: 'token-1' }, { captcha_token: 'token-2' }]);
      expect(turnstile.render).toHaveBeenCalledTimes(1);
    });

    it('explains a check service that cannot be reached, and the widget starts over', async () => {
      const turnstile = fakeTurnstile();
      mockApi({
        'GET /api/v1/public/businesses/salon-ada': () => json(business),
        'GET /api/v1/public/config': () => json(captchaOn),
        'GET /api/v1/public/availability': availability,
        'GET /api/v1/public/slots': slots,
        'POST /api/v1/public/book': () =>
          json({ title: 'Service unavailable', status: 503, detail: 'The booking could not be checked; try again shortly' }, 503),
      });
      renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });
      await fillInDetails();
      await userEvent.click(await screen.findByRole('checkbox', { name: 'I am human' }));
      await userEvent.click(confirmButton());

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'We could not confirm your booking just now, and nothing was booked.',
      );
      expect(turnstile.reset).toHaveBeenCalledTimes(1);
      expect(confirmButton()).toHaveAttribute('aria-disabled', 'true');
    });

    it('draws the widget when the check was turned on after the page loaded', async () => {
      fakeTurnstile();
      let config: unknown = { captcha: null };
      mockApi({
        'GET /api/v1/public/businesses/salon-ada': () => json(business),
        'GET /api/v1/public/config': () => json(config),
        'GET /api/v1/public/availability': availability,
        'GET /api/v1/public/slots': slots,
        'POST /api/v1/public/book': () => {
          const message = 'Please confirm you are not a robot';
          return json({ title: 'Unprocessable', status: 422, errors: [{ field: 'captcha_token', message }] }, 422);
        },
      });
      renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });
      await fillInDetails();
      expect(screen.queryByText('Robot check')).not.toBeInTheDocument();
      config = captchaOn;

      await userEvent.click(confirmButton());

      expect(await screen.findByRole('checkbox', { name: 'I am human' })).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent('Please confirm you are not a robot');
    });
  });

  it('with the check off loads no widget script and sends no token', { timeout: 20_000 }, async () => {
    const calls = mockApi({
      'GET /api/v1/public/businesses/salon-ada': () => json(business),
      'GET /api/v1/public/config': () => json({ captcha: null }),
      'GET /api/v1/public/availability': availability,
      'GET /api/v1/public/slots': slots,
      'POST /api/v1/public/book': async (_url, request) => booked((await request.json()) as { time: string }),
    });
    renderWithProviders(<BookingPage />, { route: '/b/:slug', path: '/b/salon-ada' });
    await fillInDetails();
    await waitFor(() => expect(calls.some((call) => call.url.pathname.endsWith('/config'))).toBe(true));

    expect(screen.queryByText('Robot check')).not.toBeInTheDocument();
    expect(confirmButton()).not.toHaveAttribute('aria-disabled');
    await userEvent.click(confirmButton());

    expect(await screen.findByRole('heading', { name: "You're booked" })).toBeInTheDocument();
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(calls.find((call) => call.method === 'POST')?.body).not.toHaveProperty('captcha_token');
  });
});
