import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function SetupGuidePage() {
  usePageTitle('Set up your business');
  return <Title order={1}>Set up your business</Title>;
}
