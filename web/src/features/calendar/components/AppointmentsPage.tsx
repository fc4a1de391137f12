import { Anchor, Badge, Button, Group, Loader, NativeSelect, Pagination, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { Link, useLocation, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { todayInZone } from '@/lib/datetime';
import { canManage, useBusinessProfile, useMe } from '@/lib/session';
import { useAppointmentPage, useStaff, type AppointmentQuery } from '../api/appointments';
import { useMinWidth } from '../hooks/use-min-width';
import { APPOINTMENT_STATUSES, type Appointment } from '../types';
import { statusColor, statusLabel } from '../utils/appointment';
import { formatDayWithYear, formatTimes, zoneOffsetLabel } from '../utils/format';
import { lanesFor } from '../utils/layout';
import { PAGE_SIZES, readListState, writeListState, type ListState } from '../utils/url-state';
import { addCalendarDays, instantAt, wallClock } from '../utils/zoned-time';
import { appointmentPath, AppointmentItem, type BackState } from './AppointmentItem';
import classes from './calendar.module.css';

const MONTH_NAVIGATION = { previousMonth: 'Previous month', nextMonth: 'Next month', previousYear: 'Previous year', nextYear: 'Next year' };

export function AppointmentsPage() {
  usePageTitle('Appointments');
  const profile = useBusinessProfile();
  if (profile.isPending) return <LoadingState label="Loading appointments…" />;
  if (profile.isError) {
    return <ErrorState title="Appointments could not be loaded" error={profile.error} onRetry={() => void profile.refetch()} />;
  }
  return <AppointmentList zone={profile.data.timezone} slug={profile.data.slug} />;
}

function AppointmentList({ zone, slug }: { zone: string; slug: string }) {
  const me = useMe();
  const manager = canManage(me.data?.role);
  const wide = useMinWidth(48);
  const today = todayInZone(zone);
  const [params, setParams] = useSearchParams();
  const state = readListState(params, today);
  // A filter change starts again at the first page.
  const update = (change: Partial<ListState>) =>
    setParams(writeListState({ ...state, page: 1, ...change }, today));

  const query: AppointmentQuery = {
    ...(state.from ? { from: instantAt(state.from, 0, zone).toISOString() } : {}),
    ...(state.to ? { to: instantAt(addCalendarDays(state.to, 1), 0, zone).toISOString() } : {}),
    staffId: state.staffId,
    status: state.status,
  };
  const offset = (state.page - 1) * state.pageSize;
  const page = useAppointmentPage(query, state.pageSize, offset);
  const staff = useStaff();
  const staffOptions = lanesFor(staff.data, page.data?.items ?? [], null);

  const items = page.data?.items ?? [];
  const total = page.data?.total ?? null;
  const pages = total !== null ? Math.max(1, Math.ceil(total / state.pageSize)) : null;
  // Without a total, a full page means there may be more.
  const hasNext = pages !== null ? state.page < pages : items.length === state.pageSize;
  // The offsets the listed times have: both when the clocks change within the page.
  const offsets = items.length > 0 ? [...new Set(items.map((item) => zoneOffsetLabel(zone, item.start_time)))] : [zoneOffsetLabel(zone)];
  const filtered = state.staffId !== null || state.status !== null || state.to !== null || state.from !== today;

  return (
    <Stack gap="md">
      <Title order={1}>Appointments</Title>

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" component="form" role="search" aria-label="Filter appointments" onSubmit={(event) => event.preventDefault()}>
        <DatePickerInput
          label="From"
          placeholder="Any time"
          value={state.from}
          onChange={(from) => update({ from: from ? from.slice(0, 10) : null })}
          valueFormat="D MMM YYYY"
          classNames={{ placeholder: classes.placeholder }}
          clearable
          maxDate={state.to ?? undefined}
          ariaLabels={MONTH_NAVIGATION}
          clearButtonProps={{ 'aria-label': 'Clear the first day' }}
        />
        <DatePickerInput
          label="To"
          placeholder="Any time"
          value={state.to}
          onChange={(to) => update({ to: to ? to.slice(0, 10) : null })}
          valueFormat="D MMM YYYY"
          classNames={{ placeholder: classes.placeholder }}
          clearable
          minDate={state.from ?? undefined}
          ariaLabels={MONTH_NAVIGATION}
          clearButtonProps={{ 'aria-label': 'Clear the last day' }}
        />
        <NativeSelect
          label="Staff"
          value={state.staffId ?? ''}
          onChange={(event) => update({ staffId: event.currentTarget.value || null })}
          data={[{ value: '', label: 'Everyone' }, ...staffOptions.map((lane) => ({ value: lane.id, label: lane.name }))]}
        />
        <NativeSelect
          label="Status"
          value={state.status ?? ''}
          onChange={(event) => {
            const value = event.currentTarget.value;
            update({ status: APPOINTMENT_STATUSES.find((status) => status === value) ?? null });
          }}
          data={[{ value: '', label: 'Any status' }, ...APPOINTMENT_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }))]}
        />
      </SimpleGrid>

      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed">
          Times in <strong>{zone}</strong> ({offsets.join(' / ')})
        </Text>
        {filtered && (
          <Button variant="subtle" size="compact-sm" onClick={() => setParams(new URLSearchParams())}>
            Reset filters
          </Button>
        )}
      </Group>

      {page.isPending ? (
        <LoadingState label="Loading appointments…" />
      ) : page.isError ? (
        <ErrorState title="Appointments could not be loaded" error={page.error} onRetry={() => void page.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={state.page > 1 ? 'No appointments on this page' : 'No appointments match'}>
          <Stack gap="xs">
            {state.page > 1 ? (
              <Text size="sm">
                <Anchor c="blue.9" component="button" type="button" size="sm" onClick={() => update({ page: 1 })}>
                  Go to the first page
                </Anchor>
              </Text>
            ) : filtered ? (
              <Text size="sm">Try other dates, another staff member or any status.</Text>
            ) : manager ? (
              <Text size="sm">
                Nothing booked from today on. Share your booking link so customers can book:{' '}
                <Anchor c="blue.9" href={`/b/${encodeURIComponent(slug)}`} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>
                  {window.location.origin}/b/{slug}
                </Anchor>
                , or open the{' '}
                <Anchor c="blue.9" component={Link} to="/app/setup">
                  setup guide
                </Anchor>
                .
              </Text>
            ) : (
              <Text size="sm">Nothing booked from today on. New bookings show up here as customers make them.</Text>
            )}
          </Stack>
        </EmptyState>
      ) : (
        <>
          <Group gap="xs">
            <Text size="sm" role="status" data-testid="showing">
              {total !== null
                ? `Showing ${offset + 1}–${offset + items.length} of ${total}`
                : `Showing ${offset + 1}–${offset + items.length}`}
            </Text>
            {page.isFetching && page.isPlaceholderData && <Loader size="xs" role="status" aria-label="Loading appointments" />}
          </Group>
          {wide ? <AppointmentTable items={items} zone={zone} /> : <AppointmentCards items={items} zone={zone} />}
        </>
      )}

      {!page.isPending && !page.isError && (state.page > 1 || hasNext) && (
        <Group justify="space-between" gap="sm">
          {pages !== null ? (
            <Pagination
              total={pages}
              value={state.page}
              onChange={(next) => setParams(writeListState({ ...state, page: next }, today))}
              siblings={wide ? 1 : 0}
              boundaries={1}
              getControlProps={(control) =>
                control === 'previous' ? { 'aria-label': 'Previous page' } : control === 'next' ? { 'aria-label': 'Next page' } : {}
              }
              getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
            />
          ) : (
            <Group gap="xs">
              <Button
                variant="default"
                disabled={state.page <= 1}
                onClick={() => setParams(writeListState({ ...state, page: state.page - 1 }, today))}
              >
                Previous page
              </Button>
              <Button variant="default" disabled={!hasNext} onClick={() => setParams(writeListState({ ...state, page: state.page + 1 }, today))}>
                Next page
              </Button>
            </Group>
          )}
          <NativeSelect
            label="Per page"
            size="xs"
            value={String(state.pageSize)}
            onChange={(event) => update({ pageSize: Number(event.currentTarget.value) })}
            data={PAGE_SIZES.map((size) => String(size))}
            w={90}
          />
        </Group>
      )}
    </Stack>
  );
}

