import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { todayInZone } from '@/lib/datetime';
import { canManage, useBusinessProfile, useMe } from '@/lib/session';
import { useAppointmentsInRange, useStaff } from '../api/appointments';
import { useMinWidth } from '../hooks/use-min-width';
import { useNow } from '../hooks/use-now';
import { formatDayRange, formatFullDay } from '../utils/format';
import { lanesFor } from '../utils/layout';
import { readCalendarState, writeCalendarState, type CalendarState, type CalendarView } from '../utils/url-state';
import { addCalendarDays, dayBounds, weekBounds, weekDays } from '../utils/zoned-time';
import { DayAgenda, DayGrid, WeekAgenda, WeekTable } from './CalendarViews';
import { ZoneLine } from './ZoneLine';

export function CalendarPage() {
  usePageTitle('Calendar');
  const profile = useBusinessProfile();
  if (profile.isPending) return <LoadingState label="Loading the calendar…" />;
  if (profile.isError) {
    return <ErrorState title="The calendar could not be loaded" error={profile.error} onRetry={() => void profile.refetch()} />;
  }
  return <Calendar zone={profile.data.timezone} slug={profile.data.slug} />;
}

function Calendar({ zone, slug }: { zone: string; slug: string }) {
  const me = useMe();
  const manager = canManage(me.data?.role);
  // Grids need room: the day's staff columns from tablet width, the week's table from desktop.
  const roomForDayGrid = useMinWidth(48);
  const roomForWeekTable = useMinWidth(62);
  const defaultView: CalendarView = roomForDayGrid ? 'week' : 'day';
  const now = useNow();
  const today = todayInZone(zone, now);
  const [params, setParams] = useSearchParams();
  const state = readCalendarState(params, today, defaultView);
  const update = (change: Partial<CalendarState>) => setParams(writeCalendarState({ ...state, ...change }, today, defaultView));

  const isDay = state.view === 'day';
  const days = isDay ? [state.day] : weekDays(state.day);
  const first = days[0] ?? state.day;
  const last = days[days.length - 1] ?? state.day;
  const bounds = isDay ? dayBounds(state.day, zone) : weekBounds(state.day, zone);
  const appointments = useAppointmentsInRange({
    from: bounds.from.toISOString(),
    to: bounds.to.toISOString(),
    staffId: state.staffId,
  });
  const staff = useStaff();

  const all = appointments.data ?? [];
  const shown = state.showCancelled ? all : all.filter((appointment) => appointment.status !== 'cancelled');
  const hiddenCancelled = all.length - shown.length;
  const lanes = lanesFor(staff.data, shown, state.staffId);
  const staffOptions = lanesFor(staff.data, all, null);
  const rangeLabel = isDay ? formatFullDay(state.day) : formatDayRange(first, last);
  const unit = isDay ? 'day' : 'week';
  const step = isDay ? 1 : 7;
  const backLabel = 'Back to the calendar';
  const loadingOther = appointments.isFetching && appointments.isPlaceholderData;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center" gap="sm">
        <Title order={1}>Calendar</Title>
        <SegmentedControl
          aria-label="View"
          value={state.view}
          onChange={(view) => update({ view: view as CalendarView })}
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
          ]}
        />
      </Group>

      <Group justify="space-between" align="flex-end" gap="sm">
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Button variant="default" onClick={() => update({ day: today })}>
            Today
          </Button>
          <ActionIcon.Group>
            <ActionIcon
              variant="default"
              size={36}
              aria-label={`Previous ${unit}`}
              onClick={() => update({ day: addCalendarDays(state.day, -step) })}
            >
              <span aria-hidden="true">‹</span>
            </ActionIcon>
            <ActionIcon
              variant="default"
              size={36}
              aria-label={`Next ${unit}`}
              onClick={() => update({ day: addCalendarDays(state.day, step) })}
            >
              <span aria-hidden="true">›</span>
            </ActionIcon>
          </ActionIcon.Group>
          <DatePickerInput
            label="Go to date"
            value={state.day}
            onChange={(day) => day && update({ day: day.slice(0, 10) })}
            valueFormat="D MMM YYYY"
            w={140}
            popoverProps={{ position: 'bottom-start' }}
            ariaLabels={{ previousMonth: 'Previous month', nextMonth: 'Next month', previousYear: 'Previous year', nextYear: 'Next year' }}
          />
        </Group>
        <Group gap="md" align="flex-end" wrap="nowrap">
          <NativeSelect
            label="Staff"
            value={state.staffId ?? ''}
            onChange={(event) => update({ staffId: event.currentTarget.value || null })}
            data={[{ value: '', label: 'Everyone' }, ...staffOptions.map((lane) => ({ value: lane.id, label: lane.name }))]}
            w={160}
          />
          <Checkbox
            label="Show cancelled"
            checked={state.showCancelled}
            onChange={(event) => update({ showCancelled: event.currentTarget.checked })}
            mb={8}
          />
        </Group>
      </Group>

      <Group gap="xs" align="center" wrap="nowrap" miw={0}>
        <Title order={2} size="h3" aria-live="polite" data-range={`${first}/${last}`}>
          {rangeLabel}
        </Title>
        {loadingOther && <Loader size="xs" role="status" aria-label="Loading appointments" />}
      </Group>

      <ZoneLine zone={zone} days={days} />

      {appointments.isPending ? (
        <LoadingState label="Loading appointments…" />
      ) : appointments.isError ? (
        <ErrorState
          title="Appointments could not be loaded"
          error={appointments.error}
          onRetry={() => void appointments.refetch()}
        />
      ) : shown.length === 0 ? (
        <NothingBooked
          unit={unit}
          manager={manager}
          slug={slug}
          hiddenCancelled={hiddenCancelled}
          onShowCancelled={() => update({ showCancelled: true })}
          filtered={state.staffId !== null}
        />
      ) : isDay ? (
        roomForDayGrid ? (
          <DayGrid
            day={state.day}
            zone={zone}
            lanes={lanes}
            appointments={shown}
            now={state.day === today ? now : null}
            backLabel={backLabel}
          />
        ) : (
          <DayAgenda day={state.day} zone={zone} lanes={lanes} appointments={shown} backLabel={backLabel} />
        )
      ) : roomForWeekTable ? (
        <WeekTable
          days={days}
          today={today}
          zone={zone}
          lanes={lanes}
          appointments={shown}
          rangeLabel={rangeLabel}
          backLabel={backLabel}
        />
      ) : (
        <WeekAgenda days={days} today={today} zone={zone} lanes={lanes} appointments={shown} backLabel={backLabel} />
      )}
      {hiddenCancelled > 0 && shown.length > 0 && (
        <Text size="sm" c="dimmed">
          {hiddenCancelled === 1 ? '1 cancelled appointment is hidden.' : `${hiddenCancelled} cancelled appointments are hidden.`}{' '}
          <Anchor component="button" type="button" size="sm" onClick={() => update({ showCancelled: true })}>
            Show cancelled
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

interface NothingBookedProps {
  unit: 'day' | 'week';
  manager: boolean;
  slug: string;
  hiddenCancelled: number;
  onShowCancelled: () => void;
  filtered: boolean;
}

function NothingBooked({ unit, manager, slug, hiddenCancelled, onShowCancelled, filtered }: NothingBookedProps) {
  const bookingPath = `/b/${encodeURIComponent(slug)}`;
  return (
    <EmptyState title={unit === 'day' ? 'No appointments on this day' : 'No appointments this week'}>
      <Stack gap="xs">
        {hiddenCancelled > 0 && (
          <Text size="sm">
            {hiddenCancelled === 1 ? 'One appointment was cancelled. ' : `${hiddenCancelled} appointments were cancelled. `}
            <Anchor c="blue.9" component="button" type="button" size="sm" onClick={onShowCancelled}>
              Show cancelled
            </Anchor>
          </Text>
        )}
        {filtered && <Text size="sm">Only one staff member’s appointments are shown; choose “Everyone” to see all.</Text>}
        {manager ? (
          <Text size="sm">
            Share your booking link so customers can book:{' '}
            <Anchor c="blue.9" href={bookingPath} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>
              {window.location.origin}
              {bookingPath}
            </Anchor>
            . The{' '}
            <Anchor c="blue.9" component={Link} to="/app/setup">
              setup guide
            </Anchor>{' '}
            helps you get ready.
          </Text>
        ) : (
          <Text size="sm">New bookings show up here as soon as customers make them.</Text>
        )}
      </Stack>
    </EmptyState>
  );
}
