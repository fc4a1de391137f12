import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { SignUpPage } from './SignUpPage';

const ACCEPTED = { detail: 'Check your email: a link to confirm your sign-up is on its way.' };

function renderPage() {
  renderWithProviders(<SignUpPage />, { route: '/app/sign-up', path: '/app/sign-up' });
}

async function fillIn(email: string) {
  expect(screen.getByRole('textbox', { name: /^Currency/ })).toHaveValue('USD — US Dollar');
  await userEvent.type(screen.getByRole('textbox', { name: /Business name/ }), 'Studio Lumen');
  await userEvent.type(screen.getByRole('textbox', { name: /Email/ }), email);
  await userEvent.type(screen.getByLabelText(/Password/), 'a long password');
}

describe('SignUpPage', () => {
  it('asks to check the email, naming the address, after sending the sign-up', async () => {
    const calls = mockApi({ 'POST /api/v1/auth/register': () => json(ACCEPTED, 202) });
    renderPage();
    await fillIn('ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('We sent a link to ada@example.com');
    expect(screen.getByText(/spam or junk folder/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to sign-in' })).toHaveAttribute('href', '/app/sign-in');
    expect(calls).toHaveLength(1);
    // The currency is guessed from the browser's language: jsdom's is en-US.
    expect(calls[0]!.body).toMatchObject({ email: 'ada@example.com', business_name: 'Studio Lumen', currency: 'USD' });
    expect(localStorage.getItem('apptremind.session')).toBeNull();

    // A typo in the address: back to the form, filled in as it was.
    await userEvent.click(screen.getByRole('button', { name: 'Sign up again' }));
    expect(screen.getByRole('textbox', { name: /Email/ })).toHaveValue('ada@example.com');
  });

  it('says why a sign-up was not sent', async () => {
    mockApi({
      'POST /api/v1/auth/register': () =>
        json({ title: 'Too many requests', status: 429, detail: 'Too many requests; try again in a minute' }, 429),
    });
    renderPage();
    await fillIn('ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Account not created');
    expect(screen.queryByRole('heading', { name: 'Check your email' })).not.toBeInTheDocument();
  });
});
