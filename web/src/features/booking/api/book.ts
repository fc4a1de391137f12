import { useMutation } from '@tanstack/react-query';
import { api, unwrap, type PublicBookingRequest } from '@/lib/api';

export function useBookAppointment() {
  return useMutation({
    mutationFn: (request: PublicBookingRequest) => unwrap(api.POST('/api/v1/public/book', { body: request })),
  });
}
