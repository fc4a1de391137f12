import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { ZoneNote } from '@/components/ZoneNote';
import { useCreateStaff, type StaffMember } from '../api/staff';
import { errorMessageAt, placeFieldErrors } from '../utils/form-errors';
import { PRESETS, fromWorkingHours, summarizeWeek, toWorkingHours } from '../utils/hours';
import { staffSchema, type StaffValues } from '../utils/schemas';
import { SaveProblem } from './Feedback';
import { WeeklyHoursEditor } from './WeeklyHoursEditor';

/** Step 3: who takes the appointments, and their weekly hours. */
export function StaffStep({ staff, timezone, onDone }: { staff: StaffMember[]; timezone: string; onDone: () => void }) {
  const [adding, setAdding] = useState(staff.length === 0);

  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          {staff.length === 0 ? 'Who takes the appointments?' : 'Your staff'}
        </Title>
        <Text size="sm" c="dimmed">
          Yourself, if you work alone. Customers can book the hours you give here; add a second range on a day for a
          break.
        </Text>
      </div>
      {staff.length > 0 && (
        <Stack gap="xs" component="ul" aria-label="Your staff" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {staff.map((member) => {
            const hours = summarizeWeek(fromWorkingHours(member.working_hours));
            return (
              <Card key={member.id} component="li" withBorder padding="sm">
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {member.name}
                  {!member.is_active && ' (inactive)'}
                </Text>
                {hours.length > 0 ? (
                  hours.map((line) => (
                    <Text key={line} size="sm">
                      {line}
                    </Text>
                  ))
                ) : (
                  <Text size="sm" c="orange.9">
                    No weekly hours yet
                  </Text>
                )}
              </Card>
            );
          })}
        </Stack>
      )}
      {adding ? (
        <Card withBorder padding="md">
          <StaffForm
            timezone={timezone}
            first={staff.length === 0}
            onCancel={staff.length > 0 ? () => setAdding(false) : undefined}
            onSaved={() => {
              setAdding(false);
              if (staff.length === 0) onDone();
            }}
          />
        </Card>
      ) : (
        <Group gap="sm">
          <Button onClick={onDone}>Continue</Button>
          <Button variant="default" onClick={() => setAdding(true)}>
            Add someone else
          </Button>
        </Group>
      )}
    </Stack>
  );
}

interface StaffFormProps {
  timezone: string;
  first: boolean;
  onCancel: (() => void) | undefined;
  onSaved: () => void;
}

function StaffForm({ timezone, first, onCancel, onSaved }: StaffFormProps) {
  const create = useCreateStaff();
  const [problem, setProblem] = useState<{ error: unknown; placed: string[] } | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<StaffValues>({
    resolver: zodResolver(staffSchema),
    mode: 'onTouched',
    defaultValues: { name: '', week: PRESETS[0]!.week },
  });

  const submit = async (values: StaffValues) => {
    setProblem(null);
    try {
      await create.mutateAsync({ name: values.name, working_hours: toWorkingHours(values.week) });
      onSaved();
    } catch (error) {
      setProblem({ error, placed: placeFieldErrors(error, setError, ['name'], { working_hours: 'week' }) });
    }
  };

  return (
    <form onSubmit={handleSubmit(submit)} noValidate aria-label="Staff member">
      <Stack gap="md">
        <TextInput
          label="Name"
          description="Customers see it when they choose who to book with"
          required
          maw={420}
          error={errors.name?.message}
          {...register('name')}
        />
        <Stack gap={4}>
          <Text fw={500} size="sm">
            Weekly hours
          </Text>
          <Text size="sm" c="dimmed">
            Times use the 24-hour clock, e.g. 09:00–12:30 and 13:30–18:00 for a lunch break.
          </Text>
          <ZoneNote zone={timezone} />
        </Stack>
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
        {problem && <SaveProblem error={problem.error} placed={problem.placed} />}
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={isSubmitting}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={isSubmitting}>
            {first ? 'Add and continue' : 'Add staff member'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
