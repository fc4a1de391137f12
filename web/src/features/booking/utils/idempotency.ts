import type { PublicBookingRequest } from '@/lib/api';

/** What makes one booking intent: the service, staff, time, customer's details and note
 *  (the CAPTCHA token is left out: each attempt of one intent carries a fresh one). */
export function bookingIntent(request: PublicBookingRequest): string {
  return JSON.stringify({ ...request, captcha_token: undefined });
}

/** The Idempotency-Key of a booking intent: the same across retries of one booking, a new
 *  one when anything of the booking changes or after it succeeded (`forget`). */
export class IdempotencyKeys {
  private current: { intent: string; key: string } | null = null;

  keyFor(request: PublicBookingRequest): string {
    const intent = bookingIntent(request);
    if (this.current?.intent !== intent) this.current = { intent, key: crypto.randomUUID() };
    return this.current.key;
  }

  forget(): void {
    this.current = null;
  }
}
