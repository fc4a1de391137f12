import { Title } from '@mantine/core';
import { usePageTitle } from '@/components/layout/use-page-title';

export function SettingsPage() {
  usePageTitle('Settings');
  return <Title order={1}>Settings</Title>;
}
