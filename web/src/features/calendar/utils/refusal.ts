import { describeError, isApiError } from '@/lib/api';
import { statusLabel } from './appointment';
import { formatDateTime } from './format';

export type AppointmentAction = 'cancel' | 'reschedule' | 'complete' | 'noShow';

export const ACTION_FAILED: Record<AppointmentAction, string> = {
  cancel: 'Not cancelled',
  reschedule: 'Not moved',
  complete: 'Not marked as completed',
  noShow: 'Not marked as no-show',
};

const ACTION_WORDS: Record<AppointmentAction, string> = {
  cancel: 'cancel it',
  reschedule: 'move it',
  complete: 'mark it as completed',
  noShow: 'mark it as a no-show',
};

interface Context {
  startTime: string;
  zone: string;
  /** The status the API answers now, after re-reading it; null while unknown. */
  currentStatus: string | null;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Why the API refused a change, in plain words: a 409 is a rule of the appointment's life
 * (not begun yet, already closed, time taken), a 404 an appointment that is gone.
 */
export function refusalMessage(action: AppointmentAction, error: unknown, context: Context): string {
  if (isApiError(error, 404)) {
    return 'This appointment no longer exists, or it belongs to another business. Go back to the calendar to see what is booked.';
  }
  if (isApiError(error, 409)) {
    const detail = error.detail ?? '';
    if (/before it (starts|has started)/i.test(detail)) {
      return `You can’t ${ACTION_WORDS[action]} before it has started: it starts ${formatDateTime(context.startTime, context.zone)} (${context.zone}). Try again once it has begun.`;
    }
    if (action === 'reschedule' && /free|booked|available/i.test(`${error.title} ${detail}`)) {
      return 'Someone else just booked that time. The appointment is unchanged; please pick another time.';
    }
    const now =
      context.currentStatus && context.currentStatus !== 'booked'
        ? ` It is now ${statusLabel(context.currentStatus).toLowerCase()}, so there is nothing more to change.`
        : ' It was changed meanwhile; what you see now is its current state.';
    return `${sentence(detail || `It is not possible to ${ACTION_WORDS[action]} now`)}${now}`;
  }
  if (isApiError(error, 422)) {
    return sentence(error.detail ?? 'That time cannot be booked. Please pick another one');
  }
  return describeError(error);
}
