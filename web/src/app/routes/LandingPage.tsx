import { Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function LandingPage() {
  usePageTitle('');
  return (
    <Stack gap="md">
      <Title order={1}>Book appointments online, get reminded on time</Title>
      <Text>
        ApptRemind lets salons, clinics and tutors take bookings around the clock and reminds their customers by email
        and text, so fewer appointments are missed.
      </Text>
      <Text>
        Booking with a business? Open the booking link it gave you. To change or cancel an appointment, use the link in
        your confirmation.
      </Text>
    </Stack>
  );
}