function AppointmentTable({ items, zone }: { items: Appointment[]; zone: string }) {
  const location = useLocation();
  const back: BackState = { from: location.pathname + location.search, label: 'Back to the appointments' };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Customer</Table.Th>
            <Table.Th scope="col">Service</Table.Th>
            <Table.Th scope="col">Staff</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((appointment) => (
            <Table.Tr key={appointment.id} data-appointment={appointment.id}>
              <Table.Td>
                <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                  {formatDayWithYear(wallClock(appointment.start_time, zone).day)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatTimes(appointment.start_time, appointment.end_time, zone)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={appointmentPath(appointment.id)} state={back} fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {appointment.customer.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{appointment.service_name}</Table.Td>
              <Table.Td>{appointment.staff_name}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={statusColor(appointment.status)}>
                  {statusLabel(appointment.status)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** On a phone: one card per appointment, grouped under its day. */
function AppointmentCards({ items, zone }: { items: Appointment[]; zone: string }) {
  const groups = new Map<string, Appointment[]>();
  for (const appointment of items) {
    const day = wallClock(appointment.start_time, zone).day;
    groups.set(day, [...(groups.get(day) ?? []), appointment]);
  }
  return (
    <Stack gap="md">
      {[...groups.entries()].map(([day, dayItems]) => (
        <section key={day} aria-labelledby={`list-${day}`}>
          <Title order={2} size="h5" id={`list-${day}`} mb={6}>
            {formatDayWithYear(day)}
          </Title>
          <ul className={classes.agenda}>
            {dayItems.map((appointment) => (
              <li key={appointment.id}>
                <AppointmentItem appointment={appointment} zone={zone} showStaff backLabel="Back to the appointments" />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Stack>
  );
}
