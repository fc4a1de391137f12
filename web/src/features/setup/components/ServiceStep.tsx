import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useCreateService, type Service } from '../api/services';
import { formatLengthAndPrice } from '../utils/format';
import { ServiceForm } from './ServiceForm';

/** Step 2: the first thing customers can book (or the ones already there). */
export function ServiceStep({ services, currency, onDone }: { services: Service[]; currency: string; onDone: () => void }) {
  const create = useCreateService();
  const [adding, setAdding] = useState(services.length === 0);

  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          {services.length === 0 ? 'Add your first service' : 'Your services'}
        </Title>
        <Text size="sm" c="dimmed">
          What customers book: how long it takes and what it costs. Buffers keep time free around it, e.g. to clean up.
        </Text>
      </div>
      {services.length > 0 && (
        <Stack gap="xs" component="ul" aria-label="Your services" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {services.map((service) => (
            <Card key={service.id} component="li" withBorder padding="sm">
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {service.name}
              </Text>
              <Text size="sm">{formatLengthAndPrice(service, currency)}</Text>
            </Card>
          ))}
        </Stack>
      )}
      {adding ? (
        <Card withBorder padding="md">
          <ServiceForm
            submitLabel={services.length === 0 ? 'Add service and continue' : 'Add service'}
            currency={currency}
            onCancel={services.length > 0 ? () => setAdding(false) : undefined}
            onSubmit={async (body) => {
              await create.mutateAsync(body);
              setAdding(false);
              if (services.length === 0) onDone();
            }}
          />
        </Card>
      ) : (
        <Group gap="sm">
          <Button onClick={onDone}>Continue</Button>
          <Button variant="default" onClick={() => setAdding(true)}>
            Add another service
          </Button>
        </Group>
      )}
    </Stack>
  );
}
