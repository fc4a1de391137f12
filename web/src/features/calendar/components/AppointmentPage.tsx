import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function AppointmentPage() {
  usePageTitle('Appointment');
  return <Title order={1}>Appointment</Title>;
}
