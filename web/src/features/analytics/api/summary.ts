import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api';
import type { DateRange } from '../utils/range';

export const analyticsKeys = {
  summary: (range: DateRange) => ['analytics', 'summary', range.from, range.to] as const,
};

/** Day rows for the range (local dates in the business's zone), zeros included. */
export function useSummary(range: DateRange, enabled = true) {
  return useQuery({
    queryKey: analyticsKeys.summary(range),
    queryFn: () =>
      unwrap(api.GET('/api/v1/analytics/summary', { params: { query: { from: range.from, to: range.to } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
