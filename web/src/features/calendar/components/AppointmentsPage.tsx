import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function AppointmentsPage() {
  usePageTitle('Appointments');
  return <Title order={1}>Appointments</Title>;
}
