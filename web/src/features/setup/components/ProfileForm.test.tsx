import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { BusinessStep } from './BusinessStep';
import { ProfileForm } from './ProfileForm';
import { aProfile as profile } from '../testing';

const taken = {
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  detail: 'Another business has this booking page address',
};

// The whole profile form, typed into key by key: more than the default 5 s on a busy machine.
describe('ProfileForm', { timeout: 20_000 }, () => {
  it('says so once saved, until the owner changes something again', async () => {
    const calls = mockApi({ 'PATCH /api/v1/business/profile': () => json({ ...profile, address: 'Ringstraße 5' }) });
    renderWithProviders(<ProfileForm profile={profile} />);
    await userEvent.type(screen.getByRole('textbox', { name: /^Address/ }), 'Ringstraße 5');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved.')).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({
      name: 'Salon Ada',
      timezone: 'Europe/Berlin',
      currency: 'EUR',
      address: 'Ringstraße 5',
      country: null,
      slug: 'salon-ada',
    });
    await userEvent.type(screen.getByRole('textbox', { name: 'Business name' }), '!');
    expect(screen.queryByText('Profile saved.')).not.toBeInTheDocument();
  });

  it('saves the currency the owner picks from the list', async () => {
    const calls = mockApi({ 'PATCH /api/v1/business/profile': () => json({ ...profile, currency: 'USD' }) });
    renderWithProviders(<ProfileForm profile={profile} />);
    const currency = screen.getByRole('textbox', { name: /^Currency/ });
    expect(currency).toHaveValue('EUR — Euro');

    await userEvent.click(currency);
    await userEvent.clear(currency);
    await userEvent.type(currency, 'dollar');
    await userEvent.click(await screen.findByRole('option', { name: 'USD — US Dollar', hidden: true }));
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved.')).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toMatchObject({ currency: 'USD' });
    expect(currency).toHaveValue('USD — US Dollar');
  });

  it('puts a refused currency on its field', async () => {
    mockApi({
      'PATCH /api/v1/business/profile': () =>
        json({ type: 'about:blank', title: 'Invalid currency', status: 422, detail: "'XYZ' is not a currency" }, 422),
    });
    renderWithProviders(<ProfileForm profile={profile} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText("'XYZ' is not a currency")).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /^Currency/ })).toHaveAttribute('aria-invalid', 'true');
  });

  it('puts a booking page address another business has on its field', async () => {
    mockApi({ 'PATCH /api/v1/business/profile': () => json(taken, 409) });
    renderWithProviders(<ProfileForm profile={profile} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText(taken.detail)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /^Booking page address/ })).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('BusinessStep', () => {
  it('puts an unknown time zone on its field', async () => {
    mockApi({
      'PATCH /api/v1/business/profile': () =>
        json({ type: 'about:blank', title: 'Invalid timezone', status: 422, detail: 'Unknown time zone' }, 422),
    });
    renderWithProviders(<BusinessStep profile={profile} onDone={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save and continue' }));

    expect(await screen.findByText('Unknown time zone')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Time zone' })).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a refusal that concerns no field of the step above the button', async () => {
    mockApi({ 'PATCH /api/v1/business/profile': () => json(taken, 409) });
    renderWithProviders(<BusinessStep profile={profile} onDone={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save and continue' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(taken.detail);
  });
});
