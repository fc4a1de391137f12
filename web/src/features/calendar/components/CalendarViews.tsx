import { Stack, Text, Title } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { CalendarDay } from '@/lib/datetime';
import type { Appointment, Lane } from '../types';
import { formatHour, formatLongDay, formatShortDay } from '../utils/format';
import { overlapColumns, visibleHours } from '../utils/layout';
import { clockChangeOn, placeOnDay, wallClock } from '../utils/zoned-time';
import { AppointmentItem } from './AppointmentItem';
import classes from './calendar.module.css';

const HOUR_PX = 64;
const MIN_BLOCK_PX = 22;

type CssVars = CSSProperties & Record<`--${string}`, string | number>;

function byStart(a: Appointment, b: Appointment): number {
  return Date.parse(a.start_time) - Date.parse(b.start_time);
}

function onDay(appointments: readonly Appointment[], day: CalendarDay, zone: string): Appointment[] {
  return appointments.filter((appointment) => wallClock(appointment.start_time, zone).day === day).sort(byStart);
}

interface DayProps {
  day: CalendarDay;
  zone: string;
  lanes: Lane[];
  appointments: readonly Appointment[];
  /** The current instant when `day` is today: a line marks it. */
  now: Date | null;
  backLabel: string;
}

/**
 * The day on wide screens: hours of the business's clock down the side, one column per staff
 * member. An appointment sits at its local start time, whatever the day's length.
 */
