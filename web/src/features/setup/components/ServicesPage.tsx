import { Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError } from '@/lib/api';
import { useCreateService, useDeleteService, useServices, useUpdateService, type Service } from '../api/services';
import { formatLengthAndPrice } from '../utils/format';
import { SavedNote } from './Feedback';
import { ServiceForm, serviceValues } from './ServiceForm';

type Editing = { mode: 'create' } | { mode: 'edit'; service: Service } | null;

/** What customers can book: list, add, edit and delete services. */
export function ServicesPage() {
  usePageTitle('Services');
  const services = useServices();
  const create = useCreateService();
  const update = useUpdateService();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Service | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const phone = useMediaQuery('(max-width: 36em)');

  return (
    <Stack gap="lg" maw={760}>
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1}>Services</Title>
          <Text c="dimmed" mt={4}>
            What customers can book on your booking page, with its length and price.
          </Text>
        </div>
        <Button onClick={() => setEditing({ mode: 'create' })}>Add a service</Button>
      </Group>

      {saved && <SavedNote onClose={() => setSaved(null)}>{saved}</SavedNote>}

      {services.isPending ? (
        <LoadingState label="Loading services…" />
      ) : services.isError ? (
        <ErrorState title="Services could not be loaded" error={services.error} onRetry={() => services.refetch()} />
      ) : services.data.length === 0 ? (
        <EmptyState title="No services yet">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Add the first thing customers can book, e.g. “Haircut, 45 minutes”. It shows on your booking page at once.
            </Text>
            <Button size="xs" onClick={() => setEditing({ mode: 'create' })}>
              Add your first service
            </Button>
          </Stack>
        </EmptyState>
      ) : (
        <Stack gap="sm" component="ul" aria-label="Services" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {services.data.map((service) => (
            <Card key={service.id} component="li" withBorder padding="md">
              <Group justify="space-between" align="flex-start" gap="sm">
                <Stack gap={2} miw={0} style={{ flex: '1 1 14rem' }}>
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {service.name}
                  </Text>
                  <Text size="sm">{formatLengthAndPrice(service)}</Text>
                  {(service.buffer_before_minutes > 0 || service.buffer_after_minutes > 0) && (
                    <Text size="sm" c="dimmed">
                      Buffers: {service.buffer_before_minutes} min before, {service.buffer_after_minutes} min after
                    </Text>
                  )}
                  {service.description && (
                    <Text size="sm" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                      {service.description}
                    </Text>
                  )}
                </Stack>
                <Group gap="xs">
                  <Button
                    variant="default"
                    size="xs"
                    aria-label={`Edit ${service.name}`}
                    onClick={() => setEditing({ mode: 'edit', service })}
                  >
                    Edit
                  </Button>
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    aria-label={`Delete ${service.name}`}
                    onClick={() => setDeleting(service)}
                  >
                    Delete
                  </Button>
                </Group>
              </Group>
            </Card>
          ))}
        </Stack>
      )}

      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.mode === 'edit' ? `Edit ${editing.service.name}` : 'Add a service'}
        fullScreen={phone}
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {editing && (
          <ServiceForm
            key={editing.mode === 'edit' ? editing.service.id : 'new'}
            initial={editing.mode === 'edit' ? serviceValues(editing.service) : undefined}
            submitLabel={editing.mode === 'edit' ? 'Save changes' : 'Add service'}
            onCancel={() => setEditing(null)}
            onSubmit={async (body) => {
              if (editing.mode === 'edit') {
                await update.mutateAsync({ id: editing.service.id, body });
                setSaved(`Saved the changes to “${body.name}”.`);
              } else {
                await create.mutateAsync(body);
                setSaved(`Added “${body.name}”. Customers can book it now.`);
              }
              setEditing(null);
            }}
          />
        )}
      </Modal>

      <DeleteServiceDialog
        service={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(name) => setSaved(`Deleted “${name}”.`)}
      />
    </Stack>
  );
}

function DeleteServiceDialog({
  service,
  onClose,
  onDeleted,
}: {
  service: Service | null;
  onClose: () => void;
  onDeleted: (name: string) => void;
}) {
  const remove = useDeleteService();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal
      opened={service !== null}
      onClose={close}
      title={`Delete ${service?.name ?? 'service'}?`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text size="sm">
          It disappears from your booking page for good. Appointments already booked for it stay in your calendar with
          their details.
        </Text>
        {remove.isError && (
          <Text size="sm" c="red.8" role="alert">
            {describeError(remove.error)}
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={remove.isPending}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              service &&
              remove.mutate(service.id, {
                onSuccess: () => {
                  onDeleted(service.name);
                  close();
                },
              })
            }
          >
            Delete service
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
