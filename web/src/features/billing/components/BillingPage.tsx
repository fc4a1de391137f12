import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function BillingPage() {
  usePageTitle('Billing');
  return <Title order={1}>Billing</Title>;
}
