import type { CustomerAppointment } from '@/lib/api';

const STATUS_LABELS: Record<string, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'Missed',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replace(/_/g, ' ');
}

/** Only a booked appointment that has not begun can still be moved or cancelled. */
export function canChange(appointment: CustomerAppointment, now: Date = new Date()): boolean {
  return appointment.status === 'booked' && Date.parse(appointment.start_time) > now.getTime();
}
