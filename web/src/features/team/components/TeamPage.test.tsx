import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { TeamPage } from './TeamPage';

const owner = { id: 'u-owner', business_id: 'b-1', email: 'owner@example.com', role: 'owner', is_active: true };
const staff = { id: 'u-staff', business_id: 'b-1', email: 'mia@example.com', role: 'staff', is_active: true };

function renderPage() {
  renderWithProviders(<TeamPage />, { route: '/app/team', path: '/app/team' });
}

describe('TeamPage', () => {
  it('keeps the signed-in login from demoting or deactivating itself, and says why', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json(owner),
      'GET /api/v1/auth/users': () => json([staff, owner]),
    });
    renderPage();
    const mine = await screen.findByRole('listitem', { name: owner.email });
    expect(within(mine).getByText('You')).toBeInTheDocument();
    expect(within(mine).getByRole('combobox', { name: /Role/ })).toBeDisabled();
    const deactivate = within(mine).getByRole('button', { name: 'Deactivate' });
    expect(deactivate).toBeDisabled();
    expect(deactivate).toHaveAccessibleDescription(/your own login/);
    // Owners come first; the staff login can be changed.
    const rows = screen.getAllByRole('listitem');
    expect(rows[0]).toHaveAccessibleName(owner.email);
    expect(within(rows[1]!).getByRole('button', { name: 'Deactivate' })).toBeEnabled();
  });

  it('deactivates after confirming and shows the login as deactivated', async () => {
    let current = staff;
    const calls = mockApi({
      'GET /api/v1/auth/me': () => json(owner),
      'GET /api/v1/auth/users': () => json([owner, current]),
      [`DELETE /api/v1/auth/users/${staff.id}`]: () => {
        current = { ...staff, is_active: false };
        return json(current);
      },
    });
    renderPage();
    const row = await screen.findByRole('listitem', { name: staff.email });
    await userEvent.click(within(row).getByRole('button', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate this login?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deactivate' }));

    expect(await within(row).findByText('Deactivated')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Reactivate' })).toBeEnabled();
    expect(screen.getByText(`${staff.email} is deactivated and signed out.`)).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
  });

  it('explains a refused role change', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json(owner),
      'GET /api/v1/auth/users': () => json([owner, staff]),
      [`PATCH /api/v1/auth/users/${staff.id}`]: () =>
        json({ title: 'Change refused', status: 409, detail: 'The business must keep at least one active owner' }, 409),
    });
    renderPage();
    const row = await screen.findByRole('listitem', { name: staff.email });
    await userEvent.selectOptions(within(row).getByRole('combobox', { name: /Role/ }), 'admin');
    expect(await within(row).findByRole('alert')).toHaveTextContent('The business must keep at least one active owner');
  });

  it('validates a new login before sending it, and puts a taken email on its field', async () => {
    const calls = mockApi({
      'GET /api/v1/auth/me': () => json(owner),
      'GET /api/v1/auth/users': () => json([owner]),
      'POST /api/v1/auth/users': () =>
        json({ title: 'Email already registered', status: 409, detail: 'Email already registered' }, 409),
    });
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Add login' }));
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);

    await userEvent.type(screen.getByRole('textbox', { name: /Email/ }), 'mia@example.com');
    await userEvent.type(screen.getByLabelText(/First password/), 'a long password');
    await userEvent.click(screen.getByRole('radio', { name: /Admin/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Add login' }));
    expect(await screen.findByText('This email already has a login. Use another address.')).toBeInTheDocument();
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
        email: 'mia@example.com',
        password: 'a long password',
        role: 'admin',
      }),
    );
  });

  it('tells an admin that only the owner adds logins', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => json({ ...staff, role: 'admin' }),
      'GET /api/v1/auth/users': () => json([owner, { ...staff, role: 'admin' }]),
    });
    renderPage();
    expect(await screen.findByText(/Only the business owner can add logins/)).toBeInTheDocument();
    const ownerRow = await screen.findByRole('listitem', { name: owner.email });
    expect(within(ownerRow).getByText("Only an owner can change an owner's login.")).toBeInTheDocument();
  });
});
