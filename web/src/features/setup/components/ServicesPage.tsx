import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function ServicesPage() {
  usePageTitle('Services');
  return <Title order={1}>Services</Title>;
}
