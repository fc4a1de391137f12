import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TimeSlotList } from './TimeSlotList';

const slots = [
  { start: '2026-12-04T09:00:00+01:00', end: '2026-12-04T10:00:00+01:00' },
  { start: '2026-12-04T10:00:00+01:00', end: '2026-12-04T11:00:00+01:00' },
];

function renderList(visitorZone: string, onSelect = vi.fn(), selectedStart: string | null = null) {
  render(
    <MantineProvider>
      <TimeSlotList
        slots={slots}
        zone="Europe/Berlin"
        visitorZone={visitorZone}
        selectedStart={selectedStart}
        onSelect={onSelect}
        locale="en-GB"
      />
    </MantineProvider>,
  );
  return onSelect;
}

describe('TimeSlotList', () => {
  it('offers each time as a button on the business’s clock, naming the zone', async () => {
    const onSelect = renderList('Europe/Berlin');
    expect(screen.getByText(/Times in/)).toHaveTextContent('Times in Europe/Berlin (GMT+1)');
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((button) => button.textContent)).toEqual(['09:00', '10:00']);
    expect(screen.queryByText(/your time/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: '10:00' }));
    expect(onSelect).toHaveBeenCalledWith(slots[1]);
  });

  it('shows the visitor’s own time beside each when their zone differs', () => {
    renderList('America/New_York');
    expect(screen.getByRole('button', { name: /09:00/ })).toHaveTextContent('09:0003:00 your time');
    expect(screen.getByText(/your zone, America\/New_York/)).toBeInTheDocument();
  });

  it('marks the chosen time as pressed', () => {
    renderList('Europe/Berlin', vi.fn(), slots[0]?.start ?? null);
    expect(screen.getByRole('button', { name: '09:00' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: '10:00' })).toHaveAttribute('aria-pressed', 'false');
  });
});
