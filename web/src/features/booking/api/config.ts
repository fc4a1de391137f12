import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';

/** The widget the booking page draws when bookings need a CAPTCHA token. */
export type CaptchaConfig = components['schemas']['CaptchaWidgetConfig'];

export const publicConfigKey = ['public-config'] as const;

/** What this deployment asks of a booking (today: the CAPTCHA widget, or none). */
export function usePublicConfig() {
  return useQuery({
    queryKey: publicConfigKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/public/config', { signal })),
    staleTime: Infinity,
  });
}
