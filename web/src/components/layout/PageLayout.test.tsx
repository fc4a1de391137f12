import { screen } from '@testing-library/react';
import { renderWithProviders } from '@/test/render';
import { PageLayout } from './PageLayout';

describe('PageLayout', () => {
  it.each([
    ['/b/salon-ada', 'Online booking'],
    ['/manage/0b6f5b1e-0000-4000-8000-000000000000', 'Online booking'],
    ['/app/sign-up', 'For businesses'],
    ['/app/sign-in', 'For businesses'],
    ['/reset-password', 'For businesses'],
  ])('on %s says who the page is for: %s', (path, tagline) => {
    renderWithProviders(<PageLayout>page</PageLayout>, { path });
    expect(screen.getByRole('banner')).toHaveTextContent(tagline);
  });

  it('names no audience on the landing page', () => {
    renderWithProviders(<PageLayout>page</PageLayout>, { path: '/' });
    const banner = screen.getByRole('banner');
    expect(banner).not.toHaveTextContent('Online booking');
    expect(banner).not.toHaveTextContent('For businesses');
  });
});
