import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Availability } from '@/lib/api';
import { AvailabilityCalendar } from './AvailabilityCalendar';

function monthOf(from: string, free: string[], next: string | null): Availability {
  const days = Array.from({ length: 31 }, (_, index) => `${from.slice(0, 8)}${String(index + 1).padStart(2, '0')}`);
  return {
    timezone: 'Europe/Berlin',
    from,
    to: days[30] ?? from,
    days: days.map((date) => ({ date, available: free.includes(date) })),
    next_available_date: next,
  };
}

function renderCalendar(availability: Availability, handlers = { onMonthChange: vi.fn(), onSelectDay: vi.fn() }) {
  render(
    <MantineProvider>
      <DatesProvider settings={{ firstDayOfWeek: 1 }}>
        <AvailabilityCalendar
          timezone="Europe/Berlin"
          horizonDays={3650}
          month={availability.from}
          selectedDay={null}
          availability={availability}
          isLoading={false}
          error={null}
          onRetry={() => {}}
          {...handlers}
        />
      </DatesProvider>
    </MantineProvider>,
  );
  return handlers;
}

describe('AvailabilityCalendar', () => {
  // A month safely in the future, whatever day the tests run.
  const month = `${new Date().getUTCFullYear() + 1}-12-01`;
  const year = month.slice(0, 4);

  it('enables only the bookable days', async () => {
    const { onSelectDay } = renderCalendar(monthOf(month, [`${year}-12-04`], `${year}-12-04`));
    const free = screen.getByRole('button', { name: /(December 4|4 December).*, free times/ });
    expect(free).toBeEnabled();
    expect(screen.getByRole('button', { name: /(December 5|5 December).*no free times/ })).toBeDisabled();
    await userEvent.click(free);
    expect(onSelectDay).toHaveBeenCalledWith(`${year}-12-04`);
  });

  it('points to the next free day when the month has none', async () => {
    const next = `${Number(year) + 1}-01-05`;
    const { onMonthChange, onSelectDay } = renderCalendar(monthOf(month, [], next));
    expect(screen.getByText(/No free times this month — next free day is .*(January 5|5 January)/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /Go to .*(January 5|5 January)/ }));
    expect(onMonthChange).toHaveBeenCalledWith(`${Number(year) + 1}-01-01`);
    expect(onSelectDay).toHaveBeenCalledWith(next);
  });
});
