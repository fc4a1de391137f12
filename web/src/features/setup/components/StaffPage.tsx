import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function StaffPage() {
  usePageTitle('Staff & hours');
  return <Title order={1}>Staff & hours</Title>;
}
