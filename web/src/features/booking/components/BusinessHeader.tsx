import { Stack, Text, Title } from '@mantine/core';
import type { PublicBusiness } from '@/lib/api';

export function BusinessHeader({ business }: { business: PublicBusiness }) {
  return (
    <Stack gap={4}>
      <Title order={1}>{business.name}</Title>
      {business.address && <Text>{business.address}</Text>}
      <Text size="sm" c="dimmed">
        Appointments in local time: {business.timezone}
      </Text>
    </Stack>
  );
}
