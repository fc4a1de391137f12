import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api';
import { monthBounds, type CalendarDay } from '@/lib/datetime';

interface SlotScope {
  serviceId: string;
  /** null: any staff member. */
  staffId: string | null;
}

/** Keys shared by every page that offers times, so a booking or move can refresh them. */
export const slotQueryKeys = {
  all: ['public-slots'] as const,
  month: (scope: SlotScope, month: CalendarDay) => ['public-slots', 'month', scope, month] as const,
  day: (scope: SlotScope, day: CalendarDay) => ['public-slots', 'day', scope, day] as const,
};

export function useMonthAvailability(scope: SlotScope, month: CalendarDay) {
  const { from, to } = monthBounds(month);
  return useQuery({
    queryKey: slotQueryKeys.month(scope, month),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/public/availability', {
          params: {
            query: { service_id: scope.serviceId, from, to, ...(scope.staffId ? { staff_id: scope.staffId } : {}) },
          },
          signal,
        }),
      ),
    // Keep last month's days on screen while the next one loads, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

export function useDaySlots(scope: SlotScope, day: CalendarDay | null) {
  return useQuery({
    queryKey: slotQueryKeys.day(scope, day ?? ''),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/public/slots', {
          params: {
            query: {
              service_id: scope.serviceId,
              date: day ?? '',
              ...(scope.staffId ? { staff_id: scope.staffId } : {}),
            },
          },
          signal,
        }),
      ),
    enabled: day !== null,
    // Times go quickly; a day's list is re-read whenever it is shown again.
    staleTime: 0,
  });
}
