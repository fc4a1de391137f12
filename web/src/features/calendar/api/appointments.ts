import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { SlotSource } from '@/components/slot-picker';
import { api, isApiError, unwrap } from '@/lib/api';
import type { Appointment, AppointmentStatus } from '../types';

export interface AppointmentQuery {
  /** Instants (RFC 3339): appointments starting at or after `from` and before `to`. */
  from?: string;
  to?: string;
  staffId?: string | null;
  status?: AppointmentStatus | null;
}

export interface AppointmentPage {
  items: Appointment[];
  /** From the API's X-Total-Count header; null when it sent none. */
  total: number | null;
}

export const calendarKeys = {
  all: ['appointments'] as const,
  lists: ['appointments', 'list'] as const,
  range: (query: AppointmentQuery) => ['appointments', 'list', 'range', query] as const,
  page: (query: AppointmentQuery, limit: number, offset: number) =>
    ['appointments', 'list', 'page', query, limit, offset] as const,
  detail: (id: string) => ['appointments', 'detail', id] as const,
  staff: ['calendar', 'staff'] as const,
};

const MAX_LIMIT = 200;

function totalFrom(response: Response | undefined): number | null {
  const header = response?.headers.get('X-Total-Count');
  return header && /^\d+$/.test(header) ? Number(header) : null;
}

async function fetchPage(query: AppointmentQuery, limit: number, offset: number, signal?: AbortSignal): Promise<AppointmentPage> {
  let response: Response | undefined;
  const items = await unwrap(
    api
      .GET('/api/v1/appointments', {
        params: {
          query: {
            ...(query.from ? { from: query.from } : {}),
            ...(query.to ? { to: query.to } : {}),
            ...(query.staffId ? { staff_id: query.staffId } : {}),
            ...(query.status ? { status: query.status } : {}),
            limit,
            offset,
          },
        },
        signal,
      })
      .then((result) => {
        response = result.response;
        return result;
      }),
  );
  return { items, total: totalFrom(response) };
}

/** Every appointment in a range (a day or a week), page after page of the API's largest. */
export function useAppointmentsInRange(query: AppointmentQuery) {
  return useQuery({
    queryKey: calendarKeys.range(query),
    queryFn: async ({ signal }) => {
      const all: Appointment[] = [];
      for (let offset = 0; ; offset += MAX_LIMIT) {
        const page = await fetchPage(query, MAX_LIMIT, offset, signal);
        all.push(...page.items);
        const done = page.total !== null ? all.length >= page.total : page.items.length < MAX_LIMIT;
        if (done || page.items.length === 0) return all;
      }
    },
    // The previous day stays on screen, marked as loading, while the next one comes.
    placeholderData: keepPreviousData,
  });
}

export function useAppointmentPage(query: AppointmentQuery, limit: number, offset: number) {
  return useQuery({
    queryKey: calendarKeys.page(query, limit, offset),
    queryFn: ({ signal }) => fetchPage(query, limit, offset, signal),
    placeholderData: keepPreviousData,
  });
}

export function useAppointment(id: string) {
  return useQuery({
    queryKey: calendarKeys.detail(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/appointments/{appointment_id}', { params: { path: { appointment_id: id } }, signal })),
  });
}

export function useStaff() {
  return useQuery({
    queryKey: calendarKeys.staff,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/business/staff', { signal })),
    // Re-read on every visit: a member added in setup gets a lane at once.
    staleTime: 0,
  });
}

/** Puts the changed appointment everywhere it is cached, then re-reads the lists it may leave. */
function storeChanged(queryClient: QueryClient, appointment: Appointment): void {
  queryClient.setQueryData(calendarKeys.detail(appointment.id), appointment);
  const replace = (items: Appointment[]) => items.map((item) => (item.id === appointment.id ? appointment : item));
  queryClient.setQueriesData<Appointment[] | AppointmentPage>({ queryKey: calendarKeys.lists }, (old) => {
    if (!old) return old;
    return Array.isArray(old) ? replace(old) : { ...old, items: replace(old.items) };
  });
  void queryClient.invalidateQueries({ queryKey: calendarKeys.lists });
}

function useAppointmentChange<Variables>(id: string, change: (variables: Variables) => Promise<Appointment>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (appointment) => storeChanged(queryClient, appointment),
    onError: (error) => {
      // Refused because it changed meanwhile (or is gone): show what it is now.
      if (isApiError(error, 409) || isApiError(error, 404)) {
        void queryClient.invalidateQueries({ queryKey: calendarKeys.detail(id) });
        void queryClient.invalidateQueries({ queryKey: calendarKeys.lists });
      }
    },
  });
}

const path = (id: string) => ({ path: { appointment_id: id } });

export function useCancelAppointment(id: string) {
  return useAppointmentChange(id, (reason: string | null) =>
    unwrap(
      api.DELETE('/api/v1/appointments/{appointment_id}', {
        params: { ...path(id), query: reason ? { reason } : {} },
      }),
    ),
  );
}

/** Times to move the appointment to: its own service and staff member, also once the service is archived. */
export function rescheduleSlotSource(id: string): SlotSource {
  return {
    key: ['appointment', id],
    availability: ({ from, to }, signal) =>
      unwrap(api.GET('/api/v1/appointments/{appointment_id}/availability', { params: { ...path(id), query: { from, to } }, signal })),
    slots: (date, signal) =>
      unwrap(api.GET('/api/v1/appointments/{appointment_id}/slots', { params: { ...path(id), query: { date } }, signal })),
  };
}

export function useRescheduleAppointment(id: string) {
  return useAppointmentChange(id, (time: string) =>
    unwrap(api.POST('/api/v1/appointments/{appointment_id}/reschedule', { params: path(id), body: { time } })),
  );
}

export function useCompleteAppointment(id: string) {
  return useAppointmentChange(id, () =>
    unwrap(api.POST('/api/v1/appointments/{appointment_id}/complete', { params: path(id) })),
  );
}

export function useMarkNoShow(id: string) {
  return useAppointmentChange(id, () =>
    unwrap(api.POST('/api/v1/appointments/{appointment_id}/no-show', { params: path(id) })),
  );
}
