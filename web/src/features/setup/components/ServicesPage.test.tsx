import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { aProfile } from '../testing';
import { ServicesPage } from './ServicesPage';

describe('ServicesPage', () => {
  it('says what to do when there is no service yet', async () => {
    mockApi({ 'GET /api/v1/business/services': () => json([]) });
    renderWithProviders(<ServicesPage />);
    expect(await screen.findByText('No services yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add your first service' })).toBeInTheDocument();
  });

  it("shows the API's refusal next to the field it concerns", async () => {
    const calls = mockApi({
      'GET /api/v1/business/services': () => json([]),
      'POST /api/v1/business/services': () =>
        json(
          {
            type: 'about:blank',
            title: 'Validation failed',
            status: 422,
            detail: 'Some fields are invalid',
            errors: [
              {
                loc: ['body', 'name'],
                field: 'name',
                message: 'Value error, must be one line without control characters',
                type: 'value_error',
              },
            ],
          },
          422,
        ),
    });
    renderWithProviders(<ServicesPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Add a service' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a service' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Name/ }), 'Haircut');
    const length = within(dialog).getByRole('textbox', { name: /^Length/ });
    await userEvent.clear(length);
    await userEvent.type(length, '45');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /^Price/ }), '30');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add service' }));

    const name = within(dialog).getByRole('textbox', { name: /^Name/ });
    expect(await within(dialog).findByText('Must be one line without control characters')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Please correct the fields marked above.');
    const sent = calls.find((call) => call.method === 'POST');
    expect(sent?.body).toEqual({
      name: 'Haircut',
      description: null,
      duration_minutes: 45,
      price: '30.00',
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
    });
  });

  it('refuses a service longer than a day before sending it', async () => {
    const calls = mockApi({ 'GET /api/v1/business/services': () => json([]) });
    renderWithProviders(<ServicesPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Add a service' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a service' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add service' }));
    expect(await within(dialog).findByText('Name the service, e.g. Haircut')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  it('lists archived services apart and restores one', async () => {
    const service = {
      duration_minutes: 45,
      price: '30.00',
      description: null,
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
    };
    const haircut = { ...service, id: 'h', name: 'Haircut', archived: false, archived_at: null };
    const colour = { ...service, id: 'c', name: 'Colour', archived: true, archived_at: '2026-05-01T10:00:00+02:00' };
    let restored = false;
    const calls = mockApi({
      'GET /api/v1/business/profile': () => json({ ...aProfile, currency: 'CHF' }),
      'GET /api/v1/business/services': () => json(restored ? [{ ...colour, archived: false, archived_at: null }, haircut] : [haircut, colour]),
      'PATCH /api/v1/business/services/c': () => {
        restored = true;
        return json({ ...colour, archived: false, archived_at: null });
      },
    });
    renderWithProviders(<ServicesPage />);
    const archived = await screen.findByRole('list', { name: 'Archived services' });
    expect(within(archived).getByText('Colour')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Services' })).queryByText('Colour')).not.toBeInTheDocument();
    expect(calls.find((call) => call.url.pathname.endsWith('/services'))?.url.searchParams.get('include_archived')).toBe('true');
    // Each price in the business's currency, the way the browser writes money.
    // (e.g. "CHF 30.00"; its no-break space reads as a space to the text matcher)
    const francs = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'CHF' }).format(30).replace(/\s/g, ' ');
    expect(await within(archived).findByText(`45 min · ${francs}`)).toBeInTheDocument();

    await userEvent.click(within(archived).getByRole('button', { name: 'Restore Colour' }));
    expect(await screen.findByText('Restored “Colour”. Customers can book it again.')).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ archived: false });
    expect(await within(screen.getByRole('list', { name: 'Services' })).findByText('Colour')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Archived services' })).not.toBeInTheDocument();
  });
});
