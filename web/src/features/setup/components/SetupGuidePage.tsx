import { Stack, Stepper, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { useBusinessProfile, type BusinessProfile } from '@/lib/session';
import { useServices, type Service } from '../api/services';
import { useStaffList, type StaffMember } from '../api/staff';
import { BusinessStep } from './BusinessStep';
import { ServiceStep } from './ServiceStep';
import { ShareStep } from './ShareStep';
import { StaffStep } from './StaffStep';

const STEPS = ['Your business', 'A service', 'Staff & hours', 'Share your link'] as const;

/**
 * Where a returning owner picks up: what exists already (services, staff; an address
 * means the first step was saved) counts as done.
 */
export function firstOpenStep(profile: BusinessProfile, services: Service[], staff: StaffMember[]): number {
  if (services.length > 0 && staff.length > 0) return 3;
  if (services.length > 0) return 2;
  if (staff.length > 0 || profile.address) return 1;
  return 0;
}

/** The first-run guide: business details, a service, a staff member with hours, the link to share. */
export function SetupGuidePage() {
  usePageTitle('Set up your business');
  const profile = useBusinessProfile();
  const services = useServices();
  const staff = useStaffList();

  const heading = (
    <div>
      <Title order={1}>Set up your business</Title>
      <Text c="dimmed" mt={4}>
        Four short steps, then customers can book you online. You can change everything later.
      </Text>
    </div>
  );

  if (profile.isPending || services.isPending || staff.isPending) {
    return (
      <Stack gap="lg" maw={760}>
        {heading}
        <LoadingState />
      </Stack>
    );
  }
  const failed = [profile, services, staff].find((query) => query.isError);
  if (profile.isError || services.isError || staff.isError) {
    return (
      <Stack gap="lg" maw={760}>
        {heading}
        <ErrorState
          title="Your setup could not be loaded"
          error={failed?.error}
          onRetry={() => [profile, services, staff].forEach((query) => query.isError && query.refetch())}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="lg" maw={760}>
      {heading}
      <Guide profile={profile.data} services={services.data} staff={staff.data} />
    </Stack>
  );
}

function Guide({ profile, services, staff }: { profile: BusinessProfile; services: Service[]; staff: StaffMember[] }) {
  const [active, setActive] = useState(() => firstOpenStep(profile, services, staff));
  const phone = useMediaQuery('(max-width: 48em)');
  const next = () => {
    setActive((step) => Math.min(step + 1, STEPS.length - 1));
    window.scrollTo({ top: 0 });
  };

  return (
    <Stepper
      active={active}
      onStepClick={setActive}
      allowNextStepsSelect={false}
      size={phone ? 'sm' : 'md'}
      // On phones the steps show their numbers only; the labels stay for screen readers.
      classNames={phone ? { stepBody: 'visually-hidden' } : undefined}
      styles={phone ? { separator: { marginInline: 4 } } : undefined}
    >
      {STEPS.map((label, index) => (
        <Stepper.Step
          key={label}
          label={
            <>
              {label}
              {index < active && <span className="visually-hidden"> (done)</span>}
            </>
          }
        >
          <Stack gap="md" mt="md">
            <Text size="sm" c="dimmed" fw={500}>
              Step {index + 1} of {STEPS.length} · {label}
            </Text>
            {index === 0 && <BusinessStep profile={profile} onDone={next} />}
            {index === 1 && <ServiceStep services={services} currency={profile.currency} onDone={next} />}
            {index === 2 && <StaffStep staff={staff} timezone={profile.timezone} onDone={next} />}
            {index === 3 && <ShareStep profile={profile} />}
          </Stack>
        </Stepper.Step>
      ))}
    </Stepper>
  );
}
