import { screen } from '@testing-library/react';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { SetupGuidePage } from './SetupGuidePage';
import { aProfile as profile } from '../testing';

const haircut = {
  id: 'svc-1',
  name: 'Haircut',
  duration_minutes: 45,
  price: '30.00',
  description: null,
  buffer_before_minutes: 0,
  buffer_after_minutes: 0,
};

function api(services: unknown[], staff: unknown[]) {
  mockApi({
    'GET /api/v1/business/profile': () => json(profile),
    'GET /api/v1/business/services': () => json(services),
    'GET /api/v1/business/staff': () => json(staff),
  });
}

describe('SetupGuidePage', () => {
  it('starts a new business on its details', async () => {
    api([], []);
    renderWithProviders(<SetupGuidePage />);
    expect(await screen.findByRole('heading', { name: 'Tell customers who you are' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Business name' })).toHaveValue('Salon Ada');
  });

  it('resumes at the staff step once a service exists', async () => {
    api([haircut], []);
    renderWithProviders(<SetupGuidePage />);
    expect(await screen.findByRole('heading', { name: 'Who takes the appointments?' })).toBeInTheDocument();
    expect(screen.getByText('Step 3 of 4 · Staff & hours')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Monday start 1' })).toHaveValue('09:00');
    expect(screen.queryByRole('textbox', { name: 'Saturday start 1' })).not.toBeInTheDocument();
  });

  it('ends on the link to share when services and staff exist', async () => {
    api([haircut], [{ id: 'st-1', name: 'Mia', is_active: true, working_hours: [] }]);
    renderWithProviders(<SetupGuidePage />);
    expect(await screen.findByRole('textbox', { name: 'Booking link' })).toHaveValue(
      `${window.location.origin}/b/salon-ada`,
    );
    expect(screen.getByRole('button', { name: 'Copy link' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open the booking page/ })).toHaveAttribute('target', '_blank');
    expect(screen.getByText(/now: 24 hours and 1 hour before/)).toBeInTheDocument();
  });
});
