import { Box, Table } from '@mantine/core';
import { formatRange, formatTableDay, type DateRange } from '../utils/range';
import { formatCount, formatRate, noShowRate, type DaySummary, type Totals } from '../utils/summary';

const COLUMNS = ['Bookings', 'Cancellations', 'Completed', 'No-shows', 'No-show rate', 'Reminders sent', 'Reminders failed'];

function cells(row: Omit<DaySummary, 'date' | 'no_show_rate'>, rate: number | null) {
  return [
    formatCount(row.booked),
    formatCount(row.cancelled),
    formatCount(row.completed),
    formatCount(row.no_show),
    formatRate(rate),
    formatCount(row.reminders_sent),
    formatCount(row.reminders_failed),
  ];
}

/** The charts' figures as a table: a day per row, the totals last. Scrolls inside itself on phones. */
export function SummaryTable({ days, totals, range }: { days: DaySummary[]; totals: Totals; range: DateRange }) {
  const caption = `Figures per day, ${formatRange(range)}`;
  return (
    <Box
      style={{ overflowX: 'auto' }}
      tabIndex={0}
      role="region"
      aria-label={caption}
      data-testid="summary-table"
    >
      <Table striped highlightOnHover withTableBorder miw={760} captionSide="top" verticalSpacing={6}>
        <Table.Caption ta="left">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Day</Table.Th>
            {COLUMNS.map((column) => (
              <Table.Th key={column} scope="col" ta="right">
                {column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {days.map((day) => (
            <Table.Tr key={day.date}>
              <Table.Th scope="row" fw={400}>
                {formatTableDay(day.date)}
              </Table.Th>
              {cells(day, noShowRate(day.completed, day.no_show)).map((value, index) => (
                <Table.Td key={COLUMNS[index]} ta="right">
                  {value}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">Total</Table.Th>
            {cells(totals, totals.noShowRate).map((value, index) => (
              <Table.Th key={COLUMNS[index]} ta="right">
                {value}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Box>
  );
}
