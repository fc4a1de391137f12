import type { Appointment, HistoryEntry, ReminderView } from '../types';

const STATUS_LABELS: Record<string, string> = {
  booked: 'Booked',
  rescheduled: 'Moved',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
};

const STATUS_COLORS: Record<string, string> = {
  booked: 'blue',
  rescheduled: 'grape',
  completed: 'green',
  no_show: 'orange',
  cancelled: 'gray',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.replace(/_/g, ' ');
}

export function statusColor(status: string): string {
  return STATUS_COLORS[status] ?? 'gray';
}

const CHANNEL_LABELS: Record<string, string> = { email: 'Email', sms: 'SMS' };

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The appointment's status history, oldest first. Older API versions sent none: the list is
 * then empty and the page says only what it knows.
 */
export function historyOf(appointment: Appointment): HistoryEntry[] {
  const raw = (appointment as unknown as { history?: unknown }).history;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item): HistoryEntry[] => {
    const entry = record(item);
    const status = text(entry?.status);
    const at = text(entry?.at);
    if (!entry || !status || !at) return [];
    return [
      {
        status,
        at,
        reason: text(entry.reason),
        actor: text(entry.actor),
        fromTime: text(entry.from_time),
        toTime: text(entry.to_time),
      },
    ];
  });
}

/** Reminders with their channel and, for a failed one, why (when the API says). */
export function remindersOf(appointment: Appointment): ReminderView[] {
  return appointment.reminders.map((reminder) => {
    const extra = reminder as unknown as Record<string, unknown>;
    return {
      id: reminder.id,
      channel: text(extra.channel) ?? reminder.type,
      remindAt: reminder.remind_at,
      status: reminder.status,
      sentAt: reminder.sent_at,
      failureReason: text(extra.failure_reason),
    };
  });
}

/** Who made a change, in words; null when unknown. */
export function actorLabel(actor: string | null): string | null {
  if (!actor) return null;
  const role = actor.split(':')[0];
  switch (role) {
    case 'customer':
      return 'by the customer';
    case 'owner':
      return 'by the owner';
    case 'admin':
      return 'by an admin';
    case 'staff':
      return 'by a staff member';
    case 'support':
      return 'by support';
    case 'system':
    case 'workflow':
      return 'automatically';
    default:
      return null;
  }
}

export interface AvailableActions {
  reschedule: boolean;
  cancel: boolean;
  complete: boolean;
  noShow: boolean;
  /** Booked but not begun: completed / no-show become possible at its start. */
  waitsForStart: boolean;
}

/**
 * What the API will accept (apptremind/booking/lifecycle.py and the workflow's validators):
 * only a booked appointment changes; it can be cancelled or moved to a free future time at any
 * point, and marked completed or no-show once it has started.
 */
export function availableActions(appointment: Pick<Appointment, 'status' | 'start_time'>, now: Date = new Date()): AvailableActions {
  const booked = appointment.status === 'booked';
  const started = Date.parse(appointment.start_time) <= now.getTime();
  return {
    reschedule: booked,
    cancel: booked,
    complete: booked && started,
    noShow: booked && started,
    waitsForStart: booked && !started,
  };
}
