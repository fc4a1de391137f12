import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { StaffMember } from '../api/staff';
import { PRESETS, fromWorkingHours, toWorkingHours, type WorkingHoursItem } from '../utils/hours';
import { staffSchema, type StaffValues } from '../utils/schemas';
import { useFormSave } from './use-form-save';

export interface StaffChanges {
  name: string;
  working_hours: WorkingHoursItem[];
}

/**
 * A staff member's name and weekly hours (a new one starts on the first preset). `submit`
 * checks them, hands them to `send` as the API takes them, and puts its refusals on the fields.
 */
export function useStaffForm(member: StaffMember | null, send: (changes: StaffChanges) => Promise<unknown>) {
  const form = useForm<StaffValues>({
    resolver: zodResolver(staffSchema),
    mode: 'onTouched',
    defaultValues: {
      name: member?.name ?? '',
      week: member ? fromWorkingHours(member.working_hours) : PRESETS[0]!.week,
    },
  });
  const { problem, save } = useFormSave(form.setError, ['name'], { aliases: { working_hours: 'week' } });
  const submit = form.handleSubmit((values) =>
    save(() => send({ name: values.name, working_hours: toWorkingHours(values.week) })),
  );
  return { form, problem, submit };
}
