import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';
import type { CalendarDay } from '@/lib/datetime';
import type { WorkingHoursItem } from '../utils/hours';
import { forgetSetupState, setupKeys } from './keys';

export type StaffMember = components['schemas']['StaffResponse'];
export type DateOverride = components['schemas']['DateOverrideResponse'];

export function useStaffList() {
  return useQuery({
    queryKey: setupKeys.staff,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/business/staff', { signal })),
  });
}

export function useStaffMember(staffId: string | null) {
  return useQuery({
    queryKey: setupKeys.staffMember(staffId ?? ''),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/business/staff/{staff_id}', { params: { path: { staff_id: staffId ?? '' } }, signal })),
    enabled: staffId !== null,
  });
}

function useStaffChange<Variables, Result extends StaffMember | undefined>(
  mutationFn: (variables: Variables) => Promise<Result>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (member) => {
      forgetSetupState(queryClient);
      if (member) queryClient.setQueryData(setupKeys.staffMember(member.id), member);
      await queryClient.invalidateQueries({ queryKey: setupKeys.staff });
    },
  });
}

export function useCreateStaff() {
  return useStaffChange((body: { name: string; working_hours: WorkingHoursItem[] }) =>
    unwrap(api.POST('/api/v1/business/staff', { body: { ...body, is_active: true } })),
  );
}

export function useUpdateStaff() {
  return useStaffChange(
    ({ id, body }: { id: string; body: { name?: string; is_active?: boolean; working_hours?: WorkingHoursItem[] } }) =>
      unwrap(api.PATCH('/api/v1/business/staff/{staff_id}', { params: { path: { staff_id: id } }, body })),
  );
}

/** Staff are deactivated, never deleted: their appointments keep their history. */
export function useDeactivateStaff() {
  return useStaffChange((id: string) =>
    unwrap(api.DELETE('/api/v1/business/staff/{staff_id}', { params: { path: { staff_id: id } } })),
  );
}

export function useDateOverrides(staffId: string, from: CalendarDay, to: CalendarDay) {
  return useQuery({
    queryKey: [...setupKeys.overrides(staffId), from, to],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/business/staff/{staff_id}/overrides', {
          params: { path: { staff_id: staffId }, query: { from, to } },
          signal,
        }),
      ),
  });
}

export interface OverrideInput {
  days: CalendarDay[];
  /** Empty: a day off. */
  working_hours: { start_time: string; end_time: string }[];
}

/** The same hours (or a day off) on each of `days`, one date after the other. */
export function useSetDateOverrides(staffId: string, onProgress?: (done: number) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ days, working_hours }: OverrideInput) => {
      const saved: DateOverride[] = [];
      for (const day of days) {
        saved.push(
          await unwrap(
            api.PUT('/api/v1/business/staff/{staff_id}/overrides/{day}', {
              params: { path: { staff_id: staffId, day } },
              body: { working_hours },
            }),
          ),
        );
        onProgress?.(saved.length);
      }
      return saved;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: setupKeys.overrides(staffId) }),
  });
}

export function useDeleteDateOverride(staffId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (day: CalendarDay) =>
      unwrap(
        api.DELETE('/api/v1/business/staff/{staff_id}/overrides/{day}', { params: { path: { staff_id: staffId, day } } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: setupKeys.overrides(staffId) }),
  });
}
