import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function TeamPage() {
  usePageTitle('Team logins');
  return <Title order={1}>Team logins</Title>;
}
