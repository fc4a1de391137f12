import { Anchor, Badge, Button, Divider, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { FormProvider } from 'react-hook-form';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState, MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { ZoneNote } from '@/components/ZoneNote';
import { describeError, isApiError } from '@/lib/api';
import { useBusinessProfile } from '@/lib/session';
import { useCreateStaff, useDeactivateStaff, useStaffMember, useUpdateStaff, type StaffMember } from '../api/staff';
import { useStaffForm } from '../hooks/use-staff-form';
import { DateOverrides } from './DateOverrides';
import { PlanLimitAlert, SaveProblem, SavedNote } from './Feedback';
import { StaffNameInput, WeeklyHoursField } from './StaffFields';

const NEW = 'new';

/** One staff member's name, weekly hours, dates off and status; `/app/staff/new` adds one. */
export function StaffMemberPage() {
  const { staffId = NEW } = useParams();
  const isNew = staffId === NEW;
  const member = useStaffMember(isNew ? null : staffId);
  const profile = useBusinessProfile();
  usePageTitle(isNew ? 'Add a staff member' : (member.data?.name ?? 'Staff member'));

  const back = (
    <Anchor component={Link} to="/app/staff" size="sm">
      ← All staff
    </Anchor>
  );

  if (!isNew && member.isPending) return <LoadingState />;
  if (!isNew && member.isError) {
    if (isApiError(member.error, 404) || isApiError(member.error, 422)) {
      return (
        <MessagePage title="This staff member does not exist">
          <Text>They may have been removed, or the link is incomplete.</Text>
          {back}
        </MessagePage>
      );
    }
    return <ErrorState title="This staff member could not be loaded" error={member.error} onRetry={() => member.refetch()} />;
  }
  const current = member.data ?? null;

  return (
    <Stack gap="lg" maw={760}>
      <Stack gap={4}>
        {back}
        <Group gap="sm">
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {current ? current.name : 'Add a staff member'}
          </Title>
          {current && !current.is_active && (
            <Badge color="gray" variant="light" size="lg">
              Inactive
            </Badge>
          )}
        </Group>
      </Stack>
      <StaffForm key={current?.id ?? NEW} member={current} timezone={profile.data?.timezone} />
      {current && (
        <>
          <Divider />
          <DateOverrides staffId={current.id} timezone={profile.data?.timezone} />
          <Divider />
          <StaffStatus member={current} />
        </>
      )}
    </Stack>
  );
}

function StaffForm({ member, timezone }: { member: StaffMember | null; timezone: string | undefined }) {
  const navigate = useNavigate();
  const location = useLocation();
  const create = useCreateStaff();
  const update = useUpdateStaff();
  const [saved, setSaved] = useState<string | null>(
    (location.state as { created?: string } | null)?.created ?? null,
  );
  // The "added" note is told once: a reload or a later visit does not repeat it.
  useEffect(() => {
    if ((location.state as { created?: string } | null)?.created) {
      navigate(location.pathname, { replace: true, state: null });
    }
  }, [location.pathname, location.state, navigate]);
  const { form, problem, submit } = useStaffForm(member, async (changes) => {
    setSaved(null);
    if (member) {
      await update.mutateAsync({ id: member.id, body: changes });
      setSaved('Saved. The booking page offers the new hours at once.');
    } else {
      const created = await create.mutateAsync(changes);
      navigate(`/app/staff/${created.id}`, {
        replace: true,
        state: { created: `Added ${created.name}. Customers can book them now.` },
      });
    }
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate aria-label="Staff member">
        <Stack gap="md">
          <StaffNameInput />
          <Stack gap={4}>
            <Title order={2} size="h3">
              Weekly hours
            </Title>
            <Text size="sm" c="dimmed">
              Add two ranges on a day for a break, e.g. 09:00–12:30 and 13:30–18:00. Times use the 24-hour clock; 24:00
              is the end of the day.
            </Text>
            {timezone && <ZoneNote zone={timezone} />}
          </Stack>
          <WeeklyHoursField />
          {problem && <SaveProblem {...problem} />}
          {saved && <SavedNote onClose={() => setSaved(null)}>{saved}</SavedNote>}
          <Group>
            <Button type="submit" loading={form.formState.isSubmitting}>
              {member ? 'Save name and hours' : 'Add staff member'}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}

function StaffStatus({ member }: { member: StaffMember }) {
  const deactivate = useDeactivateStaff();
  const update = useUpdateStaff();
  const [confirming, setConfirming] = useState(false);

  if (!member.is_active) {
    return (
      <Stack gap="sm" align="flex-start">
        <Title order={2} size="h3">
          Inactive
        </Title>
        <Text size="sm">{member.name} is not on the booking page. Their past appointments stay in the calendar.</Text>
        {update.isError &&
          (isApiError(update.error, 402) ? (
            <PlanLimitAlert error={update.error} />
          ) : (
            <Text size="sm" c="red.8" role="alert">
              {describeError(update.error)}
            </Text>
          ))}
        <Button
          variant="default"
          loading={update.isPending}
          onClick={() => update.mutate({ id: member.id, body: { is_active: true } })}
        >
          Reactivate {member.name}
        </Button>
      </Stack>
    );
  }

  return (
    <Stack gap="sm" align="flex-start">
      <Title order={2} size="h3">
        Deactivate
      </Title>
      <Text size="sm">
        When {member.name} leaves or stops taking bookings. Their appointments stay in the calendar.
      </Text>
      <Button variant="outline" color="red" onClick={() => setConfirming(true)}>
        Deactivate {member.name}
      </Button>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Deactivate ${member.name}?`}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="md">
          <Text size="sm">
            Customers can no longer book {member.name}. Appointments already booked stay as they are — move or cancel
            them in the calendar if needed. You can reactivate {member.name} later.
          </Text>
          {deactivate.isError && (
            <Text size="sm" c="red.8" role="alert">
              {describeError(deactivate.error)}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={deactivate.isPending}>
              Keep active
            </Button>
            <Button
              color="red"
              loading={deactivate.isPending}
              onClick={() => deactivate.mutate(member.id, { onSuccess: () => setConfirming(false) })}
            >
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
