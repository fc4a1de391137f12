import { Group, Radio, Stack, Text } from '@mantine/core';
import type { PublicService } from '@/lib/api';
import { formatPrice } from '@/lib/money';

interface ServiceChoiceProps {
  services: PublicService[];
  /** ISO 4217: the currency of the prices. */
  currency: string;
  value: string | null;
  onChange: (serviceId: string) => void;
}

export function ServiceChoice({ services, currency, value, onChange }: ServiceChoiceProps) {
  return (
    <Radio.Group value={value} onChange={onChange} label="Service" labelProps={{ className: 'visually-hidden' }}>
      <Stack gap="sm" mt={4}>
        {services.map((service) => (
          <Radio.Card key={service.id} value={service.id} p="md" radius="md" className="choice-card">
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} aria-hidden />
              <Stack gap={2}>
                <Text fw={600}>{service.name}</Text>
                <Text size="sm">
                  {service.duration_minutes} min · {formatPrice(service.price, currency)}
                </Text>
                {service.description && (
                  <Text size="sm" c="dimmed">
                    {service.description}
                  </Text>
                )}
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </Stack>
    </Radio.Group>
  );
}
