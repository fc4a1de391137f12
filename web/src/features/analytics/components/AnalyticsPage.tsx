import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function AnalyticsPage() {
  usePageTitle('Analytics');
  return <Title order={1}>Analytics</Title>;
}
