import { useMutation } from '@tanstack/react-query';
import { api, unwrap, type PublicBookingRequest } from '@/lib/api';

export interface BookingAttempt {
  request: PublicBookingRequest;
  /** One per booking intent: a retry of the same booking sends the same key, so the API
   *  answers the booking it already made instead of booking twice. */
  idempotencyKey: string;
}

export function useBookAppointment() {
  return useMutation({
    mutationFn: ({ request, idempotencyKey }: BookingAttempt) =>
      unwrap(
        api.POST('/api/v1/public/book', {
          body: request,
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      ),
  });
}
