import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function CalendarPage() {
  usePageTitle('Calendar');
  return <Title order={1}>Calendar</Title>;
}
