import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SlotSource } from '@/components/slot-picker';
import { api, unwrap, type CustomerAppointment } from '@/lib/api';

interface ManageAccess {
  appointmentId: string;
  token: string;
}

const appointmentKey = ({ appointmentId, token }: ManageAccess) => ['customer-appointment', appointmentId, token] as const;

function manageParams({ appointmentId, token }: ManageAccess) {
  return { path: { appointment_id: appointmentId }, query: { token } };
}

/** Times to move the appointment to: its own service and staff member, also once the service is archived. */
export function rescheduleSlotSource(access: ManageAccess): SlotSource {
  const params = manageParams(access);
  return {
    key: ['customer-appointment', access.appointmentId, access.token],
    availability: ({ from, to }, signal) =>
      unwrap(
        api.GET('/api/v1/public/appointments/{appointment_id}/availability', {
          params: { ...params, query: { ...params.query, from, to } },
          signal,
        }),
      ),
    slots: (date, signal) =>
      unwrap(
        api.GET('/api/v1/public/appointments/{appointment_id}/slots', {
          params: { ...params, query: { ...params.query, date } },
          signal,
        }),
      ),
  };
}

export function useCustomerAppointment(access: ManageAccess) {
  return useQuery({
    queryKey: appointmentKey(access),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/public/appointments/{appointment_id}', { params: manageParams(access), signal })),
  });
}

/** Both changes answer the appointment's new state, which replaces the cached one at once. */
function useAppointmentChange<Variables>(
  access: ManageAccess,
  change: (variables: Variables) => Promise<CustomerAppointment>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (appointment) => queryClient.setQueryData(appointmentKey(access), appointment),
  });
}

export function useCancelAppointment(access: ManageAccess) {
  return useAppointmentChange(access, (reason: string | null) =>
    unwrap(
      api.POST('/api/v1/public/appointments/{appointment_id}/cancel', {
        params: manageParams(access),
        body: { reason },
      }),
    ),
  );
}

export function useRescheduleAppointment(access: ManageAccess) {
  return useAppointmentChange(access, (time: string) =>
    unwrap(
      api.POST('/api/v1/public/appointments/{appointment_id}/reschedule', {
        params: manageParams(access),
        body: { time },
      }),
    ),
  );
}
