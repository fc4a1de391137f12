import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { json, mockApi, renderWithProviders } from '@/test/render';
import { AnalyticsPage } from './AnalyticsPage';

const zero = { booked: 0, cancelled: 0, completed: 0, no_show: 0, reminders_sent: 0, reminders_failed: 0, no_show_rate: null };

function renderAt(path: string) {
  renderWithProviders(<AnalyticsPage />, { route: '/app/analytics', path });
}

describe('AnalyticsPage', () => {
  it('shows the range’s totals, the no-show rate from the day rows, and the table view', async () => {
    const calls = mockApi({
      'GET /api/v1/business/profile': () => json({ name: 'Salon Ada', timezone: 'Europe/Berlin' }),
      'GET /api/v1/analytics/summary': () =>
        json([
          { ...zero, date: '2026-10-01', booked: 3, completed: 1, no_show: 1, reminders_sent: 2, no_show_rate: 0.5 },
          { ...zero, date: '2026-10-02', booked: 1, cancelled: 1, completed: 2, reminders_failed: 1, no_show_rate: 0 },
        ]),
    });
    renderAt('/app/analytics?from=2026-10-01&to=2026-10-02');

    const totals = await screen.findByLabelText('Totals');
    const stat = (label: string) => within(totals).getByText(label).nextElementSibling?.textContent;
    expect(stat('Bookings')).toBe('4');
    expect(stat('Cancellations')).toBe('1');
    expect(stat('No-shows')).toBe('1');
    // 1 no-show of 4 closed (3 completed): 25 %, not the mean of the days' 50 % and 0 %.
    expect(stat('No-show rate')).toMatch(/^25\s?%$/);
    expect(stat('Reminders failed')).toBe('1');
    expect(calls[1]?.url.search).toBe('?from=2026-10-01&to=2026-10-02');

    await userEvent.click(screen.getByRole('switch', { name: 'Show figures as a table' }));
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(4); // header, two days, total
    expect(within(table).getByRole('rowheader', { name: 'Total' }).parentElement).toHaveTextContent(/^Total413125\s?%21$/);
  });

  it('says so when nothing happened in the range', async () => {
    mockApi({
      'GET /api/v1/business/profile': () => json({ name: 'Salon Ada', timezone: 'Europe/Berlin' }),
      'GET /api/v1/analytics/summary': () => json([{ ...zero, date: '2026-10-01' }]),
    });
    renderAt('/app/analytics?range=7d');
    expect(await screen.findByText('No activity in this period yet')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Last 7 days' })).toBeChecked();
  });
});
