import { Card, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { useBusinessProfile } from '@/lib/session';
import { BookingRulesForm } from './BookingRulesForm';
import { ProfileForm } from './ProfileForm';
import { RemindersForm } from './RemindersForm';

/** The business's profile, reminders and booking rules, each saved on its own. */
export function SettingsPage() {
  usePageTitle('Settings');
  const profile = useBusinessProfile();

  return (
    <Stack gap="lg" maw={760}>
      <div>
        <Title order={1}>Settings</Title>
        <Text c="dimmed" mt={4}>
          Your business as customers see it, when they are reminded, and how far ahead they can book.
        </Text>
      </div>
      {profile.isPending ? (
        <LoadingState label="Loading settings…" />
      ) : profile.isError ? (
        <ErrorState title="Settings could not be loaded" error={profile.error} onRetry={() => profile.refetch()} />
      ) : (
        <>
          <Section title="Business profile" id="profile">
            <ProfileForm profile={profile.data} />
          </Section>
          <Section title="Reminders" id="reminders">
            <RemindersForm profile={profile.data} />
          </Section>
          <Section title="Booking rules" id="booking-rules">
            <BookingRulesForm profile={profile.data} />
          </Section>
        </>
      )}
    </Stack>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Card withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby={`${id}-title`}>
      <Title order={2} size="h3" id={`${id}-title`} mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}
