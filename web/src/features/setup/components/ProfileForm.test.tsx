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

describe('ProfileForm', () => {
  it('says so once saved, until the owner changes something again', async () => {
    const calls = mockApi({ 'PATCH /api/v1/business/profile': () => json({ ...profile, address: 'Ringstraße 5' }) });
    renderWithProviders(<ProfileForm profile={profile} />);
    await userEvent.type(screen.getByRole('textbox', { name: /^Address/ }), 'Ringstraße 5');
    await userEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved.')).toBeInTheDocument();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({
      name: 'Salon Ada',
      timezone: 'Europe/Berlin',
      address: 'Ringstraße 5',
      country: null,
      slug: 'salon-ada',
    });
    await userEvent.type(screen.getByRole('textbox', { name: 'Business name' }), '!');
    expect(screen.queryByText('Profile saved.')).not.toBeInTheDocument();
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
