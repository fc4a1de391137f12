import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { FormProvider } from 'react-hook-form';
import { ZoneNote } from '@/components/ZoneNote';
import { useCreateStaff, type StaffMember } from '../api/staff';
import { useStaffForm } from '../hooks/use-staff-form';
import { SaveProblem } from './Feedback';
import { StaffNameInput, WeekSummary, WeeklyHoursField } from './StaffFields';

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
          {staff.map((member) => (
            <Card key={member.id} component="li" withBorder padding="sm">
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {member.name}
                {!member.is_active && ' (inactive)'}
              </Text>
              <WeekSummary workingHours={member.working_hours} none="No weekly hours yet" />
            </Card>
          ))}
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
  const { form, problem, submit } = useStaffForm(null, async (changes) => {
    await create.mutateAsync(changes);
    onSaved();
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate aria-label="Staff member">
        <Stack gap="md">
          <StaffNameInput />
          <Stack gap={4}>
            <Text fw={500} size="sm">
              Weekly hours
            </Text>
            <Text size="sm" c="dimmed">
              Times use the 24-hour clock, e.g. 09:00–12:30 and 13:30–18:00 for a lunch break.
            </Text>
            <ZoneNote zone={timezone} />
          </Stack>
          <WeeklyHoursField />
          {problem && <SaveProblem {...problem} />}
          <Group justify="flex-end" gap="sm">
            {onCancel && (
              <Button variant="default" onClick={onCancel} disabled={form.formState.isSubmitting}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={form.formState.isSubmitting}>
              {first ? 'Add and continue' : 'Add staff member'}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