export function DayGrid({ day, zone, lanes, appointments, now, backLabel }: DayProps) {
  const placed = appointments
    .map((appointment) => ({ appointment, place: placeOnDay(appointment.start_time, appointment.end_time, zone) }))
    .filter(({ place }) => place.day === day)
    .sort((a, b) => a.place.top - b.place.top);
  const nowClock = now ? wallClock(now, zone) : null;
  const nowMinutes = nowClock && nowClock.day === day ? nowClock.minutes : null;
  const hours = visibleHours(
    placed.map(({ place }) => place),
    nowMinutes === null ? [] : [nowMinutes],
  );
  const px = (minutes: number) => ((minutes - hours.start * 60) * HOUR_PX) / 60;
  const height = (hours.end - hours.start) * HOUR_PX;
  const hourMarks = Array.from({ length: hours.end - hours.start }, (_, index) => hours.start + index);

  return (
    <div className={classes.scroller}>
      <div className={classes.dayGrid} style={{ '--lanes': lanes.length } as CssVars}>
        <div aria-hidden="true">
          <div className={classes.corner} />
          <div className={classes.gutter} style={{ height }} data-grid-start={hours.start}>
            {hourMarks.map((hour) => (
              <span key={hour} className={classes.hourLabel} style={{ top: px(hour * 60) }} data-hour={hour}>
                {formatHour(hour)}
              </span>
            ))}
          </div>
        </div>
        {lanes.map((lane) => {
          const mine = placed.filter(({ appointment }) => appointment.staff_id === lane.id);
          const columns = overlapColumns(mine.map(({ appointment, place }) => ({ id: appointment.id, ...place })));
          const headingId = `lane-${lane.id}`;
          return (
            <section key={lane.id} className={classes.lane} aria-labelledby={headingId} data-lane={lane.id}>
              <h3 id={headingId} className={classes.laneHeader}>
                {lane.name}
              </h3>
              <div style={{ position: 'relative' }}>
                {mine.length === 0 && <span className="visually-hidden">Nothing booked</span>}
                <ul className={classes.laneBody} style={{ height, '--hour': `${HOUR_PX}px` } as CssVars}>
                  {mine.map(({ appointment, place }) => {
                    const column = columns.get(appointment.id) ?? { column: 0, columns: 1 };
                    const style: CssVars = {
                      top: px(place.top),
                      height: Math.max((place.length * HOUR_PX) / 60, MIN_BLOCK_PX),
                      '--col': column.column,
                      '--cols': column.columns,
                    };
                    return (
                      <li key={appointment.id} className={classes.block} style={style}>
                        <AppointmentItem appointment={appointment} zone={zone} backLabel={backLabel} />
                      </li>
                    );
                  })}
                </ul>
                {nowMinutes !== null && <div className={classes.nowLine} style={{ top: px(nowMinutes) }} aria-hidden="true" />}
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}

interface WeekProps {
  days: CalendarDay[];
  today: CalendarDay;
  zone: string;
  lanes: Lane[];
  appointments: readonly Appointment[];
  rangeLabel: string;
  backLabel: string;
}

/** The week on wide screens: days across, a row per staff member, each day's appointments in order. */
export function WeekTable({ days, today, zone, lanes, appointments, rangeLabel, backLabel }: WeekProps) {
  return (
    <div className={classes.scroller}>
      <table className={classes.weekTable}>
        <caption className="visually-hidden">Appointments by staff member and day, {rangeLabel}</caption>
        <thead>
          <tr>
            <th scope="col" className={classes.staffColumn}>
              Staff
            </th>
            {days.map((day) => (
              <th
                key={day}
                scope="col"
                className={day === today ? classes.today : undefined}
                aria-current={day === today ? 'date' : undefined}
                data-day={day}
              >
                {formatShortDay(day)}
                {clockChangeOn(day, zone) && (
                  <Text component="span" size="xs" fw={400} display="block">
                    Clocks change
                  </Text>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lanes.map((lane) => (
            <tr key={lane.id} data-lane={lane.id}>
              <th scope="row">{lane.name}</th>
              {days.map((day) => {
                const items = onDay(
                  appointments.filter((appointment) => appointment.staff_id === lane.id),
                  day,
                  zone,
                );
                return (
                  <td key={day} className={day === today ? classes.today : undefined} data-day={day}>
                    {items.length > 0 && (
                      <ul className={classes.chips}>
                        {items.map((appointment) => (
                          <li key={appointment.id}>
                            <AppointmentItem appointment={appointment} zone={zone} backLabel={backLabel} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AgendaList({ items, zone, showStaff, backLabel }: { items: Appointment[]; zone: string; showStaff: boolean; backLabel: string }) {
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing booked
      </Text>
    );
  }
  return (
    <ul className={classes.agenda}>
      {items.map((appointment) => (
        <li key={appointment.id}>
          <AppointmentItem appointment={appointment} zone={zone} showStaff={showStaff} backLabel={backLabel} />
        </li>
      ))}
    </ul>
  );
}

/** The day on a phone: a list per staff member. */
export function DayAgenda({ day, zone, lanes, appointments, backLabel }: Omit<DayProps, 'now'>) {
  const today = onDay(appointments, day, zone);
  return (
    <Stack gap="lg">
      {lanes.map((lane) => (
        <section key={lane.id} aria-labelledby={`agenda-${lane.id}`} data-lane={lane.id}>
          <Title order={3} size="h4" id={`agenda-${lane.id}`} mb="xs">
            {lane.name}
          </Title>
          <AgendaList
            items={today.filter((appointment) => appointment.staff_id === lane.id)}
            zone={zone}
            showStaff={false}
            backLabel={backLabel}
          />
        </section>
      ))}
    </Stack>
  );
}

/** The week on a phone: a list per day, each entry naming its staff member when there are several. */
export function WeekAgenda({ days, today, zone, lanes, appointments, backLabel }: Omit<WeekProps, 'rangeLabel'>) {
  const laneIds = new Set(lanes.map((lane) => lane.id));
  const shown = appointments.filter((appointment) => laneIds.has(appointment.staff_id));
  return (
    <Stack gap="lg">
      {days.map((day) => (
        <section key={day} aria-labelledby={`agenda-${day}`} data-day={day}>
          <Title order={3} size="h5" id={`agenda-${day}`} mb={6}>
            {formatLongDay(day)}
            {day === today && (
              <Text component="span" c="blue.9" fw={600} size="sm">
                {' '}
                · Today
              </Text>
            )}
          </Title>
          {clockChangeOn(day, zone) && (
            <Text size="xs" c="dimmed" mb={4}>
              The clocks change on this day.
            </Text>
          )}
          <AgendaList items={onDay(shown, day, zone)} zone={zone} showStaff={lanes.length > 1} backLabel={backLabel} />
        </section>
      ))}
    </Stack>
  );
}
