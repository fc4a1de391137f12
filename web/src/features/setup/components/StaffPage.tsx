import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { useBusinessProfile } from '@/lib/session';
import { useStaffList } from '../api/staff';
import { WeekSummary } from './StaffFields';

/** Who takes appointments, and when. */
export function StaffPage() {
  usePageTitle('Staff & hours');
  const staff = useStaffList();
  const profile = useBusinessProfile();
  const active = staff.data?.filter((member) => member.is_active).length ?? 0;
  const atFreeLimit = profile.data?.subscription_tier === 'free' && active >= 1;

  return (
    <Stack gap="lg" maw={760}>
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1}>Staff & hours</Title>
          <Text c="dimmed" mt={4}>
            The people customers book with, their weekly hours, days off and special hours.
          </Text>
        </div>
        <Button component={Link} to="/app/staff/new">
          Add a staff member
        </Button>
      </Group>

      {atFreeLimit && (
        <Alert color="blue" variant="light" title="The Free plan includes 1 active staff member">
          <Text size="sm">
            To take bookings for more people at once, <Anchor component={Link} to="/app/billing" c="blue.9" fw={600} underline="always">
              upgrade to Pro
            </Anchor>.
            You can also deactivate someone to make room.
          </Text>
        </Alert>
      )}

      {staff.isPending ? (
        <LoadingState label="Loading staff…" />
      ) : staff.isError ? (
        <ErrorState title="Staff could not be loaded" error={staff.error} onRetry={() => staff.refetch()} />
      ) : staff.data.length === 0 ? (
        <EmptyState title="No staff yet">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Add the person who takes appointments — yourself, if you work alone — with their weekly hours. Customers
              can book as soon as someone has hours.
            </Text>
            <Button size="xs" component={Link} to="/app/staff/new">
              Add your first staff member
            </Button>
          </Stack>
        </EmptyState>
      ) : (
        <Stack gap="sm" component="ul" aria-label="Staff" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {staff.data.map((member) => (
            <Card key={member.id} component="li" withBorder padding="md">
              <Group justify="space-between" align="flex-start" gap="sm">
                <Stack gap={4} miw={0} style={{ flex: '1 1 14rem' }}>
                  <Group gap="xs">
                    <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {member.name}
                    </Text>
                    {!member.is_active && (
                      <Badge color="gray" variant="light">
                        Inactive
                      </Badge>
                    )}
                  </Group>
                  <WeekSummary workingHours={member.working_hours} none="No weekly hours yet: customers cannot book them." />
                </Stack>
                <Button
                  component={Link}
                  to={`/app/staff/${member.id}`}
                  variant="default"
                  size="xs"
                  aria-label={`Edit hours: ${member.name}`}
                >
                  Edit hours
                </Button>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
