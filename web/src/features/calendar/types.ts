import type { components } from '@/lib/api';

type Schemas = components['schemas'];

export type Appointment = Schemas['AppointmentResponse'];
export type StaffMember = Schemas['StaffResponse'];

export const APPOINTMENT_STATUSES = ['booked', 'completed', 'no_show', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export function isAppointmentStatus(value: string | null | undefined): value is AppointmentStatus {
  return (APPOINTMENT_STATUSES as readonly string[]).includes(value ?? '');
}

/** One change in the appointment's life, oldest first. */
export interface HistoryEntry {
  status: string;
  at: string;
  reason: string | null;
  /** Who made it: `owner:<id>`, `staff:<id>`, `customer`, `support`… */
  actor: string | null;
  /** A move's old and new start. */
  fromTime: string | null;
  toTime: string | null;
}

export interface ReminderView {
  id: string;
  channel: string;
  remindAt: string;
  status: string;
  sentAt: string | null;
  failureReason: string | null;
}

/** A lane of the calendar: a staff member, active or not, who has or can have appointments. */
export interface Lane {
  id: string;
  name: string;
}
