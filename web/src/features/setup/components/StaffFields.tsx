import { Text, TextInput } from '@mantine/core';
import { Controller, useFormContext, useFormState } from 'react-hook-form';
import { fromWorkingHours, summarizeWeek, type WorkingHoursItem } from '../utils/hours';
import { errorMessageAt } from '../utils/form-errors';
import type { StaffValues } from '../utils/schemas';
import { WeeklyHoursEditor } from './WeeklyHoursEditor';

/** The staff member's name, in the staff form a <FormProvider> gives. */
export function StaffNameInput() {
  const { register, control } = useFormContext<StaffValues>();
  const { errors } = useFormState({ control, name: 'name' });
  return (
    <TextInput
      label="Name"
      description="Customers see it when they choose who to book with"
      required
      maw={420}
      error={errors.name?.message}
      {...register('name')}
    />
  );
}

/** The weekly hours editor on the staff form's week, each problem on its input. */
export function WeeklyHoursField() {
  const { control } = useFormContext<StaffValues>();
  return (
    <Controller
      control={control}
      name="week"
      render={({ field, fieldState }) => (
        <WeeklyHoursEditor
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          errorAt={(day, index, part) => errorMessageAt(fieldState.error, [day, index, part])}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}

/** A staff member's weekly hours, a line for each run of days; `none` when they have no hours. */
export function WeekSummary({ workingHours, none }: { workingHours: WorkingHoursItem[]; none: string }) {
  const lines = summarizeWeek(fromWorkingHours(workingHours));
  if (lines.length === 0) {
    return (
      <Text size="sm" c="orange.9">
        {none}
      </Text>
    );
  }
  return lines.map((line) => (
    <Text key={line} size="sm">
      {line}
    </Text>
  ));
}
