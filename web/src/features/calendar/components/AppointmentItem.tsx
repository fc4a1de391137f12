import type { CSSProperties } from 'react';
import { Link, useLocation } from 'react-router';
import type { Appointment } from '../types';
import { statusLabel } from '../utils/appointment';
import { formatTimes } from '../utils/format';
import classes from './calendar.module.css';

export function appointmentPath(id: string): string {
  return `/app/appointments/${encodeURIComponent(id)}`;
}

/** Where the details page's "back" goes: the calendar or list exactly as it was. */
export interface BackState {
  from: string;
  label: string;
}

interface AppointmentItemProps {
  appointment: Appointment;
  zone: string;
  /** Say whose appointment it is (when the lane or column does not). */
  showStaff?: boolean;
  backLabel: string;
  style?: CSSProperties;
}

/** An appointment as a link to its details, coloured by status, the status also in words. */
export function AppointmentItem({ appointment, zone, showStaff = false, backLabel, style }: AppointmentItemProps) {
  const location = useLocation();
  const back: BackState = { from: location.pathname + location.search, label: backLabel };
  const closed = appointment.status !== 'booked';
  const time = formatTimes(appointment.start_time, appointment.end_time, zone);
  return (
    <Link
      to={appointmentPath(appointment.id)}
      state={back}
      className={classes.item}
      data-status={appointment.status}
      style={style}
      data-appointment={appointment.id}
    >
      <span className={classes.time}>{time}</span>
      <span className={classes.agendaBody}>
        <span className={classes.what}>
          <strong>{appointment.customer.name}</strong>
        </span>
        <span className={classes.what}>{appointment.service_name}</span>
        {showStaff && <span className={classes.what}>with {appointment.staff_name}</span>}
        {closed && <span className={classes.state}>{statusLabel(appointment.status)}</span>}
      </span>
    </Link>
  );
}
