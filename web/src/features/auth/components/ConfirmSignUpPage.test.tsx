import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { endSession } from '@/lib/session';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { ConfirmSignUpPage } from './ConfirmSignUpPage';

const REJECTED = {
  title: 'Invalid confirmation link',
  status: 400,
  detail: 'This confirmation link is invalid, was already used or has expired; sign up again',
};

function renderAt(path: string) {
  renderWithProviders(
    <Routes>
      <Route path="/app/confirm-sign-up" element={<ConfirmSignUpPage />} />
      <Route path="/app/setup" element={<p>Setup guide</p>} />
    </Routes>,
    { route: '*', path },
  );
}

afterEach(() => endSession('signed-out'));

describe('ConfirmSignUpPage', () => {
  it('confirms the token once, keeps the session and continues to the setup guide', async () => {
    const calls = mockApi({
      'POST /api/v1/auth/register/confirm': () =>
        json({ user_id: 'u-1', business_id: 'b-1', access_token: 'the-token', token_type: 'bearer' }, 201),
    });
    renderAt('/app/confirm-sign-up?token=abc.def');

    expect(await screen.findByText('Setup guide')).toBeInTheDocument();
    expect(localStorage.getItem('apptremind.session')).toBe('the-token');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ token: 'abc.def' });
  });

  it('explains an expired or used link and offers to sign up again', async () => {
    mockApi({ 'POST /api/v1/auth/register/confirm': () => json(REJECTED, 400) });
    renderAt('/app/confirm-sign-up?token=used.token');

    expect(
      await screen.findByRole('heading', { name: 'This link has expired or was already used' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign up again' })).toHaveAttribute('href', '/app/sign-up');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/app/sign-in');
    expect(localStorage.getItem('apptremind.session')).toBeNull();
  });

  it('says a link without a token is not valid, without asking the API', async () => {
    const calls = mockApi({});
    renderAt('/app/confirm-sign-up');

    expect(await screen.findByRole('heading', { name: 'This link is not valid' })).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
