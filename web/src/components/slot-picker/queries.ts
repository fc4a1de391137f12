import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';
import { monthBounds, type CalendarDay } from '@/lib/datetime';

export type SlotAvailability = components['schemas']['AvailabilityResponse'];
export type SlotDay = components['schemas']['SlotsResponse'];

/**
 * Where the picker's times come from: the public booking endpoints for a service, or an
 * appointment's own endpoints for moving it (they keep answering after its service is archived).
 */
export interface SlotSource {
  /** Identifies the answers in the cache: what the times are for (service and staff, or appointment). */
  key: readonly unknown[];
  /** The days of `from`..`to` (inclusive, YYYY-MM-DD) with a free time. */
  availability: (range: { from: CalendarDay; to: CalendarDay }, signal: AbortSignal) => Promise<SlotAvailability>;
  /** The free times of one day. */
  slots: (date: CalendarDay, signal: AbortSignal) => Promise<SlotDay>;
}

/** Keys shared by every page that offers times, so a booking or move can refresh them. */
export const slotQueryKeys = {
  all: ['slots'] as const,
  month: (source: SlotSource, month: CalendarDay) => ['slots', 'month', ...source.key, month] as const,
  day: (source: SlotSource, day: CalendarDay) => ['slots', 'day', ...source.key, day] as const,
};

/** The booking page's times: a service, with one staff member or (null) any of them. */
export function publicSlotSource(serviceId: string, staffId: string | null): SlotSource {
  const staff = staffId ? { staff_id: staffId } : {};
  return {
    key: ['public', serviceId, staffId],
    availability: ({ from, to }, signal) =>
      unwrap(api.GET('/api/v1/public/availability', { params: { query: { service_id: serviceId, from, to, ...staff } }, signal })),
    slots: (date, signal) =>
      unwrap(api.GET('/api/v1/public/slots', { params: { query: { service_id: serviceId, date, ...staff } }, signal })),
  };
}

export function useMonthAvailability(source: SlotSource, month: CalendarDay) {
  return useQuery({
    queryKey: slotQueryKeys.month(source, month),
    queryFn: ({ signal }) => source.availability(monthBounds(month), signal),
    // Keep last month's days on screen while the next one loads, instead of flashing empty.
    placeholderData: keepPreviousData,
  });
}

export function useDaySlots(source: SlotSource, day: CalendarDay | null) {
  return useQuery({
    queryKey: slotQueryKeys.day(source, day ?? ''),
    queryFn: ({ signal }) => source.slots(day ?? '', signal),
    enabled: day !== null,
    // Times go quickly; a day's list is re-read whenever it is shown again.
    staleTime: 0,
  });
}
