import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function StaffMemberPage() {
  usePageTitle('Staff member');
  return <Title order={1}>Staff member</Title>;
}
